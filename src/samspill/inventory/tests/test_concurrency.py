"""Parallel reservations of the last units never over-reserve (PostgreSQL, real processes).

Four processes reserve stock for twelve deliveries of one unit each, all at once, while
only five units are on hand. The stock level row is locked (SELECT ... FOR UPDATE) before
the free quantity is read, so exactly five units end up reserved."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection

from samspill.inventory import services
from samspill.inventory.models import Delivery, DeliveryLine, StockLevel

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def test_parallel_reservations_never_over_reserve(tmp_path, put, product, stock, order_payload):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (SQLite serialises every writer)")
    deliveries = [
        services.create_delivery_for_order(order_payload([(product, "1")], order_id=n)).pk
        for n in range(1, 13)
    ]
    assert Delivery.objects.filter(state="waiting").count() == 12
    put(product, "5")
    env = {**os.environ, "DATABASE_URL": database_url(), "LOG_LEVEL": "WARNING"}
    processes = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "samspill.inventory.tests.reserve_worker", str(tmp_path)]
            + [str(pk) for pk in deliveries[i::4]],
            env=env,
        )
        for i in range(4)
    ]
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("ready-*"))) < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    (tmp_path / "go").touch()
    for process in processes:
        assert process.wait(60) == 0
    level = StockLevel.objects.get(product=product, location=stock)
    reserved = sum(DeliveryLine.objects.values_list("reserved", flat=True))
    assert level.reserved == reserved == Decimal("5.000")
    assert Delivery.objects.filter(state="ready").count() == 5
