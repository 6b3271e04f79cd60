"""Planner statistics are refreshed after migrate, by the demo and by the worker's sweep."""

import pytest
from django.db import connection

from samspill.platform import dbstats

pytestmark = pytest.mark.django_db


def planner_knows(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE schemaname = current_schema() "
                "AND tablename = %s",
                [table],
            )
        return cursor.fetchone()[0] > 0


def test_refresh_gives_the_planner_statistics(make_user):
    for n in range(3):
        make_user(username=f"u{n}")
    dbstats.refresh()
    assert planner_knows("users_user")


def test_the_sweep_refreshes_at_most_once_per_interval(settings, monkeypatch):
    settings.SAMSPILL = {**settings.SAMSPILL, "DB_STATISTICS_SECONDS": 3600}
    monkeypatch.setattr(dbstats, "_last_refresh", 0.0)
    assert dbstats.refresh_if_due() == 1
    assert dbstats.refresh_if_due() == 0
    settings.SAMSPILL = {**settings.SAMSPILL, "DB_STATISTICS_SECONDS": 0}
    assert dbstats.refresh_if_due() == 1


def test_the_worker_refreshes_statistics_in_its_housekeeping():
    from samspill.platform import housekeeping

    jobs = {job.name: job for job in housekeeping.jobs()}
    assert jobs["platform.statistics"].run is dbstats.refresh_if_due
