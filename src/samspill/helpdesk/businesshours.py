"""Business-hours arithmetic for SLA targets: a team's opening hours on its working days in
Europe/Oslo, without Norwegian public holidays (the `holidays` package: 17 May, Easter,
Ascension, Whitsun, Christmas ...).

`add_business_hours(start, hours, hours_of)` walks forward from `start` (aware) through the
opening intervals until `hours` of open time have passed. A start outside opening hours
counts from the next opening."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

OSLO = ZoneInfo("Europe/Oslo")
MAX_DAYS = 3660  # a target further than ten years out is a configuration error


@lru_cache(maxsize=32)
def _holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("NO", years=year).keys())


def is_holiday(day: date) -> bool:
    return day in _holidays(day.year)


@dataclass(frozen=True)
class OpeningHours:
    opens_at: time
    closes_at: time
    workdays: str = "12345"  # ISO weekdays
    tz: ZoneInfo = OSLO

    @classmethod
    def of(cls, queue) -> OpeningHours:
        return cls(queue.opens_at, queue.closes_at, queue.workdays or "12345")

    def is_workday(self, day: date) -> bool:
        return str(day.isoweekday()) in self.workdays and not is_holiday(day)

    def interval(self, day: date) -> tuple[datetime, datetime] | None:
        """The opening interval of a day as aware datetimes, or None when closed."""
        if not self.is_workday(day):
            return None
        return (
            datetime.combine(day, self.opens_at, self.tz),
            datetime.combine(day, self.closes_at, self.tz),
        )


def add_business_hours(start: datetime, hours: Decimal | float | int, hours_of: OpeningHours):
    """The moment (UTC) when `hours` business hours have passed since `start`."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    remaining = timedelta(seconds=float(Decimal(str(hours)) * 3600))
    if remaining <= timedelta(0):
        return start.astimezone(UTC)
    local = start.astimezone(hours_of.tz)
    day = local.date()
    for _ in range(MAX_DAYS):
        interval = hours_of.interval(day)
        if interval is not None:
            opens, closes = interval
            begin = max(opens, local)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return (begin + remaining).astimezone(UTC)
                remaining -= available
        day += timedelta(days=1)
    raise ValueError("no opening hours found within ten years")


def business_hours_between(start: datetime, end: datetime, hours_of: OpeningHours) -> Decimal:
    """Open time between two moments, in hours (2 decimals); 0 when end <= start."""
    seconds = business_seconds_between(start, end, hours_of)
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


def business_seconds_between(start: datetime, end: datetime, hours_of: OpeningHours) -> int:
    """Open time between two moments, in whole seconds; 0 when end <= start."""
    if end <= start:
        return 0
    local_start = start.astimezone(hours_of.tz)
    local_end = end.astimezone(hours_of.tz)
    total = timedelta(0)
    day = local_start.date()
    while day <= local_end.date():
        interval = hours_of.interval(day)
        if interval is not None:
            begin = max(interval[0], local_start)
            finish = min(interval[1], local_end)
            if finish > begin:
                total += finish - begin
        day += timedelta(days=1)
    return int(total.total_seconds())
