"""Money rules every document with lines shares (quotes, orders, purchase orders, invoices):
amounts are Decimal, rounded half up to the øre at defined points:

- a line's net amount = quantity × unit price × (100 − discount %) / 100, rounded;
- a line's VAT = its net × rate, rounded (shown on the line);
- the document's VAT is computed per rate on the rate's net sum and rounded once: that is
  what the totals and the VAT summary show (two lines of 0.10 at 25 % have 0.05 VAT, not 0.06).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
ZERO = Decimal("0.00")


def money(value) -> Decimal:
    """An amount rounded to øre (ROUND_HALF_UP)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def parse_decimal(value, field: str, errors: dict[str, list[str]], *, default=None):
    """A number typed by a person or sent by a program ("1 234,5" or "1234.5"); on bad input
    an error on `field` and None. Empty gives `default`."""
    if value in (None, ""):
        return default
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    return number


def compute_line(line) -> None:
    """Set a line's `net_amount` and `vat_amount` from its quantity, unit price, discount %
    and VAT rate (None or 0: no VAT)."""
    gross = line.quantity * line.unit_price
    line.net_amount = money(gross * (HUNDRED - line.discount_percent) / HUNDRED)
    line.vat_amount = money(line.net_amount * line.vat_rate / HUNDRED) if line.vat_rate else ZERO


@dataclass(frozen=True)
class VatRow:
    rate: Decimal | None  # None: outside the VAT act
    net: Decimal
    vat: Decimal


def vat_breakdown(lines: Iterable[Any]) -> list[VatRow]:
    """Net and VAT per rate, highest rate first: the VAT of a rate is its net sum × rate,
    rounded once."""
    nets: dict[Decimal | None, Decimal] = {}
    for line in lines:
        rate = line.vat_rate
        key = None if rate is None else Decimal(rate).quantize(CENT)
        nets[key] = nets.get(key, Decimal("0")) + line.net_amount
    rows = []
    for rate in sorted(nets, key=lambda r: (r is None, -(r or 0))):
        net = money(nets[rate])
        rows.append(VatRow(rate=rate, net=net, vat=money(net * rate / HUNDRED) if rate else ZERO))
    return rows


def set_totals(
    document, lines: Iterable[Any], breakdown: Callable[[Iterable[Any]], list] = vat_breakdown
) -> None:
    """The document's `net_total`, `vat_total` (Σ VAT per rate) and `total`."""
    rows = breakdown(lines)
    net = sum(((r.net if hasattr(r, "net") else r["net"]) for r in rows), Decimal("0"))
    vat = sum(((r.vat if hasattr(r, "vat") else r["vat"]) for r in rows), Decimal("0"))
    document.net_total = money(net)
    document.vat_total = money(vat)
    document.total = document.net_total + document.vat_total
