"""Read side of the Norwegian localisation, used by accounting, the catalog and the UI."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samspill.localization.no.models import VatCategory, VatCode
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict


def vat_codes(user=None):
    return restrict(VatCode.objects.all(), user)


def vat_code(code: str, user=None) -> VatCode:
    row = vat_codes(user).filter(code=code).first()
    if row is None:
        raise NotFound(_("VAT code %(code)s does not exist.") % {"code": code})
    return row


def vat_categories(user=None):
    return restrict(VatCategory.objects.select_related("sales_code", "purchase_code"), user)


def vat_codes_for_categories(keys, direction: str = VatCode.Direction.SALES) -> dict[str, VatCode]:
    """The VAT code of each of these catalog categories (one query); unknown keys are left
    out."""
    rows = vat_categories().filter(key__in=set(keys))
    return {
        c.key: c.sales_code if direction == VatCode.Direction.SALES else c.purchase_code
        for c in rows
    }


def vat_code_for_category(key: str, direction: str = VatCode.Direction.SALES) -> VatCode:
    """The VAT code a sale ("sales") or purchase ("purchase") in a catalog category uses."""
    category = vat_categories().filter(key=key).first()
    if category is None:
        raise NotFound(_("Unknown VAT category %(key)s.") % {"key": key})
    return category.sales_code if direction == VatCode.Direction.SALES else category.purchase_code
