"""The VAT report (MVA-oppgave): per VAT code and term the basis, the VAT and the rate, with
the totals that go to the MVA-melding. One GROUP BY over the posted lines in SQL.

A line with a VAT code and no `vat_of` is a *base* line (the amount without VAT); the lines
generated from it carry the same code and point to it (`vat_of`). Sales codes put output VAT
on the code's account; standard purchase codes put deductible input VAT on the code's
account; reverse charge and import put output VAT on the code's account and the same amount
as input VAT on its deduction account."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from samspill.accounting.models import ZERO, Account, JournalLine
from samspill.accounting.queries.ledger import MONEY, cents, lines
from samspill.localization.no.models import VatCode
from samspill.platform.permissions import restrict

TERMS = 6  # two-month MVA terms in a year


def term_range(year: int, term: int) -> tuple[date, date]:
    """The first and last day of MVA term 1-6 of a year (term 1 = January and February)."""
    if not 1 <= term <= TERMS:
        raise ValueError(term)
    first = 2 * term - 1
    last = first + 1
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])


def term_of(day: date) -> int:
    return (day.month + 1) // 2


def terms(year: int) -> list[dict]:
    """The six terms of a year: number, label and range (for the report's quick links)."""
    return [
        {
            "term": n,
            "label": _("Term %(n)d") % {"n": n},
            "date_from": term_range(year, n)[0],
            "date_to": term_range(year, n)[1],
        }
        for n in range(1, TERMS + 1)
    ]


@dataclass(frozen=True)
class VatRow:
    vat_code_id: int
    code: str
    standard_code: str
    name: str
    direction: str
    rate: Decimal
    basis: Decimal
    output_vat: Decimal
    input_vat: Decimal


def vat_report(date_from: date, date_to: date, user=None) -> dict:
    """Per VAT code used in the range: the basis (net of the base lines; sales credit
    positive, purchases debit positive), the output VAT and the deductible input VAT; the
    totals and what is to pay (positive) or to get back (negative)."""
    sums = (
        restrict(JournalLine.objects.all(), user)
        .filter(posted=True, date__gte=date_from, date__lte=date_to, vat_code__isnull=False)
        .values("vat_code_id", "account_id")
        .annotate(
            base=Sum(F("debit") - F("credit"), filter=Q(vat_of__isnull=True), output_field=MONEY),
            vat=Sum(F("debit") - F("credit"), filter=Q(vat_of__isnull=False), output_field=MONEY),
        )
        .order_by()
    )
    rows = list(sums)
    codes = {
        c.pk: c
        for c in VatCode.objects.filter(pk__in={r["vat_code_id"] for r in rows}).only(
            "code",
            "standard_code",
            "name",
            "direction",
            "treatment",
            "rate",
            "account",
            "deduction_account",
        )
    }
    account_numbers = dict(
        Account.objects.filter(pk__in={r["account_id"] for r in rows}).values_list("pk", "number")
    )
    totals: dict[int, list[Decimal]] = {}
    for row in rows:
        code = codes[row["vat_code_id"]]
        basis, output, deductible = totals.setdefault(code.pk, [ZERO, ZERO, ZERO])
        base, vat = cents(row["base"]), cents(row["vat"])
        basis += -base if code.direction == VatCode.Direction.SALES else base
        number = account_numbers.get(row["account_id"], "")
        if vat:
            reverse_charge = code.treatment != VatCode.Treatment.STANDARD
            if code.direction == VatCode.Direction.SALES or (
                reverse_charge and number == code.account
            ):
                output += -vat
            else:
                deductible += vat
        totals[code.pk] = [basis, output, deductible]
    result = [
        VatRow(
            vat_code_id=pk,
            code=codes[pk].code,
            standard_code=codes[pk].standard_code,
            name=codes[pk].name,
            direction=codes[pk].direction,
            rate=codes[pk].rate,
            basis=basis,
            output_vat=output,
            input_vat=deductible,
        )
        for pk, (basis, output, deductible) in totals.items()
    ]
    result.sort(key=lambda r: (r.direction != VatCode.Direction.SALES, _code_key(r.code)))
    output_total = sum((r.output_vat for r in result), ZERO)
    input_total = sum((r.input_vat for r in result), ZERO)
    return {
        "date_from": date_from,
        "date_to": date_to,
        "rows": result,
        "output_vat": output_total,
        "input_vat": input_total,
        "to_pay": output_total - input_total,
        "to_pay_abs": abs(output_total - input_total),
    }


def _code_key(code: str):
    return (int(code), "") if code.isdigit() else (10**6, code)


def vat_code_lines(vat_code_id: int, date_from: date, date_to: date, user=None):
    """Drill-down: the posted lines with a VAT code in a range (base and VAT lines)."""
    return (
        lines(user)
        .filter(posted=True, vat_code_id=vat_code_id, date__gte=date_from, date__lte=date_to)
        .order_by("date", "entry_id", "line_no")
    )
