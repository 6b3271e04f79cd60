"""Periodic kernel housekeeping run by `samspill worker`: deliver events whose task was
lost or whose retry is due, send notification e-mails whose task was lost, and prune
expired idempotency keys."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection

from samspill.platform import delivery, idempotency, notifications

log = logging.getLogger(__name__)


def run_once() -> dict[str, int]:
    """One round: returns {"delivered": events attempted, "emailed": notification e-mails
    sent late, "pruned": keys deleted}."""
    attempted = 0
    while True:  # a backlog is worked off batch by batch
        batch = delivery.sweep()
        attempted += batch
        if batch < delivery.SWEEP_BATCH:
            break
    return {
        "delivered": attempted,
        "emailed": notifications.send_due_emails(),
        "pruned": idempotency.prune(),
    }


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
