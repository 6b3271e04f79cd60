"""Helpers around the Django Tasks API that every backend shares."""

from __future__ import annotations

from django.conf import settings

RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


def _run_database_tasks(backend_name: str = "default") -> None:
    """The database backend's worker loop, without its connection housekeeping:
    `db_worker` closes "old" connections between tasks, which would close the connection
    of a test's transaction (PostgreSQL) and fail every query after it."""
    from django.db import transaction
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="samspill-run-pending",
        excluded_queue_names=[],
    )
    while True:
        with transaction.atomic():
            task_result = (
                DBTaskResult.objects.ready().filter(backend_name=backend_name).get_locked()
            )
            if task_result is None:
                return
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)


def run_queued_tasks() -> None:
    """Run every task that is queued and due, in this process, then return."""
    backend = settings.TASK_BACKEND
    if backend == "db":
        _run_database_tasks()
    elif backend == "rq":
        import django_rq

        # SimpleWorker: no fork, so the tasks see this process's database connection.
        worker = django_rq.get_worker(
            settings.TASK_QUEUE, job_class=RQ_JOB_CLASS, worker_class="rq.worker.SimpleWorker"
        )
        worker.work(burst=True, with_scheduler=True)
    # "immediate": tasks already ran when they were enqueued.


def run_pending(max_rounds: int = 10) -> None:
    """Run every queued task now, in this process (tests, `samspill demo`, benchmarks),
    and deliver every event that is due, also those whose task was never enqueued (a
    test transaction never commits, so its on-commit hooks never run). Repeats while
    handlers publish further events. Works with the database backend, RQ on Redis and
    the immediate backend."""
    from samspill.platform.delivery import sweep

    for _ in range(max_rounds):
        run_queued_tasks()
        if not sweep():
            return
