"""`samspill worker`: the background worker for the configured task backend, plus the
event delivery sweep and housekeeping every SAMSPILL["WORKER_SWEEP_SECONDS"] seconds."""

from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samspill.platform import housekeeping
from samspill.platform.tasks import RQ_JOB_CLASS, run_queued_tasks


class Command(BaseCommand):
    help = (
        "Run background tasks (database backend: db_worker; rq: an RQ worker on the "
        "TASK_QUEUE queue) and, every few seconds, deliver events whose task was lost and "
        "prune expired API idempotency keys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sweep-interval",
            type=float,
            default=None,
            help="Seconds between sweeps (default: SAMSPILL['WORKER_SWEEP_SECONDS']).",
        )
        parser.add_argument(
            "--burst",
            action="store_true",
            help="Run what is due now (tasks, one sweep, housekeeping), then exit.",
        )

    def handle(self, *args, sweep_interval=None, burst=False, verbosity=1, **options):
        backend = settings.TASK_BACKEND
        if burst:
            run_queued_tasks()
            result = housekeeping.run_once()
            run_queued_tasks()
            if verbosity:
                self.stdout.write(
                    _("Delivered %(events)d event(s), pruned %(keys)d idempotency key(s).")
                    % {"events": result["delivered"], "keys": result["pruned"]}
                )
                for job in housekeeping.jobs():
                    self.stdout.write(f"{job.label}: {result[job.name]}")
            return

        sweeper = housekeeping.Sweeper(sweep_interval)
        sweeper.start()
        if verbosity:
            self.stdout.write(
                _("Samspill worker: task backend %(backend)s, event sweep every %(seconds)g s.")
                % {"backend": backend, "seconds": sweeper.interval}
            )
        try:
            if backend == "db":
                call_command(
                    "db_worker",
                    queue_name=settings.TASK_QUEUE,
                    reload=False,
                    verbosity=verbosity,
                )
            elif backend == "rq":
                call_command(
                    "rqworker",
                    settings.TASK_QUEUE,
                    job_class=RQ_JOB_CLASS,
                    with_scheduler=True,
                    verbosity=verbosity,
                )
            else:  # immediate: tasks run when enqueued; only the sweeper has work
                sweeper.join()
        except KeyboardInterrupt:
            pass
        finally:
            sweeper.stop()
