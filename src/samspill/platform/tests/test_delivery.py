"""The event flow: outbox in the caller's transaction, at-least-once delivery, handlers
run once per event, retries with backoff, dead letters, replay."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samspill.platform import delivery, services
from samspill.platform.errors import Conflict, NotFound, PermissionDenied
from samspill.platform.events import publish, subscribe
from samspill.platform.models import AuditEntry, EventSubject, HandledEvent, OutboxEvent
from samspill.platform.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def publish_one(event_class, actor=None, **payload):
    with transaction.atomic():
        return publish(event_class(thing_id=payload.pop("thing_id", 7), **payload), actor=actor)


def test_publish_writes_outbox_row_and_subject_index(ThingHappened, subscribers, make_user):
    subscribe(ThingHappened.type, name="test.noop")(lambda event: None)
    user = make_user("sales")
    row = publish_one(ThingHappened, actor=user, thing_id=42, amount=Decimal("12.50"))
    row.refresh_from_db()
    assert row.type == "testing.thing.happened"
    assert row.payload == {"thing_id": 42, "amount": "12.50"}
    assert row.subjects == {"thing": ["42"]}
    assert row.status == OutboxEvent.Status.PENDING
    assert row.actor == user
    assert list(EventSubject.objects.values_list("kind", "object_id")) == [("thing", "42")]


def test_publish_without_subscribers_is_delivered_at_once(ThingHappened, subscribers):
    row = publish_one(ThingHappened)
    assert row.status == OutboxEvent.Status.DELIVERED
    assert row.delivered_at == row.occurred_at


@pytest.mark.django_db(transaction=True)
def test_publish_outside_a_transaction_is_refused(ThingHappened):
    with pytest.raises(RuntimeError):
        publish(ThingHappened(thing_id=1))
    assert OutboxEvent.objects.count() == 0


def test_rolled_back_transaction_leaves_no_event(
    ThingHappened, subscribers, django_capture_on_commit_callbacks
):
    calls = []
    subscribe(ThingHappened.type, name="test.record")(calls.append)
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        publish(ThingHappened(thing_id=1))
        1 / 0  # noqa: B018 - the service fails after publishing
    assert OutboxEvent.objects.count() == 0
    assert EventSubject.objects.count() == 0
    assert callbacks == []  # nothing will be enqueued
    assert calls == []


def test_committed_event_is_enqueued_after_commit(
    ThingHappened, subscribers, django_capture_on_commit_callbacks, db_tasks
):
    subscribe(ThingHappened.type, name="test.noop")(lambda event: None)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        row = publish_one(ThingHappened)
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "samspill.platform.delivery.deliver_event_task"
    assert task.args_kwargs["args"] == [str(row.pk)]


def test_committed_event_is_delivered_by_the_task_backend(
    ThingHappened, subscribers, django_capture_on_commit_callbacks
):
    """Through the configured backend's task (db, rq or immediate), not the sweep."""
    seen = []
    subscribe(ThingHappened.type, name="test.record")(seen.append)
    with django_capture_on_commit_callbacks(execute=True):
        row = publish_one(ThingHappened)
    run_queued_tasks()
    row.refresh_from_db()
    assert (row.status, len(seen)) == ("delivered", 1)


def test_run_tasks_delivers_events_of_the_test_transaction(ThingHappened, subscribers, run_tasks):
    seen = []
    subscribe(ThingHappened.type, name="test.record")(lambda event: seen.append(event.payload))
    row = publish_one(ThingHappened, thing_id=3)
    run_tasks()
    row.refresh_from_db()
    assert seen == [{"thing_id": 3, "amount": "0"}]
    assert row.status == OutboxEvent.Status.DELIVERED
    assert row.attempts == 1
    assert list(HandledEvent.objects.values_list("subscriber", flat=True)) == ["test.record"]


def test_run_tasks_follows_events_published_by_handlers(ThingHappened, subscribers, run_tasks):
    seen = []

    @subscribe(ThingHappened.type, name="test.chain")
    def chain(event):
        seen.append(event.payload["thing_id"])
        if event.payload["thing_id"] < 3:
            publish(ThingHappened(thing_id=event.payload["thing_id"] + 1))

    publish_one(ThingHappened, thing_id=1)
    run_tasks()
    assert seen == [1, 2, 3]
    assert set(OutboxEvent.objects.values_list("status", flat=True)) == {"delivered"}


def test_subscriber_runs_once_when_event_is_delivered_twice(ThingHappened, subscribers):
    calls = []
    subscribe(ThingHappened.type, name="test.count")(calls.append)
    row = publish_one(ThingHappened)
    assert delivery.deliver(row.pk) == "delivered"
    assert delivery.deliver(row.pk) == "delivered"  # a duplicate task
    assert delivery.sweep() == 0
    # even when the event is forced back to pending, the handled subscriber is skipped
    OutboxEvent.objects.filter(pk=row.pk).update(status="pending")
    assert delivery.deliver(row.pk) == "delivered"
    assert len(calls) == 1
    assert HandledEvent.objects.filter(event=row).count() == 1


