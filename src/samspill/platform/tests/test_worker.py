"""`samspill worker`, `samspill deliver-events` and the periodic housekeeping."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone, translation

from samspill.platform import housekeeping
from samspill.platform.events import publish, subscribe
from samspill.platform.models import IdempotencyRecord, OutboxEvent

pytestmark = pytest.mark.django_db


def pending_event(event_class, calls):
    subscribe(event_class.type, name="test.record")(calls.append)
    with transaction.atomic():
        return publish(event_class(thing_id=5))


def old_key(user):
    return IdempotencyRecord.objects.create(
        user=user,
        key="old",
        method="POST",
        path="/api/v1/x",
        fingerprint="f",
        created_at=timezone.now() - timedelta(hours=30),
    )


def test_deliver_events_command_sweeps_once(ThingHappened, subscribers):
    calls = []
    row = pending_event(ThingHappened, calls)
    out = io.StringIO()
    call_command("deliver-events", stdout=out)
    assert len(calls) == 1
    assert OutboxEvent.objects.get(pk=row.pk).status == "delivered"
    assert "1" in out.getvalue()


def test_worker_burst_runs_tasks_sweeps_and_prunes(ThingHappened, subscribers, make_user):
    calls = []
    row = pending_event(ThingHappened, calls)
    old_key(make_user("admin"))
    out = io.StringIO()
    with translation.override("en"):
        call_command("worker", burst=True, stdout=out)
    assert len(calls) == 1
    assert OutboxEvent.objects.get(pk=row.pk).status == "delivered"
    assert IdempotencyRecord.objects.count() == 0
    assert "Delivered 1 event(s), pruned 1 idempotency key(s)." in out.getvalue()


@pytest.mark.parametrize(
    ("backend", "command", "options"),
    [
        ("db", "db_worker", {"queue_name": "default", "reload": False}),
        (
            "rq",
            "rqworker",
            {"job_class": "django_tasks_rq.backend.Job", "with_scheduler": True},
        ),
    ],
)
def test_worker_runs_the_backend_worker_beside_the_sweeper(settings, backend, command, options):
    settings.TASK_BACKEND = backend
    settings.TASK_QUEUE = "default"
    with (
        mock.patch("samspill.platform.management.commands.worker.call_command") as run,
        mock.patch.object(housekeeping.Sweeper, "start") as start,
        mock.patch.object(housekeeping.Sweeper, "stop") as stop,
    ):
        call_command("worker", sweep_interval=5, stdout=io.StringIO())
    start.assert_called_once()
    stop.assert_called_once()
    (args, kwargs) = run.call_args
    assert args[0] == command
    assert {k: kwargs[k] for k in options} == options


def test_sweeper_tick_delivers_and_prunes(ThingHappened, subscribers, make_user):
    calls = []
    pending_event(ThingHappened, calls)
    old_key(make_user("admin"))
    sweeper = housekeeping.Sweeper(interval=30)
    sweeper.tick()
    assert len(calls) == 1
    assert IdempotencyRecord.objects.count() == 0
    assert sweeper.rounds == 1


def test_sweeper_survives_a_failing_round(caplog):
    sweeper = housekeeping.Sweeper(interval=30)
    with mock.patch.object(housekeeping, "run_once", side_effect=RuntimeError("db down")):
        sweeper.tick()
    assert sweeper.rounds == 1
    assert "housekeeping failed" in caplog.text


def test_sweeper_loop_stops(monkeypatch):
    sweeper = housekeeping.Sweeper(interval=0)
    ticks = []

    def tick():
        ticks.append(1)
        if len(ticks) == 3:
            sweeper.stop()

    monkeypatch.setattr(sweeper, "tick", tick)
    sweeper.run()  # in this thread: returns once stopped
    assert len(ticks) == 3


def test_sweep_interval_comes_from_settings(settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "WORKER_SWEEP_SECONDS": 30}
    assert housekeeping.Sweeper().interval == 30


def test_registered_housekeeping_jobs_run_every_round(monkeypatch):
    monkeypatch.setattr(housekeeping, "_jobs", {})
    calls = []
    housekeeping.register_job("testing.count", "things counted", lambda: calls.append(1) or 3)
    assert housekeeping.run_once()["testing.count"] == 3
    assert housekeeping.run_once()["testing.count"] == 3
    assert len(calls) == 2


def test_a_failing_housekeeping_job_does_not_stop_the_others(monkeypatch, caplog):
    monkeypatch.setattr(housekeeping, "_jobs", {})

    def broken():
        raise RuntimeError("mail server down")

    housekeeping.register_job("testing.broken", "broken", broken)
    housekeeping.register_job("testing.fine", "fine", lambda: 2)
    result = housekeeping.run_once()
    assert (result["testing.broken"], result["testing.fine"]) == (0, 2)
    assert "housekeeping job failed" in caplog.text


def test_kernel_housekeeping_names_are_reserved():
    with pytest.raises(ValueError, match="reserved"):
        housekeeping.register_job("delivered", "x", lambda: 0)
