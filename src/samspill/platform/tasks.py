"""Helpers around the Django Tasks API that every backend shares."""

from __future__ import annotations

from django.conf import settings


def run_pending() -> None:
    """Run every queued task now, in this process (tests, `samspill demo`, benchmarks).
    Works with the database backend, RQ on Redis, and the immediate backend."""
    backend = settings.TASK_BACKEND
    if backend == "db":
        from django.core.management import call_command

        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0)
    elif backend == "rq":
        import django_rq

        django_rq.get_worker("default").work(burst=True)