def test_only_the_failing_subscriber_is_retried(ThingHappened, subscribers):
    good, bad = [], []
    subscribe(ThingHappened.type, name="test.good")(good.append)

    @subscribe(ThingHappened.type, name="test.bad")
    def flaky(event):
        bad.append(event)
        if len(bad) == 1:
            raise ValueError("ledger locked")

    row = publish_one(ThingHappened)
    assert delivery.deliver(row.pk) == "failed"
    assert delivery.sweep(now=timezone.now() + timedelta(seconds=3)) == 1
    row.refresh_from_db()
    assert row.status == OutboxEvent.Status.DELIVERED
    assert (len(good), len(bad)) == (1, 2)
    assert row.last_error == ""


def test_a_claimed_event_is_not_delivered_by_a_second_worker(ThingHappened, subscribers):
    calls = []
    subscribe(ThingHappened.type, name="test.count")(calls.append)
    row = publish_one(ThingHappened)
    assert delivery.claim(row.pk) is True  # worker A holds the lease
    assert delivery.deliver(row.pk) == "pending"  # worker B backs off
    assert delivery.sweep() == 0
    assert calls == []
    later = timezone.now() + delivery.lease() + timedelta(seconds=1)
    assert delivery.sweep(now=later) == 1  # worker A died: the lease runs out
    assert len(calls) == 1


def test_failures_back_off_and_end_as_dead_letter(ThingHappened, subscribers, settings, db_tasks):
    settings.SAMSPILL = {**settings.SAMSPILL, "EVENT_MAX_ATTEMPTS": 3}

    @subscribe(ThingHappened.type, name="test.broken")
    def broken(event):
        raise RuntimeError("no route to ledger")

    row = publish_one(ThingHappened)
    before = timezone.now()
    assert delivery.deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.attempts == 1
    assert "no route to ledger" in row.last_error
    assert "test.broken" in row.last_error
    assert (
        before + timedelta(seconds=2)
        <= row.next_attempt_at
        <= timezone.now() + timedelta(seconds=2)
    )
    # the retry is scheduled as a deferred task at the backoff time
    retry = DBTaskResult.objects.get()
    assert retry.run_after == row.next_attempt_at

    # not due yet: a redelivery does nothing
    assert delivery.deliver(row.pk) == "failed"
    assert OutboxEvent.objects.get(pk=row.pk).attempts == 1

    assert delivery.sweep(now=timezone.now() + timedelta(seconds=3)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.next_attempt_at >= timezone.now() + timedelta(seconds=3)  # 4 s backoff

    assert delivery.sweep(now=timezone.now() + timedelta(seconds=5)) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("dead", 3, None)
    assert "no route to ledger" in row.last_error
    # dead letters stay dead until replayed
    assert delivery.sweep(now=timezone.now() + timedelta(days=1)) == 0


def test_backoff_doubles_and_is_capped():
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert delivery.backoff(30) == timedelta(hours=1)


def test_retry_without_deferring_backend_waits_for_the_sweep(
    ThingHappened, subscribers, immediate_tasks
):
    calls = []

    @subscribe(ThingHappened.type, name="test.broken")
    def broken(event):
        calls.append(event)
        raise RuntimeError("down")

    row = publish_one(ThingHappened)
    assert delivery.deliver(row.pk) == "failed"
    # the immediate backend cannot defer: no instant retry storm
    assert len(calls) == 1
    assert OutboxEvent.objects.get(pk=row.pk).attempts == 1


def test_replay_gives_a_dead_event_fresh_attempts(ThingHappened, subscribers, make_user, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "EVENT_MAX_ATTEMPTS": 1}
    state = {"broken": True}
    calls = []

    @subscribe(ThingHappened.type, name="test.flaky")
    def flaky(event):
        calls.append(event)
        if state["broken"]:
            raise RuntimeError("broken")

    row = publish_one(ThingHappened)
    assert delivery.deliver(row.pk) == "dead"
    admin = make_user("admin")
    state["broken"] = False
    replayed = services.replay_event(row.pk, actor=admin)
    assert (replayed.status, replayed.attempts) == ("pending", 0)
    entry = AuditEntry.objects.get()
    assert entry.actor == admin
    assert entry.changes == {"attempts": [1, 0], "status": ["dead", "pending"]}
    assert delivery.sweep() == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, "")
    assert len(calls) == 2


def test_replay_rules(ThingHappened, subscribers, make_user):
    row = publish_one(ThingHappened)  # no subscribers: delivered
    admin = make_user("admin")
    with pytest.raises(Conflict):
        services.replay_event(row.pk, actor=admin)
    with pytest.raises(PermissionDenied):
        services.replay_event(row.pk, actor=make_user("sales"))
    with pytest.raises(NotFound):
        services.replay_event("00000000-0000-0000-0000-000000000000", actor=admin)
    assert AuditEntry.objects.count() == 0


def test_deliver_unknown_event_is_harmless():
    assert delivery.deliver("00000000-0000-0000-0000-000000000000") == "missing"
