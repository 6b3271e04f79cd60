"""Events of the Norwegian localisation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class VatCodesLoaded(Event):
    type = "localization.vat_codes.loaded"
    description = _("The Norwegian VAT codes were loaded")

    created: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("VAT codes loaded: %(codes)s") % {
            "codes": ", ".join(payload.get("created", []))
        }


@dataclass(frozen=True, kw_only=True)
class VatCodeUpdated(Event):
    type = "localization.vat_code.updated"
    description = _("A VAT code was changed")

    code: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("VAT code %(code)s changed: %(fields)s") % {
            "code": payload["code"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class VatCategoryMapped(Event):
    type = "localization.vat_category.mapped"
    description = _("A VAT category was mapped to VAT codes")

    key: str
    sales_code: str
    purchase_code: str

    @classmethod
    def summarize(cls, payload):
        return gettext("VAT category %(key)s: sales %(sales_code)s, purchase %(purchase_code)s") % (
            payload
        )
