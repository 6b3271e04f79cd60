"""Quote and order numbers stay gapless and unique when several processes create documents
at once (PostgreSQL: the counter row is locked with SELECT ... FOR UPDATE in the creating
transaction), and a document whose transaction fails gives its number back. SQLite
serialises writers anyway, so the test runs on PostgreSQL only."""

import os
import subprocess
import sys
import textwrap

import pytest
from django.db import connection

from samspill.sales.models import Order, Quote

PER_WORKER = 6

SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    import django
    django.setup()
    from django.db import transaction
    from samspill.parties.models import Party
    from samspill.sales import services
    count, mode, party_id, product_id = int(sys.argv[1]), sys.argv[2], *map(int, sys.argv[3:])
    party = Party.objects.get(pk=party_id)
    lines = [{"product_id": product_id, "quantity": "2"}]

    class Undo(Exception):
        pass

    for n in range(count):
        if mode == "quotes":
            services.create_quote(actor=None, party=party, lines=lines)
        elif mode == "accepted":  # a quote and the confirmed order made from it
            quote = services.create_quote(actor=None, party=party, lines=lines)
            services.mark_quote_sent(quote, actor=None)
            services.accept_quote(quote, actor=None)
        elif mode == "orders":
            services.confirm_order(
                services.create_order(actor=None, party=party, lines=lines), actor=None
            )
        else:  # "failing": the transaction that made the quote and the order rolls back
            try:
                with transaction.atomic():
                    services.create_quote(actor=None, party=party, lines=lines)
                    services.create_order(actor=None, party=party, lines=lines)
                    raise Undo()
            except Undo:
                pass
    """
)
MODES = ("quotes", "accepted", "orders", "failing")


@pytest.mark.django_db(transaction=True)
def test_concurrent_processes_get_gapless_unique_document_numbers(customer, products):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks between real processes")
    settings = connection.settings_dict
    url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(
        USER=settings["USER"],
        HOST=settings["HOST"] or "127.0.0.1",
        PORT=settings["PORT"] or 5432,
        NAME=settings["NAME"],
    )
    env = {**os.environ, "DATABASE_URL": url}
    args = [str(PER_WORKER)]
    ids = [str(customer.pk), str(products["mug"].pk)]
    processes = [
        subprocess.Popen(  # noqa: S603  (our own interpreter and script)
            [sys.executable, "-c", SCRIPT, *args, mode, *ids], env=env, stderr=subprocess.PIPE
        )
        for mode in MODES
    ]
    for process in processes:
        _out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err.decode()[-2000:]

    def sequence(model):
        return sorted(
            int(number.rsplit("-", 1)[1])
            for number in model.objects.values_list("number", flat=True)
        )

    # quotes: from "quotes" and "accepted"; orders: from "accepted" and "orders"; "failing"
    # wrote nothing and left no hole.
    assert sequence(Quote) == list(range(1, 2 * PER_WORKER + 1))
    assert sequence(Order) == list(range(1, 2 * PER_WORKER + 1))
    assert Order.objects.filter(status=Order.Status.CONFIRMED).count() == 2 * PER_WORKER
