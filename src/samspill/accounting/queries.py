"""Read side of the ledger: lists, one entry, the trial balance, an account statement and
a party's balance. Reports aggregate in SQL (one GROUP BY), never in Python over lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, DecimalField, F, Q, Sum, Value, When, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.accounting.models import (
    ZERO,
    Account,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    Period,
)
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict

MONEY = DecimalField(max_digits=20, decimal_places=2)
CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """Sums come back as exact numerics on PostgreSQL but as floats on SQLite (which has no
    decimal type): round every aggregate to the øre, half up."""
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def accounts(user=None):
    return restrict(Account.objects.select_related("default_vat_code"), user)


def account(pk: int, user=None) -> Account:
    row = accounts(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("The account does not exist."))
    return row


def account_by_number(number: str, user=None) -> Account:
    row = accounts(user).filter(number=number).first()
    if row is None:
        raise NotFound(_("Account %(number)s does not exist.") % {"number": number})
    return row


def journals(user=None):
    return restrict(Journal.objects.all(), user)


def fiscal_years(user=None):
    return restrict(FiscalYear.objects.prefetch_related("periods"), user)


def period(pk: int, user=None) -> Period:
    row = restrict(Period.objects.select_related("fiscal_year"), user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("The period does not exist."))
    return row


def fiscal_year(pk: int, user=None) -> FiscalYear:
    row = restrict(FiscalYear.objects.all(), user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("The fiscal year does not exist."))
    return row


def entries(user=None):
    return restrict(
        JournalEntry.objects.select_related(
            "journal", "fiscal_year", "reversal_of__journal", "reversal_of__fiscal_year"
        ).annotate(total=Coalesce(Sum("lines__debit"), Value(ZERO), output_field=MONEY)),
        user,
    )


def entry(pk: int, user=None) -> JournalEntry:
    row = entries(user).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("The journal entry does not exist."))
    return row


def entry_lines(entry: JournalEntry):
    return entry.lines.select_related(
        "account", "vat_code", "party", "department", "project"
    ).order_by("line_no")


def lines(user=None):
    return restrict(
        JournalLine.objects.select_related(
            "account", "entry__journal", "entry__fiscal_year", "party", "vat_code"
        ),
        user,
    )


@dataclass(frozen=True)
class TrialBalanceRow:
    account_id: int
    number: str
    name: str
    opening: Decimal
    debit: Decimal
    credit: Decimal
    closing: Decimal


def trial_balance(date_from: date, date_to: date, user=None) -> list[TrialBalanceRow]:
    """Per account with any posting up to `date_to`: the balance before `date_from`
    (debit - credit), the debits and credits in the range and the balance at its end.
    One query: the posted lines grouped by account. Carried-forward opening entries are
    left out, since the history they repeat is counted."""
    rows = (
        restrict(JournalLine.objects.all(), user)
        .filter(posted=True, carry_forward=False, date__lte=date_to)
        .values("account_id", "account__number", "account__name")
        .annotate(
            opening=Coalesce(
                Sum(
                    Case(
                        When(date__lt=date_from, then=F("debit") - F("credit")), output_field=MONEY
                    )
                ),
                Value(ZERO),
                output_field=MONEY,
            ),
            period_debit=Coalesce(
                Sum(Case(When(date__gte=date_from, then=F("debit")), output_field=MONEY)),
                Value(ZERO),
                output_field=MONEY,
            ),
            period_credit=Coalesce(
                Sum(Case(When(date__gte=date_from, then=F("credit")), output_field=MONEY)),
                Value(ZERO),
                output_field=MONEY,
            ),
            closing=Sum(F("debit") - F("credit"), output_field=MONEY),
        )
        .order_by("account__number")
    )
    return [
        TrialBalanceRow(
            account_id=row["account_id"],
            number=row["account__number"],
            name=row["account__name"],
            opening=cents(row["opening"]),
            debit=cents(row["period_debit"]),
            credit=cents(row["period_credit"]),
            closing=cents(row["closing"]),
        )
        for row in rows
        if cents(row["opening"]) or cents(row["period_debit"]) or cents(row["period_credit"])
    ]


def opening_balance(account: Account, date_from: date) -> Decimal:
    total = JournalLine.objects.filter(
        account=account, posted=True, carry_forward=False, date__lt=date_from
    ).aggregate(balance=Sum(F("debit") - F("credit"), output_field=MONEY))["balance"]
    return cents(total)


def statement(account: Account, date_from: date, date_to: date, user=None):
    """The posted lines of one account in a date range, oldest first, each with the
    running balance from the start of the range (a window function in the database)."""
    return (
        lines(user)
        .filter(account=account, posted=True, date__gte=date_from, date__lte=date_to)
        .annotate(
            running=Window(
                Sum(F("debit") - F("credit"), output_field=MONEY),
                order_by=[F("date").asc(), F("entry_id").asc(), F("line_no").asc()],
            )
        )
        .order_by("date", "entry_id", "line_no")
    )


def party_balance(party_id: int) -> Decimal:
    """What the party owes us (positive) or we owe it (negative) on the reconcilable
    accounts (customers, suppliers)."""
    total = JournalLine.objects.filter(
        party_id=party_id, posted=True, account__reconcilable=True
    ).aggregate(balance=Sum(F("debit") - F("credit"), output_field=MONEY))["balance"]
    return cents(total)


def party_key_figures(user, party):
    from samspill.platform.registry import KeyFigure

    balance = party_balance(party.pk)
    label = gettext_lazy("Ledger balance (receivable − payable)")
    return [
        KeyFigure(
            label=label, value=balance, url=reverse("accounting:entry_list") + f"?party={party.pk}"
        )
    ]


def search(user, query: str, limit: int):
    from samspill.platform.registry import SearchHit

    kind = _("Account")
    rows = accounts(user).filter(Q(number__startswith=query) | Q(name__icontains=query))[:limit]
    hits = [
        SearchHit(
            kind=kind,
            title=str(row),
            url=reverse("accounting:account_statement", args=[row.pk]),
            subtitle=row.get_kind_display(),
        )
        for row in rows
    ]
    voucher = query.replace(" ", "").upper()
    if "-" in voucher:
        code_year, _sep, number = voucher.rpartition("-")
        if number.isdigit() and len(code_year) > 4:
            code, year = code_year[:-4], code_year[-4:]
            for row in entries(user).filter(
                journal__code=code, fiscal_year__name__startswith=year, number=int(number)
            )[:limit]:
                hits.append(
                    SearchHit(
                        kind=_("Voucher"),
                        title=row.voucher,
                        url=reverse("accounting:entry_detail", args=[row.pk]),
                        subtitle=row.description,
                    )
                )
    return hits
