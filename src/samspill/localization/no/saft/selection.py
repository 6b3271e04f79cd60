"""Which part of the ledger a SAF-T file covers: a date range inside one fiscal year.

Skatteetaten expects a file per fiscal year or per period range of one year; a range
across fiscal years, with the start after the end, or outside every fiscal year is refused
with a clear message (problem+json in the API, a form error in the UI)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from samspill.accounting.models import FiscalYear, Period
from samspill.platform.errors import ValidationFailed


@dataclass(frozen=True)
class Selection:
    date_from: date
    date_to: date
    fiscal_year: FiscalYear
    periods: tuple[Period, ...]

    @property
    def first_period(self) -> Period:
        return self.periods[0]

    @property
    def last_period(self) -> Period:
        return self.periods[-1]

    @property
    def whole_periods(self) -> bool:
        """True when the range starts and ends on period boundaries (then the header names
        the periods, as Skatteetaten's examples do)."""
        return self.date_from == self.first_period.start and self.date_to == self.last_period.end

    @property
    def period_year(self) -> int:
        """SAF-T PeriodYear: the calendar year the fiscal year starts in."""
        return self.fiscal_year.start.year

    def __str__(self) -> str:
        return f"{self.date_from.isoformat()}–{self.date_to.isoformat()}"


def _fail(message: str, field: str, code: str) -> ValidationFailed:
    return ValidationFailed(message, errors={field: [message]}, code=code)


def resolve(date_from: date, date_to: date) -> Selection:
    """The selection for a date range, or a ValidationFailed that says what is wrong."""
    if date_from > date_to:
        raise _fail(_("The start date is after the end date."), "from", "range_reversed")
    year = FiscalYear.objects.filter(start__lte=date_from, end__gte=date_from).first()
    if year is None:
        raise _fail(
            _("No fiscal year covers %(date)s. Open the fiscal year first.")
            % {"date": date_from.isoformat()},
            "from",
            "no_fiscal_year",
        )
    if date_to > year.end:
        raise _fail(
            _(
                "A SAF-T file covers one fiscal year: %(year)s ends on %(end)s. "
                "Export each fiscal year on its own."
            )
            % {"year": year.name, "end": year.end.isoformat()},
            "to",
            "range_across_fiscal_years",
        )
    periods = tuple(
        Period.objects.filter(fiscal_year=year, end__gte=date_from, start__lte=date_to).order_by(
            "number"
        )
    )
    if not periods:  # a fiscal year always has its twelve periods; this is defensive
        raise _fail(_("The fiscal year has no periods."), "from", "no_periods")
    return Selection(date_from=date_from, date_to=date_to, fiscal_year=year, periods=periods)


def for_periods(year: FiscalYear, first: int, last: int) -> Selection:
    """The selection of periods `first`..`last` (1-12) of a fiscal year."""
    if first > last:
        raise _fail(
            _("The first period comes after the last period."), "period_from", "range_reversed"
        )
    periods = {p.number: p for p in Period.objects.filter(fiscal_year=year)}
    if first not in periods or last not in periods:
        raise _fail(_("Choose periods of the fiscal year."), "period_from", "no_periods")
    return resolve(periods[first].start, periods[last].end)
