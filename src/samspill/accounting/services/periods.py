"""Closing and reopening months, and the year-end close."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import ZERO, Account, FiscalYear, JournalEntry, JournalLine, Period
from samspill.accounting.queries import cents
from samspill.accounting.services.entries import post_entries
from samspill.accounting.services.setup import open_fiscal_year
from samspill.localization.no.chart import RETAINED_EARNINGS
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish
from samspill.platform.permissions import require


@transaction.atomic
def close_period(period: Period, *, actor) -> Period:
    """Close a month: nothing more can be posted with a date in it."""
    if actor is not None:
        require(actor, "accounting.close_period")
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("fiscal_year")
        .get(pk=period.pk)
    )
    if period.closed:
        raise Conflict(
            _("Period %(period)s is already closed.") % {"period": period}, code="closed"
        )
    drafts = JournalEntry.objects.filter(period=period, state=JournalEntry.State.DRAFT).count()
    if drafts:
        raise Conflict(
            _("Period %(period)s has %(count)d draft entries. Post or delete them first.")
            % {"period": period, "count": drafts},
            code="period_has_drafts",
        )
    period.closed = True
    period.save(update_fields=["closed"])
    audit.record("update", period, actor=actor, changes={"closed": [False, True]})
    publish(events.PeriodClosed(period_id=period.pk, period=str(period)), actor=actor)
    return period


@transaction.atomic
def reopen_period(period: Period, *, actor) -> Period:
    if actor is not None:
        require(actor, "accounting.close_period")
    period = (
        Period.objects.select_for_update(of=("self",))
        .select_related("fiscal_year")
        .get(pk=period.pk)
    )
    if not period.closed:
        raise Conflict(_("Period %(period)s is open.") % {"period": period}, code="open")
    if period.fiscal_year.closed:
        raise Conflict(
            _("The fiscal year %(year)s is closed; its periods cannot be reopened.")
            % {"year": period.fiscal_year},
            code="year_closed",
        )
    period.closed = False
    period.save(update_fields=["closed"])
    audit.record("update", period, actor=actor, changes={"closed": [True, False]})
    publish(events.PeriodReopened(period_id=period.pk, period=str(period)), actor=actor)
    return period


def _balances(year: FiscalYear, profit_and_loss: bool):
    """{account_id: debit - credit} over the year, one GROUP BY."""
    pl = Q(account__number__gte="3", account__number__lt="9")
    lines = JournalLine.objects.filter(posted=True, carry_forward=False, date__lte=year.end).filter(
        pl if profit_and_loss else ~pl
    )
    if profit_and_loss:
        lines = lines.filter(date__gte=year.start)
    rows = lines.values("account__number").annotate(balance=Sum("debit") - Sum("credit"))
    balances = {row["account__number"]: cents(row["balance"]) for row in rows}
    return {number: balance for number, balance in balances.items() if balance}


def _line(number: str, balance, description: str) -> dict:
    """A line that brings an account with `balance` (debit - credit) back by that much."""
    if balance > 0:
        return {"account": number, "credit": balance, "description": description}
    return {"account": number, "debit": -balance, "description": description}


@transaction.atomic
def close_year(year: FiscalYear, *, actor) -> FiscalYear:
    """Year-end close: post the closing entry that brings every profit-and-loss account to
    zero against retained earnings (2050), carry the balance-sheet balances forward as the
    opening entry of the next year (opened if needed), and close the year and its months."""
    if actor is not None:
        require(actor, "accounting.close_fiscalyear")
    year = FiscalYear.objects.select_for_update().get(pk=year.pk)
    if year.closed:
        raise Conflict(_("Fiscal year %(year)s is already closed.") % {"year": year}, code="closed")
    earlier_open = FiscalYear.objects.filter(start__lt=year.start, closed=False).first()
    if earlier_open is not None:
        raise Conflict(
            _("Close fiscal year %(year)s first.") % {"year": earlier_open}, code="earlier_open"
        )
    drafts = JournalEntry.objects.filter(fiscal_year=year, state=JournalEntry.State.DRAFT).count()
    if drafts:
        raise Conflict(
            _("Fiscal year %(year)s has %(count)d draft entries. Post or delete them first.")
            % {"year": year, "count": drafts},
            code="year_has_drafts",
        )
    if not Account.objects.filter(number=RETAINED_EARNINGS).exists():
        raise Conflict(
            _("Account %(number)s (retained earnings) is missing.") % {"number": RETAINED_EARNINGS},
            code="no_equity_account",
        )
    next_year = FiscalYear.objects.filter(start__gt=year.end).order_by("start").first()
    if next_year is None:
        next_year = open_fiscal_year(actor=None, start=year.end + timedelta(days=1))
    # Posting needs open periods: the last month may be closed already.
    Period.objects.filter(fiscal_year=year).update(closed=False)
    pl = _balances(year, profit_and_loss=True)
    result = sum(pl.values(), ZERO)  # debit - credit: a profit is negative
    closing = None
    if pl:
        description = _("Year-end close %(year)s") % {"year": year}
        lines = [_line(number, balance, description) for number, balance in sorted(pl.items())]
        lines.append(_line(RETAINED_EARNINGS, -result, description))
        [closing] = post_entries(
            [{"journal": "GEN", "date": year.end, "description": description, "lines": lines}],
            actor=None,
            kind=JournalEntry.Kind.CLOSING,
        )
    Period.objects.filter(fiscal_year=year).update(closed=True)
    bs = _balances(year, profit_and_loss=False)
    opening = None
    if bs:
        description = _("Opening balances from %(year)s") % {"year": year}
        lines = [_line(number, -balance, description) for number, balance in sorted(bs.items())]
        [opening] = post_entries(
            [
                {
                    "journal": "GEN",
                    "date": next_year.start,
                    "description": description,
                    "lines": lines,
                }
            ],
            actor=None,
            kind=JournalEntry.Kind.CARRY_FORWARD,
        )
    year.closed = True
    year.closed_at = timezone.now()
    year.save(update_fields=["closed", "closed_at"])
    audit.record("update", year, actor=actor, changes={"closed": [False, True]})
    publish(
        events.YearClosed(
            fiscal_year_id=year.pk,
            name=year.name,
            result=-result,
            closing_entry_id=closing.pk if closing else None,
            opening_entry_id=opening.pk if opening else None,
        ),
        actor=actor,
    )
    return year
