"""Events of the general ledger. A posted entry names every party on its lines as a
subject, so the party's 360-degree timeline shows the posting."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class EntryPosted(Event):
    type = "accounting.entry.posted"
    description = _("A journal entry was posted")
    subject_fields = {"entry_id": "journal_entry", "party_ids": "party"}

    entry_id: int
    voucher: str
    journal: str
    date: str
    text: str
    total: Decimal
    party_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Voucher %(voucher)s posted: %(text)s (%(total)s)") % payload


@dataclass(frozen=True, kw_only=True)
class EntryReversed(Event):
    type = "accounting.entry.reversed"
    description = _("A journal entry was reversed")
    subject_fields = {"entry_id": "journal_entry", "party_ids": "party"}

    entry_id: int
    voucher: str
    reversal_id: int
    reversal_voucher: str
    date: str
    party_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Voucher %(voucher)s reversed by %(reversal_voucher)s") % payload


@dataclass(frozen=True, kw_only=True)
class PeriodClosed(Event):
    type = "accounting.period.closed"
    description = _("An accounting period was closed")
    subject_fields = {"period_id": "period"}

    period_id: int
    period: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Period %(period)s closed") % payload


@dataclass(frozen=True, kw_only=True)
class PeriodReopened(Event):
    type = "accounting.period.reopened"
    description = _("An accounting period was reopened")
    subject_fields = {"period_id": "period"}

    period_id: int
    period: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Period %(period)s reopened") % payload


@dataclass(frozen=True, kw_only=True)
class FiscalYearOpened(Event):
    type = "accounting.year.opened"
    description = _("A fiscal year was opened")
    subject_fields = {"fiscal_year_id": "fiscal_year"}

    fiscal_year_id: int
    name: str
    start: str
    end: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Fiscal year %(name)s opened") % payload


@dataclass(frozen=True, kw_only=True)
class YearClosed(Event):
    type = "accounting.year.closed"
    description = _("A fiscal year was closed and its result transferred to equity")
    subject_fields = {"fiscal_year_id": "fiscal_year"}

    fiscal_year_id: int
    name: str
    result: Decimal
    closing_entry_id: int | None
    opening_entry_id: int | None

    @classmethod
    def summarize(cls, payload):
        return gettext("Fiscal year %(name)s closed, result %(result)s") % payload


@dataclass(frozen=True, kw_only=True)
class AccountUpdated(Event):
    type = "accounting.account.updated"
    description = _("An account was changed")
    subject_fields = {"account_id": "account"}

    account_id: int
    number: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Account %(number)s changed: %(fields)s") % {
            "number": payload["number"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class LinesMatched(Event):
    type = "accounting.lines.matched"
    description = _("Open items were matched")
    subject_fields = {"party_id": "party"}

    match: int
    account: str
    party_id: int | None
    line_ids: list[int]
    residual: Decimal

    @classmethod
    def summarize(cls, payload):
        return gettext("Open items on %(account)s matched (remaining %(residual)s)") % payload


@dataclass(frozen=True, kw_only=True)
class LinesUnmatched(Event):
    type = "accounting.lines.unmatched"
    description = _("A match of open items was released")
    subject_fields = {"party_id": "party"}

    match: int
    account: str
    party_id: int | None
    line_ids: list[int]

    @classmethod
    def summarize(cls, payload):
        return gettext("Match %(match)s on %(account)s released") % payload
