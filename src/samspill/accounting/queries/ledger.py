"""Read side of the ledger: accounts, journals, periods, entries and lines, a party's balance
and the search provider."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    DecimalField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
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
    Project,
)
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict

MONEY = DecimalField(max_digits=20, decimal_places=2)
CENT = Decimal("0.01")


def cents(value) -> Decimal:
    """Sums come back as exact numerics on PostgreSQL but as floats on SQLite (which has no
    decimal type): round every aggregate to the øre, half up."""
    amount = Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)
    return amount if amount else ZERO  # no "-0.00"


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


def projects(user=None):
    return restrict(Project.objects.all(), user)


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


# --- Profit and loss, balance sheet ------------------------------------------------------


def open_item_amounts(line: str, *, debit: bool) -> tuple[Coalesce, Case]:
    """For a document that points at its open-item ledger line (an invoice's receivable,
    a bill's payable) through the field `line`: the line's amount and what its match still
    leaves open, as annotations. `debit`: the document's side of the line (debit − credit
    for a receivable, credit − debit for a payable)."""
    sign = (F("debit") - F("credit")) if debit else (F("credit") - F("debit"))
    residual = (
        JournalLine.objects.filter(match=OuterRef(f"{line}__match"))
        .order_by()
        .values("match")
        .annotate(total=Sum(sign, output_field=MONEY))
        .values("total")
    )
    own = (
        F(f"{line}__debit") - F(f"{line}__credit")
        if debit
        else F(f"{line}__credit") - F(f"{line}__debit")
    )
    amount = ExpressionWrapper(own, output_field=MONEY)
    zero = Value(ZERO)
    open_amount = Case(
        When(**{f"{line}__isnull": True}, then=zero),
        When(**{f"{line}__match__isnull": True}, then=amount),
        default=Coalesce(Subquery(residual, output_field=MONEY), zero),
        output_field=MONEY,
    )
    return Coalesce(amount, zero, output_field=MONEY), open_amount
