"""Events the catalog publishes. Products are subjects of kind "product", price lists of
kind "pricelist", so a product's history can be read as a timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class ProductCreated(Event):
    type: ClassVar[str] = "catalog.product.created"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A product was added to the catalog")
    subject_fields: ClassVar[dict[str, str]] = {"product_id": "product"}

    product_id: int
    sku: str
    name: str
    product_type: str
    vat_category: str
    sales_price: str  # NOK, 2 decimals

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Product %(sku)s “%(name)s” was added") % payload


@dataclass(frozen=True, kw_only=True)
class ProductUpdated(Event):
    type: ClassVar[str] = "catalog.product.updated"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A product was changed")
    subject_fields: ClassVar[dict[str, str]] = {"product_id": "product"}

    product_id: int
    sku: str
    fields: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Product %(sku)s changed: %(fields)s") % {
            "sku": payload["sku"],
            "fields": ", ".join(payload["fields"]),
        }


@dataclass(frozen=True, kw_only=True)
class ProductArchived(Event):
    type: ClassVar[str] = "catalog.product.archived"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A product was archived (no longer sold)")
    subject_fields: ClassVar[dict[str, str]] = {"product_id": "product"}

    product_id: int
    sku: str

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Product %(sku)s was archived") % payload


@dataclass(frozen=True, kw_only=True)
class ProductRestored(Event):
    type: ClassVar[str] = "catalog.product.restored"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("An archived product was restored")
    subject_fields: ClassVar[dict[str, str]] = {"product_id": "product"}

    product_id: int
    sku: str

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Product %(sku)s was restored") % payload


@dataclass(frozen=True, kw_only=True)
class PriceListCreated(Event):
    type: ClassVar[str] = "catalog.pricelist.created"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A price list was created")
    subject_fields: ClassVar[dict[str, str]] = {"price_list_id": "pricelist"}

    price_list_id: int
    name: str
    currency: str

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Price list “%(name)s” (%(currency)s) was created") % payload


@dataclass(frozen=True, kw_only=True)
class PriceListUpdated(Event):
    type: ClassVar[str] = "catalog.pricelist.updated"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A price list or its prices were changed")
    subject_fields: ClassVar[dict[str, str]] = {
        "price_list_id": "pricelist",
        "product_ids": "product",
    }

    price_list_id: int
    name: str
    fields: list[str] = field(default_factory=list)
    # products whose prices on the list changed (set_price_list_items)
    product_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Price list “%(name)s” changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload["fields"]),
        }
