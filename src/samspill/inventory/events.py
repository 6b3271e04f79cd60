"""Events inventory publishes. Deliveries are subjects of kind "delivery" (and their
customer of kind "party", the sales order of kind "order"), so they show on the party's
360-degree view and the order's timeline. Payloads follow docs/events.md and the contract
with sales (`inventory.delivery.done`, `inventory.delivery.cancelled`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


def _plain(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload with its quantity without trailing zeros ("1.000" reads as a thousand
    in Norwegian): "1", "2.5"."""
    from decimal import Decimal, InvalidOperation

    try:
        quantity = format(Decimal(payload.get("quantity", "")).normalize(), "f")
    except (InvalidOperation, ValueError):
        return payload
    return {**payload, "quantity": quantity}


@dataclass(frozen=True, kw_only=True)
class DeliveryCreated(Event):
    type: ClassVar[str] = "inventory.delivery.created"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A delivery to a customer was created")
    subject_fields: ClassVar[dict[str, str]] = {
        "party_id": "party",
        "order_id": "order",
        "delivery_id": "delivery",
    }

    delivery_id: int
    number: str
    order_id: int | None
    party_id: int
    backorder_of: int | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Delivery %(number)s was created") % payload


@dataclass(frozen=True, kw_only=True)
class DeliveryDone(Event):
    type: ClassVar[str] = "inventory.delivery.done"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A delivery (or part of it) was shipped")
    subject_fields: ClassVar[dict[str, str]] = {
        "party_id": "party",
        "order_id": "order",
        "delivery_id": "delivery",
    }

    delivery_id: int
    number: str
    order_id: int | None
    party_id: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    backorder_id: int | None = None

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        if payload.get("backorder_id"):
            return gettext("Delivery %(number)s was shipped in part; the rest follows") % payload
        return gettext("Delivery %(number)s was shipped") % payload


@dataclass(frozen=True, kw_only=True)
class DeliveryCancelled(Event):
    type: ClassVar[str] = "inventory.delivery.cancelled"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A delivery was cancelled and its reservations released")
    subject_fields: ClassVar[dict[str, str]] = {
        "party_id": "party",
        "order_id": "order",
        "delivery_id": "delivery",
    }

    delivery_id: int
    order_id: int | None
    party_id: int | None = None
    number: str = ""

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Delivery %(number)s was cancelled") % payload


@dataclass(frozen=True, kw_only=True)
class ReturnReceived(Event):
    type: ClassVar[str] = "inventory.return.received"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Goods returned by a customer were received")
    subject_fields: ClassVar[dict[str, str]] = {
        "party_id": "party",
        "order_id": "order",
        "delivery_id": "delivery",
    }

    delivery_id: int
    number: str
    order_id: int | None
    party_id: int
    lines: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Return %(number)s was received") % payload


@dataclass(frozen=True, kw_only=True)
class StockAdjusted(Event):
    type: ClassVar[str] = "inventory.stock.adjusted"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Stock of a product was adjusted by hand")
    subject_fields: ClassVar[dict[str, str]] = {"product_id": "product"}

    product_id: int
    sku: str
    location_id: int
    location: str
    quantity: str  # signed, in the product's unit
    lot: str = ""
    reason: str = ""

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Stock of %(sku)s at %(location)s adjusted by %(quantity)s") % payload


@dataclass(frozen=True, kw_only=True)
class CountPosted(Event):
    type: ClassVar[str] = "inventory.count.posted"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A stock count was posted and its differences adjusted")
    subject_fields: ClassVar[dict[str, str]] = {"count_id": "stockcount"}

    count_id: int
    number: str
    location_id: int
    location: str
    reason: str
    adjustments: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Stock count %(number)s at %(location)s was posted") % payload


RECEIPT_SUBJECTS = {
    "party_id": "party",
    "order_id": "purchase_order",
    "receipt_id": "receipt",
}


@dataclass(frozen=True, kw_only=True)
class ReceiptCreated(Event):
    type: ClassVar[str] = "inventory.receipt.created"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Goods from a supplier are expected (a receipt was created)")
    subject_fields: ClassVar[dict[str, str]] = RECEIPT_SUBJECTS

    receipt_id: int
    number: str
    order_id: int | None
    party_id: int
    lines: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Receipt %(number)s is expected") % payload


