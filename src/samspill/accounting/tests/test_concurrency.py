"""Voucher numbers stay gapless and unique when several processes post at once
(PostgreSQL: the counter row is locked with SELECT ... FOR UPDATE in the posting
transaction). SQLite serialises writers anyway, so the test runs on PostgreSQL only."""

import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from django.db import connection

from samspill.accounting import services
from samspill.accounting.models import JournalEntry

WORKERS = 4
PER_WORKER = 8

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    import django
    django.setup()
    from datetime import date
    from samspill.accounting import services
    for n in range(int(sys.argv[1])):
        entry = services.create_entry(
            actor=None, journal="GEN", date=date(2026, 5, 1 + n % 28),
            lines=[{"account": "1920", "debit": "10"}, {"account": "2050", "credit": "10"}],
        )
        services.post_entry(entry, actor=None)
    """
)


@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_get_gapless_unique_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks between real processes")
    from samspill.localization.no import services as localization

    localization.load_vat_codes(actor=None)
    services.load_chart(actor=None)
    services.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    settings = connection.settings_dict
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
        USER=settings["USER"],
        HOST=settings["HOST"] or "127.0.0.1",
        PORT=settings["PORT"] or 5432,
        NAME=settings["NAME"],
    )
    env = {**os.environ, "DATABASE_URL": url}
    processes = [
        subprocess.Popen(  # noqa: S603  (our own interpreter and script)
            [sys.executable, "-c", SCRIPT, str(PER_WORKER)], env=env, stderr=subprocess.PIPE
        )
        for _ in range(WORKERS)
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
    numbers = sorted(
        JournalEntry.objects.filter(journal__code="GEN").values_list("number", flat=True)
    )
    assert numbers == list(range(1, WORKERS * PER_WORKER + 1))
