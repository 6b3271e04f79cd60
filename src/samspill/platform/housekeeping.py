"""Periodic housekeeping run by `samspill worker`: deliver events whose task was lost or
whose retry is due, send notification e-mails whose task was lost, prune expired
idempotency keys, then run every registered job.

Domains add their own periodic work without the platform importing them, from their
AppConfig.ready():

    housekeeping.register_job("automation.webhooks", _("webhook deliveries sent"), sweep_due)

A job is a callable without arguments that does what is due and returns how many things it
handled. One failing job is logged and does not stop the others.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from samspill.platform import delivery, idempotency, notifications

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str  # stable key, e.g. "automation.webhooks"; the key of its count in run_once()
    label: Any  # lazy translated, what the count counts, e.g. "webhook deliveries sent"
    run: Callable[[], int]


_jobs: dict[str, Job] = {}


def register_job(name: str, label: Any, run: Callable[[], int]) -> None:
    """Run `run()` in every housekeeping round (registering the same name again replaces it)."""
    if name in {"delivered", "emailed", "pruned"}:
        raise ValueError(f"{name!r} is reserved for the kernel's own housekeeping")
    _jobs[name] = Job(name, label, run)


def jobs() -> list[Job]:
    return list(_jobs.values())


def run_once() -> dict[str, int]:
    """One round: {"delivered": events attempted, "emailed": notification e-mails sent late,
    "pruned": keys deleted, <job>: count ...}. A registered job that fails is logged and
    counted as 0."""
    attempted = 0
    while True:  # a backlog is worked off batch by batch
        batch = delivery.sweep()
        attempted += batch
        if batch < delivery.SWEEP_BATCH:
            break
    result = {
        "delivered": attempted,
        "emailed": notifications.send_due_emails(),
        "pruned": idempotency.prune(),
    }
    for job in jobs():
        try:
            result[job.name] = int(job.run())
        except Exception:
            log.exception("housekeeping job failed", extra={"job": job.name})
            result[job.name] = 0
    return result


class Sweeper(threading.Thread):
    """A daemon thread that runs `run_once()` every `interval` seconds until stopped."""

    def __init__(self, interval: float | None = None):
        super().__init__(name="samspill-sweeper", daemon=True)
        self.interval = (
            interval if interval is not None else settings.SAMSPILL["WORKER_SWEEP_SECONDS"]
        )
        self.stopped = threading.Event()
        self.rounds = 0

    def run(self) -> None:
        while not self.stopped.is_set():
            self.tick()
            self.stopped.wait(self.interval)

    def tick(self) -> None:
        in_thread = threading.current_thread() is self
        if in_thread:  # never in a caller's (test's) transaction
            close_old_connections()
        try:
            result = run_once()
            if any(result.values()):
                log.info("housekeeping", extra=result)
        except Exception:
            log.exception("housekeeping failed")
        finally:
            self.rounds += 1
            if in_thread:
                connection.close()

    def stop(self) -> None:
        self.stopped.set()
