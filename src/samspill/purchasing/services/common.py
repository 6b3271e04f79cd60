"""What the purchasing commands share: permission checks, gapless numbering, building
priced lines (VAT from the product's category) and totals (Decimal, ROUND_HALF_UP to øre,
VAT rounded once per rate)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from samspill.catalog import queries as catalog
from samspill.catalog.models import VAT_RATES
from samspill.parties import queries as parties
from samspill.platform import numbering
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.money import compute_line
from samspill.platform.money import parse_decimal as _decimal
from samspill.platform.permissions import require
from samspill.purchasing.models import HUNDRED, PurchaseOrderLine, money

MAX_LINES = 500
MAX_UNIT_PRICE = Decimal("9999999999.99")

VIEW = "purchasing.view_purchaseorder"
ADD = "purchasing.add_purchaseorder"
CHANGE = "purchasing.change_purchaseorder"
SEND = "purchasing.send_purchaseorder"
CONFIRM = "purchasing.confirm_purchaseorder"
CANCEL = "purchasing.cancel_purchaseorder"


class WrongState(Conflict):
    code = "wrong_state"


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def next_number(on: date) -> str:
    """The next purchase order number of the year of `on`: "PO-2026-00001" (the platform's
    gapless series "purchasing.order")."""
    return numbering.next_number("purchasing.order", "PO", on)


def resolve_supplier(value, errors: dict[str, list[str]]):
    """A current party with the supplier role, else an error on "party"."""
    if value in (None, ""):
        errors.setdefault("party", []).append(_("Choose a supplier."))
        return None
    pk = getattr(value, "pk", value)
    party = parties.visible_parties(None).filter(pk=pk).first() if str(pk).isdigit() else None
    if party is None:
        errors.setdefault("party", []).append(_("There is no supplier with this id."))
    elif not party.is_supplier:
        errors.setdefault("party", []).append(
            _("%(name)s is not a supplier. Give the party the supplier role first.")
            % {"name": party.display_name}
        )
        return None
    return party


def supplier_email(party) -> str:
    row = parties.party_list(None).filter(pk=party.pk).values("primary_email").first()
    return (row or {}).get("primary_email") or ""


@dataclass
class LineInput:
    product_id: Any
    quantity: Any
    unit_price: Any = None
    discount_percent: Any = None
    expected_date: Any = None
    description: str = ""


def _as_input(raw: LineInput | Mapping[str, Any]) -> LineInput:
    if isinstance(raw, LineInput):
        return raw
    product = raw.get("product_id", raw.get("product"))
    return LineInput(
        product_id=getattr(product, "pk", product),
        quantity=raw.get("quantity"),
        unit_price=raw.get("unit_price"),
        discount_percent=raw.get("discount_percent"),
        expected_date=raw.get("expected_date"),
        description=raw.get("description") or "",
    )


def build_lines(
    raw_lines: Iterable[LineInput | Mapping[str, Any]],
    *,
    language: str,
    errors: dict[str, list[str]],
    default_prices: Mapping[int, Decimal] | None = None,
) -> list[PurchaseOrderLine]:
    """Unsaved lines. The unit price defaults to `default_prices[product_id]` (the
    supplier's price) else the product's cost price. Errors are keyed
    "lines.<index>.<field>"."""
    inputs = [_as_input(raw) for raw in raw_lines]
    if not inputs:
        errors.setdefault("lines", []).append(_("Add at least one line."))
        return []
    if len(inputs) > MAX_LINES:
        errors.setdefault("lines", []).append(
            _("A document has at most %(max)s lines.") % {"max": MAX_LINES}
        )
        return []
    ids = {int(i.product_id) for i in inputs if str(i.product_id).isdigit()}
    products = {p.pk: p for p in catalog.product_list(None).filter(pk__in=ids)}
    lines = []
    for index, item in enumerate(inputs):
        prefix = f"lines.{index}."
        product = products.get(int(item.product_id)) if str(item.product_id).isdigit() else None
        if product is None:
            errors.setdefault(prefix + "product", []).append(_("Choose a product."))
        elif not product.is_active:
            errors.setdefault(prefix + "product", []).append(
                _("%(sku)s is archived and cannot be bought.") % {"sku": product.sku}
            )
            product = None
        quantity = _decimal(item.quantity, prefix + "quantity", errors)
        if item.quantity in (None, ""):
            errors.setdefault(prefix + "quantity", []).append(
                _("The quantity must be a number greater than zero.")
            )
        elif quantity is not None and (quantity <= 0 or quantity > catalog.MAX_QUANTITY):
            errors.setdefault(prefix + "quantity", []).append(
                _("The quantity must be a number greater than zero.")
            )
            quantity = None
        elif quantity is not None and quantity != quantity.quantize(Decimal("0.001")):
            errors.setdefault(prefix + "quantity", []).append(
                _("Use at most three decimals for the quantity.")
            )
            quantity = None
        price = _decimal(item.unit_price, prefix + "unit_price", errors)
        if price is not None and (price < 0 or price > MAX_UNIT_PRICE):
            errors.setdefault(prefix + "unit_price", []).append(
                _("The unit price cannot be negative.")
            )
            price = None
        discount = _decimal(item.discount_percent, prefix + "discount_percent", errors)
        if discount is not None and not (0 <= discount <= HUNDRED):
            errors.setdefault(prefix + "discount_percent", []).append(
                _("The discount must be between 0 and 100 %.")
            )
            discount = None
        if product is None or quantity is None:
            continue
        if price is None:
            price = (default_prices or {}).get(product.pk, product.cost_price)
        line = PurchaseOrderLine(
            position=index + 1,
            product=product,
            sku=product.sku,
            description=(item.description or "").strip()[:300] or product.name_in(language),
            product_type=product.product_type,
            quantity=quantity,
            unit=product.unit.code,
            unit_price=money(price),
            discount_percent=(discount or Decimal("0")).quantize(Decimal("0.01")),
            vat_category=product.vat_category,
            vat_rate=VAT_RATES.get(product.vat_category),
            expected_date=item.expected_date or None,
        )
        compute_line(line)
        lines.append(line)
    return lines


def snapshot_lines(lines: Iterable[PurchaseOrderLine]) -> list[str]:
    return [
        f"{line.sku} × {line.quantity} à {line.unit_price} −{line.discount_percent} %"
        for line in lines
    ]