@dataclass(frozen=True, kw_only=True)
class ReceiptDone(Event):
    """Goods arrived: `lines` = [{"receipt_line_id", "order_line_id", "product_id",
    "quantity"}] with the quantities of this arrival (in the product's unit);
    `complete` tells whether the receipt has everything now."""

    type: ClassVar[str] = "inventory.receipt.done"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Goods from a supplier arrived (all or part of a receipt)")
    subject_fields: ClassVar[dict[str, str]] = RECEIPT_SUBJECTS

    receipt_id: int
    number: str
    order_id: int | None
    party_id: int
    lines: list[dict[str, Any]] = field(default_factory=list)
    complete: bool = False

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        if payload.get("complete"):
            return gettext("Receipt %(number)s arrived in full") % payload
        return gettext("Part of receipt %(number)s arrived") % payload


@dataclass(frozen=True, kw_only=True)
class ReceiptCancelled(Event):
    type: ClassVar[str] = "inventory.receipt.cancelled"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A receipt will not arrive (its purchase order was closed)")
    subject_fields: ClassVar[dict[str, str]] = RECEIPT_SUBJECTS

    receipt_id: int
    number: str
    order_id: int | None
    party_id: int

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Receipt %(number)s will not arrive") % payload


PRODUCTION_SUBJECTS = {"production_id": "production", "product_id": "product"}


@dataclass(frozen=True, kw_only=True)
class ProductionConfirmed(Event):
    type: ClassVar[str] = "inventory.production.confirmed"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A production order was confirmed and its components reserved")
    subject_fields: ClassVar[dict[str, str]] = PRODUCTION_SUBJECTS

    production_id: int
    number: str
    product_id: int
    quantity: str

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Production order %(number)s was confirmed") % payload


@dataclass(frozen=True, kw_only=True)
class ProductionProduced(Event):
    """Part of a production order was made and the order stays open for the rest:
    `quantity` made in this run (with its `lot`, "" when untracked), `components` =
    [{"product_id", "quantity", "value", "lot"}] consumed for it; `unit_cost` and `value`
    of this run (NOK). The run that completes the order publishes
    `inventory.production.done` instead."""

    type: ClassVar[str] = "inventory.production.produced"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Part of a production order was made; the rest stays open")
    subject_fields: ClassVar[dict[str, str]] = PRODUCTION_SUBJECTS

    production_id: int
    number: str
    product_id: int
    quantity: str
    produced: str
    remaining: str
    lot: str = ""
    unit_cost: str
    value: str
    components: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("%(quantity)s made on production order %(number)s") % _plain(payload)


@dataclass(frozen=True, kw_only=True)
class ProductionScrapped(Event):
    """Components or finished goods of a production order were scrapped: moved from the
    stock location to inventory loss, `value` (NOK) booked to shrinkage (4390)."""

    type: ClassVar[str] = "inventory.production.scrapped"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Components or goods of a production order were scrapped")
    subject_fields: ClassVar[dict[str, str]] = PRODUCTION_SUBJECTS

    production_id: int
    number: str
    product_id: int
    quantity: str
    lot: str = ""
    value: str
    note: str = ""

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("%(quantity)s scrapped on production order %(number)s") % _plain(payload)


@dataclass(frozen=True, kw_only=True)
class ProductionDone(Event):
    """A production order is done: everything was made, or it was closed short (`short`,
    the rest will not be made). `quantity`, `unit_cost` and `value` (NOK) of everything
    it produced; `components` = [{"product_id", "quantity", "value"}] consumed in total;
    `lots` the lots or serial numbers made (empty when untracked)."""

    type: ClassVar[str] = "inventory.production.done"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A production order was done: components consumed, goods made")
    subject_fields: ClassVar[dict[str, str]] = PRODUCTION_SUBJECTS

    production_id: int
    number: str
    product_id: int
    quantity: str
    unit_cost: str
    value: str
    components: list[dict[str, Any]] = field(default_factory=list)
    short: bool = False
    lots: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Production order %(number)s was done") % payload


@dataclass(frozen=True, kw_only=True)
class ProductionCancelled(Event):
    type: ClassVar[str] = "inventory.production.cancelled"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A production order was cancelled and its reservations released")
    subject_fields: ClassVar[dict[str, str]] = PRODUCTION_SUBJECTS

    production_id: int
    number: str
    product_id: int

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Production order %(number)s was cancelled") % payload
