"""What the sales commands share: permission checks, pricing lines from the catalog and
computing totals (Decimal, ROUND_HALF_UP to øre, VAT per line and per rate)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samspill.catalog import queries as catalog
from samspill.catalog.models import VAT_RATES
from samspill.parties import queries as parties
from samspill.platform.errors import Conflict, DomainError, ValidationFailed
from samspill.platform.money import compute_line, set_totals
from samspill.platform.money import parse_decimal as _decimal
from samspill.platform.permissions import require
from samspill.sales.models import Line, money

MAX_LINES = 500
# The audit key of a document's lines; the history panel translates it with our catalogue.
LINES_KEY = gettext_noop("lines")
L = TypeVar("L", bound=Line)
MAX_DISCOUNT = Decimal("100")
MAX_UNIT_PRICE = Decimal("9999999999.99")


class WrongState(Conflict):
    code = "wrong_state"


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


# --- Customer ----------------------------------------------------------------------------


def resolve_party(value, errors: dict[str, list[str]], field: str = "party"):
    """A current party from a Party or an id, else an error on `field`."""
    if value is None or value == "":
        errors.setdefault(field, []).append(_("Choose a customer."))
        return None
    pk = getattr(value, "pk", value)
    party = parties.visible_parties(None).filter(pk=pk).first() if str(pk).isdigit() else None
    if party is None:
        errors.setdefault(field, []).append(_("There is no customer with this id."))
    return party


def resolve_contact(value, party, errors: dict[str, list[str]]):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    contact = parties.visible_parties(None).filter(pk=pk).first() if str(pk).isdigit() else None
    if contact is None or contact.kind != "person":
        errors.setdefault("contact", []).append(_("Choose a person as contact."))
        return None
    if (
        party is not None
        and party.kind == "organization"
        and not parties.contacts_of(party).filter(person=contact).exists()
    ):
        errors.setdefault("contact", []).append(
            _("%(name)s is not a contact person of %(customer)s.")
            % {"name": contact.display_name, "customer": party.display_name}
        )
        return None
    return contact


def party_email(party, contact=None) -> str:
    """The contact person's primary email, else the customer's."""
    for who in (contact, party):
        if who is None:
            continue
        row = parties.party_list(None).filter(pk=who.pk).values("primary_email").first()
        if row and row["primary_email"]:
            return row["primary_email"]
    return ""


# --- Lines and totals ---------------------------------------------------------------------


@dataclass
class LineInput:
    product_id: Any
    quantity: Any
    unit_price: Any = None
    discount_percent: Any = None
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
        description=raw.get("description") or "",
    )


def build_lines(
    line_model: type[L],
    raw_lines: Iterable[LineInput | Mapping[str, Any]],
    *,
    actor,
    currency: str,
    price_list,
    on: date,
    language: str,
    errors: dict[str, list[str]],
) -> list[L]:
    """Unsaved lines priced from the catalog (prices_for: price list and quantity breaks, one
    query). A unit price or a discount other than the catalog's needs the permission
    sales.price_quote. Errors are keyed "lines.<index>.<field>"."""
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
    may_price = actor is None or actor.has_perm("sales.price_quote")
    priced: list[tuple[int, Any, Decimal]] = []
    parsed: dict[int, tuple[Decimal | None, Decimal | None, str]] = {}
    for index, item in enumerate(inputs):
        prefix = f"lines.{index}."
        product = products.get(int(item.product_id)) if str(item.product_id).isdigit() else None
        if product is None:
            errors.setdefault(prefix + "product", []).append(_("Choose a product."))
        elif not product.is_active:
            errors.setdefault(prefix + "product", []).append(
                _("%(sku)s is archived and cannot be sold.") % {"sku": product.sku}
            )
            product = None
        quantity = _decimal(item.quantity, prefix + "quantity", errors)
        if quantity is not None and (quantity <= 0 or quantity > catalog.MAX_QUANTITY):
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
        if discount is not None and not (0 <= discount <= MAX_DISCOUNT):
            errors.setdefault(prefix + "discount_percent", []).append(
                _("The discount must be between 0 and 100 %.")
            )
            discount = None
        if discount is not None and discount and not may_price:
            errors.setdefault(prefix + "discount_percent", []).append(
                _("You may not give discounts.")
            )
        if product is not None and quantity is not None:
            priced.append((index, product, quantity))
        parsed[index] = (price, discount, (item.description or "").strip()[:300])
    if not priced:
        return []
    try:
        prices = catalog.prices_for(
            [(p, q) for _i, p, q in priced], price_list=price_list, on=on, currency=currency
        )
    except DomainError as exc:
        errors.setdefault("lines", []).append(str(exc.message))
        return []
    lines: list[L] = []
    for (index, product, quantity), catalog_price in zip(priced, prices, strict=True):
        price, discount, description = parsed[index]
        if price is None:
            price = catalog_price.unit_price
        elif money(price) != catalog_price.unit_price and not may_price:
            errors.setdefault(f"lines.{index}.unit_price", []).append(
                _("You may not change prices; the price list gives %(price)s.")
                % {"price": catalog_price.unit_price}
            )
        rate = VAT_RATES.get(product.vat_category)
        line = line_model(
            position=index + 1,
            product=product,
            sku=product.sku,
            description=description or product.name_in(language),
            product_type=product.product_type,
            quantity=quantity,
            unit=product.unit.code,
            unit_price=money(price),
            discount_percent=(discount or Decimal("0")).quantize(Decimal("0.01")),
            vat_category=product.vat_category,
            vat_rate=rate,
        )
        compute_line(line)
        lines.append(line)
    return lines


def validate_currency(value: str, errors) -> str:
    from samspill.catalog.models import validate_currency as check_currency

    currency = (value or "NOK").strip().upper()
    try:
        check_currency(currency)
    except Exception:
        errors.setdefault("currency", []).append(
            _("Choose a currency by its ISO 4217 code, such as NOK, EUR or SEK.")
        )
    return currency


def snapshot_lines(lines: Iterable[Line]) -> list[str]:
    return [
        f"{line.sku} × {line.quantity} à {line.unit_price} −{line.discount_percent} %"
        for line in lines
    ]


def save_draft_changes(document, fields, lines, *, actor, header, line_model, parent: str, on):
    """The shared part of changing a draft quote or order (the caller has locked it and
    checked its state): header fields through `header(document, fields, errors, party)`,
    the lines rebuilt from `lines` when given (priced as of `on`), totals, and one audit
    entry with the changed fields and lines. Nothing is written when anything is invalid."""
    from samspill.platform import audit

    before = audit.snapshot(document)
    old_lines = list(document.lines.all())
    errors: dict[str, list[str]] = {}
    header(document, fields, errors, document.party)
    rows = old_lines
    if lines is not None:
        rows = build_lines(
            line_model,
            lines,
            actor=actor,
            currency=document.currency,
            price_list=document.price_list,
            on=on(document),
            language=document.language,
            errors=errors,
        )
    raise_if(errors)
    set_totals(document, rows)
    document.save()
    changes = audit.diff(before, audit.snapshot(document))
    if lines is not None:
        document.lines.all().delete()
        for line in rows:
            setattr(line, parent, document)
        line_model.objects.bulk_create(rows)
        if snapshot_lines(old_lines) != snapshot_lines(rows):
            changes["lines"] = [snapshot_lines(old_lines), snapshot_lines(rows)]
    if changes:
        audit.record("update", document, actor=actor, changes=changes)
    return document
