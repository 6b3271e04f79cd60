"""Voucher numbers stay gapless and unique when several processes post at once
(PostgreSQL: the period and then the counter row are locked with SELECT ... FOR UPDATE
in the posting transaction), whichever way they post: draft then post, post at once, in
bulk, or post and reverse. SQLite serialises writers anyway, so the test runs on PostgreSQL only."""

import os
import subprocess
import sys
import textwrap
from datetime import date

import pytest
from django.db import connection

from samspill.accounting import services
from samspill.accounting.models import JournalEntry

PER_WORKER = 8

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    import django
    django.setup()
    from datetime import date
    from samspill.accounting import services
    count, mode = int(sys.argv[1]), sys.argv[2]

    def voucher(n):
        return {
            "journal": "GEN",
            "date": date(2026, 5, 1 + n % 28),
            "lines": [{"account": "1920", "debit": "10"}, {"account": "2050", "credit": "10"}],
        }

    for n in range(count):
        if mode == "draft-then-post":
            services.post_entry(services.create_entry(actor=None, **voucher(n)), actor=None)
        elif mode == "post-at-once":
            services.create_entry(actor=None, post=True, **voucher(n))
        elif mode == "bulk":
            services.post_entries([voucher(n)], actor=None)
        else:  # post, then reverse: two numbers
            entry = services.create_entry(actor=None, post=True, **voucher(n))
            services.reverse_entry(entry, actor=None)
    """
)
MODES = ("draft-then-post", "post-at-once", "bulk", "post-and-reverse")


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
            [sys.executable, "-c", SCRIPT, str(PER_WORKER), mode], env=env, stderr=subprocess.PIPE
        )
        for mode in MODES
    ]
    for process in processes:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
    numbers = sorted(
        JournalEntry.objects.filter(journal__code="GEN").values_list("number", flat=True)
    )
    # Every mode posts PER_WORKER vouchers; post-and-reverse posts a reversal for each.
    assert numbers == list(range(1, (len(MODES) + 1) * PER_WORKER + 1))
