"""A worker killed in the middle of a delivery loses nothing (issue 3, "Bad input and faults").

Real `samspill worker` processes (slow_worker.py) run against the test database: on SQLite a
file copy of it, on PostgreSQL the test database itself. The first worker is killed with
SIGKILL while its subscriber is inside the handler's transaction; a second worker delivers the
event again once the delivery lease (EVENT_DELIVERY_LEASE_SECONDS, 1 s here) has expired, and
the handler's effect exists exactly once.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction

from samspill.platform.events import publish, subscribe
from samspill.platform.models import AuditEntry, HandledEvent, OutboxEvent
from samspill.platform.tests.slow_worker import EFFECT_REPR, SUBSCRIBER

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_SECONDS = 20  # upper bound for a loaded machine; the test normally takes 3-5 s


class WorkerDatabase:
    """The database the worker processes use: the test database itself on PostgreSQL, a file
    copy of the (in-memory) SQLite test database otherwise, copied back at the end."""

    def __init__(self, directory: Path):
        self.vendor = connection.vendor
        s = connection.settings_dict
        if self.vendor == "postgresql":
            auth = quote(s["USER"] or "") + (f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else "")
            host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
            self.url = f"postgres://{auth}@{host}/{s['NAME']}"
            self.path = None
        elif self.vendor == "sqlite":
            self.path = directory / "worker.sqlite3"
            self.url = f"sqlite:///{self.path}"
            connection.ensure_connection()
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)
        else:  # pragma: no cover
            pytest.skip(f"no worker database for {self.vendor}")

    def status(self, event_id) -> str | None:
        if self.path is None:
            return OutboxEvent.objects.filter(pk=event_id).values_list("status", flat=True).first()
        with sqlite3.connect(self.path, timeout=20) as db:
            row = db.execute(
                "SELECT status FROM platform_outboxevent WHERE id = ?", [event_id.hex]
            ).fetchone()
        return row[0] if row else None

    def copy_back(self) -> None:
        """Make the workers' writes visible to this process's ORM (SQLite)."""
        if self.path is not None:
            with sqlite3.connect(self.path) as source:
                source.backup(connection.connection)


def start_worker(directory: Path, database: WorkerDatabase) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database.url,
        "EVENT_DELIVERY_LEASE_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    log = (directory / "worker.log").open("ab")
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "samspill.platform.tests.slow_worker", str(directory)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: killed with every child it forked
    )


def kill(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(10)


def wait_for(condition: Callable[[], object], what: str, directory: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            log = (directory / "worker.log").read_text(errors="replace")[-3000:]
            pytest.fail(f"waited {WAIT_SECONDS} s for {what}; worker log:\n{log}")
        time.sleep(0.05)


def test_event_is_delivered_again_after_the_worker_is_killed_and_handled_once(
    ThingHappened, subscribers, tmp_path
):
    # This process only needs to know that someone subscribes (the event is then pending);
    # the handler that runs is the slow one in the worker processes.
    subscribe(ThingHappened.type, name=SUBSCRIBER)(lambda event: None)
    with transaction.atomic():
        event = publish(ThingHappened(thing_id=7))
    database = WorkerDatabase(tmp_path)

    def started() -> list[Path]:
        return sorted(tmp_path.glob("started-*"))

    first = start_worker(tmp_path, database)
    try:
        wait_for(lambda: started(), "the first worker to start handling the event", tmp_path)
    finally:
        kill(first)
    assert first.returncode == -signal.SIGKILL
    assert len(started()) == 1
    assert database.status(event.pk) == OutboxEvent.Status.PENDING  # nothing was committed

    (tmp_path / "release").touch()
    second = start_worker(tmp_path, database)
    try:
        wait_for(
            lambda: database.status(event.pk) == OutboxEvent.Status.DELIVERED,
            "the second worker to deliver the event",
            tmp_path,
        )
    finally:
        kill(second)

    database.copy_back()
    assert len(started()) == 2  # the handler ran in the killed worker and in the new one
    assert HandledEvent.objects.filter(event_id=event.pk, subscriber=SUBSCRIBER).count() == 1
    effects = AuditEntry.objects.filter(object_id=str(event.pk), object_repr=EFFECT_REPR)
    assert effects.count() == 1  # the killed attempt's effect was rolled back with it
    row = OutboxEvent.objects.get(pk=event.pk)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, "")
