"""Business-hours arithmetic: Mon-Fri 08:00-16:00 Europe/Oslo without Norwegian holidays."""

from datetime import UTC, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from samspill.helpdesk.businesshours import (
    OpeningHours,
    add_business_hours,
    business_hours_between,
    is_holiday,
)

OSLO = ZoneInfo("Europe/Oslo")
HOURS = OpeningHours(time(8, 0), time(16, 0))


def oslo(*args) -> datetime:
    return datetime(*args, tzinfo=OSLO)


def add(start, hours, opening=HOURS):
    return add_business_hours(start, Decimal(str(hours)), opening).astimezone(OSLO)


def test_within_the_same_day():
    assert add(oslo(2026, 11, 24, 9, 0), 4) == oslo(2026, 11, 24, 13, 0)


def test_result_is_utc():
    result = add_business_hours(oslo(2026, 11, 24, 9, 0), 1, HOURS)
    assert result.tzinfo == UTC
    assert result == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 10:00 in Oslo (CET)


def test_rolls_over_to_next_morning():
    # Tuesday 14:00 + 4 h: 2 h today, 2 h from Wednesday 08:00
    assert add(oslo(2026, 11, 24, 14, 0), 4) == oslo(2026, 11, 25, 10, 0)


def test_exactly_at_closing():
    assert add(oslo(2026, 11, 24, 8, 0), 8) == oslo(2026, 11, 24, 16, 0)


def test_opened_after_closing_time_counts_from_next_opening():
    assert add(oslo(2026, 11, 24, 19, 30), 2) == oslo(2026, 11, 25, 10, 0)


def test_opened_before_opening_counts_from_opening():
    assert add(oslo(2026, 11, 24, 6, 15), 1.5) == oslo(2026, 11, 24, 9, 30)


def test_weekend_is_skipped():
    # Friday 15:00 + 3 h: 1 h Friday, 2 h Monday
    assert add(oslo(2026, 11, 27, 15, 0), 3) == oslo(2026, 11, 30, 10, 0)


def test_opened_on_saturday():
    assert add(oslo(2026, 11, 28, 11, 0), 1) == oslo(2026, 11, 30, 9, 0)


def test_17_may_is_a_holiday():
    # 2027: 17 May is a Monday. Friday 14 May 15:00 + 2 h -> 1 h Friday, then Tuesday 18 May.
    assert is_holiday(oslo(2027, 5, 17, 0, 0).date())
    assert add(oslo(2027, 5, 14, 15, 0), 2) == oslo(2027, 5, 18, 9, 0)


def test_easter_is_skipped():
    # 2026: Maundy Thursday 2 April, Good Friday 3 April, Easter Monday 6 April.
    # Wednesday 1 April 15:00 + 2 h -> 1 h Wednesday, then Tuesday 7 April 09:00.
    assert add(oslo(2026, 4, 1, 15, 0), 2) == oslo(2026, 4, 7, 9, 0)


def test_christmas_is_skipped():
    # 2026: 25 December is a Friday, 26 a Saturday. Thursday 24 December is a normal working
    # day in the holidays calendar (not a public holiday).
    assert add(oslo(2026, 12, 24, 15, 0), 2) == oslo(2026, 12, 28, 9, 0)


def test_new_year():
    assert add(oslo(2026, 12, 31, 15, 30), 1) == oslo(2027, 1, 4, 8, 30)  # 1 Jan Fri, weekend


def test_longer_target_over_several_days():
    # 16 business hours from Monday 12:00: Mon 4, Tue 8, Wed 4 -> Wed 12:00
    assert add(oslo(2026, 11, 23, 12, 0), 16) == oslo(2026, 11, 25, 12, 0)


def test_summer_time_change():
    # 2026-03-29 is the switch to CEST; Friday 27 March 15:00 + 2 h -> Monday 30 March 09:00
    result = add(oslo(2026, 3, 27, 15, 0), 2)
    assert result == oslo(2026, 3, 30, 9, 0)
    assert result.utcoffset().total_seconds() == 7200


def test_team_with_weekend_hours():
    weekend = OpeningHours(time(10, 0), time(14, 0), workdays="67")
    assert add(oslo(2026, 11, 24, 12, 0), 6, weekend) == oslo(2026, 11, 29, 12, 0)


def test_naive_start_is_refused():
    with pytest.raises(ValueError):
        add_business_hours(datetime(2026, 11, 24, 9, 0), 1, HOURS)


def test_zero_hours():
    start = oslo(2026, 11, 24, 19, 0)
    assert add_business_hours(start, 0, HOURS) == start.astimezone(UTC)


def test_hours_between():
    assert business_hours_between(
        oslo(2026, 11, 27, 15, 0), oslo(2026, 11, 30, 10, 0), HOURS
    ) == Decimal("3.00")
    assert business_hours_between(
        oslo(2026, 5, 16, 9, 0), oslo(2026, 5, 16, 12, 0), HOURS
    ) == Decimal("0.00")
    assert business_hours_between(
        oslo(2026, 11, 30, 10, 0), oslo(2026, 11, 27, 15, 0), HOURS
    ) == Decimal("0")
