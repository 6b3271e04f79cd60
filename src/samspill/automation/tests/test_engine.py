"""The rule engine on real events: conditions, actions in order, the run log, the
events it publishes, failures that do not touch the business change, loop detection."""

from decimal import Decimal

import pytest
from django.core import mail

from samspill.automation import chain, engine, services
from samspill.automation.models import EventCause, RuleRun, WebhookDelivery
from samspill.automation.tests.factories import PLACED, SHIPPED, RuleFactory, WebhookFactory
from samspill.platform.models import EventSubject, OutboxEvent
from samspill.platform.tasks import run_pending
from samspill.platform.timeline import timeline

pytestmark = pytest.mark.django_db


def note_step(note="hi", **extra):
    return {"action": "testing.note", "params": {"note": note}, **extra}


def test_rule_runs_its_action_as_the_rule_author_on_the_event_subject(
    events, notes, emit, settle, staff
):
    OrderPlaced, _ = events
    rule = services.create_rule(
        actor=staff,
        name="Note big orders",
        event_type=PLACED,
        conditions=[{"field": "payload.total", "operator": "greater", "value": "1000"}],
        actions=[note_step("Big order from {{ party_id }}: {{ total }}")],
    )
    emit(OrderPlaced(order_id=7, party_id=3, total=Decimal("1500.50")))
    settle()

    assert notes.of("testing.note") == [("7", {"note": "Big order from 3: 1500.50"}, staff)]
    run = RuleRun.objects.get(rule=rule)
    assert run.outcome == RuleRun.Outcome.SUCCEEDED
    assert run.error == ""
    assert run.depth == 1
    assert run.details == [{"action": "testing.note", "ok": True, "result": {"subjects": ["7"]}}]
    fired = OutboxEvent.objects.get(type="automation.rule.fired")
    assert fired.payload["rule_id"] == rule.pk
    assert fired.payload["run_id"] == run.pk
    assert fired.payload["event_type"] == PLACED
    assert fired.channel == "automation"
    assert fired.actor == staff
    # the fired event names the causing event's subjects: they show it on their timelines
    assert fired.subjects == {"order": ["7"], "party": ["3"], "automation_rule": [str(rule.pk)]}
    party_timeline = [entry.event.type for entry in timeline("party", 3)]
    assert party_timeline == ["automation.rule.fired", PLACED]
    assert EventCause.objects.get(event=fired).rule_ids == [rule.pk]


def test_conditions_not_met_are_logged_as_skipped_and_run_nothing(events, notes, emit, settle):
    OrderPlaced, _ = events
    rule = RuleFactory(
        conditions=[{"field": "payload.status", "operator": "equals", "value": "paid"}]
    )
    emit(OrderPlaced(order_id=1, party_id=1, status="new"))
    settle()
    assert notes.calls == []
    assert list(RuleRun.objects.values_list("rule", "outcome")) == [(rule.pk, "skipped")]
    assert not OutboxEvent.objects.filter(type__startswith="automation.rule.f").exists()


def test_inactive_rules_and_other_event_types_do_not_run(events, notes, emit, settle):
    OrderPlaced, _ = events
    RuleFactory(is_active=False)
    RuleFactory(event_type=SHIPPED)
    emit(OrderPlaced(order_id=1, party_id=1))
    settle()
    assert notes.calls == []
    assert RuleRun.objects.count() == 0


def test_any_match_needs_one_condition(events, notes, emit, settle):
    OrderPlaced, _ = events
    RuleFactory(
        match="any",
        conditions=[
            {"field": "payload.status", "operator": "equals", "value": "paid"},
            {"field": "payload.tags", "operator": "contains", "value": "VIP"},
        ],
    )
    emit(OrderPlaced(order_id=1, party_id=1, tags=["vip"]))
    emit(OrderPlaced(order_id=2, party_id=1, tags=["x"]))
    settle()
    assert [subject for subject, _p, _a in notes.of("testing.note")] == ["1"]
    assert sorted(RuleRun.objects.values_list("outcome", flat=True)) == ["skipped", "succeeded"]


def test_failing_action_stops_the_rule_logs_it_and_keeps_the_business_change(
    events, notes, emit, settle, staff
):
    OrderPlaced, _ = events
    rule = services.create_rule(
        actor=staff,
        name="Close and note",
        event_type=PLACED,
        actions=[note_step("first"), {"action": "testing.fail"}, note_step("never")],
    )
    row = emit(OrderPlaced(order_id=9, party_id=2))
    settle()

    # the business event stands and is delivered: the failure is automation's own
    row.refresh_from_db()
    assert row.status == OutboxEvent.Status.DELIVERED
    assert [params["note"] for _s, params, _a in notes.of("testing.note")] == ["first"]
    run = RuleRun.objects.get(rule=rule)
    assert run.outcome == RuleRun.Outcome.FAILED
    assert "The order is already closed." in run.error
    assert [d["ok"] for d in run.details] == [True, False]
    failed = OutboxEvent.objects.get(type="automation.rule.failed")
    assert failed.payload["failed_action"] == "testing.fail"
    assert "already closed" in failed.payload["error"]
    assert failed.subjects["order"] == ["9"]
    assert not OutboxEvent.objects.filter(type="automation.rule.fired").exists()


def test_failing_action_is_rolled_back_alone(events, notes, emit, staff):
    """An action's writes are undone when it fails; earlier actions' writes stay."""
    OrderPlaced, _ = events
    webhook = WebhookFactory(all_events=False, event_types=[SHIPPED])
    services.create_rule(
        actor=staff,
        name="Webhook then fail",
        event_type=PLACED,
        actions=[
            {"action": "automation.call_webhook", "params": {"webhook": webhook.pk}},
            {"action": "testing.ship_then_fail"},
        ],
    )
    emit(OrderPlaced(order_id=1, party_id=1))
    run_pending()
    assert WebhookDelivery.objects.filter(webhook=webhook).count() == 1
    assert not OutboxEvent.objects.filter(type=SHIPPED).exists()
    run = RuleRun.objects.get()
    assert run.outcome == RuleRun.Outcome.FAILED
    assert "Shipping failed half-way." in run.error


def test_rule_that_would_trigger_itself_is_stopped(events, notes, emit, settle, staff):
    OrderPlaced, _ = events
    rule = services.create_rule(
        actor=staff, name="Echo", event_type=PLACED, actions=[{"action": "testing.republish"}]
    )
    emit(OrderPlaced(order_id=5, party_id=1))
    settle()

    runs = list(RuleRun.objects.order_by("pk").values_list("outcome", "depth"))
    assert runs == [("succeeded", 1), ("loop_stopped", 2)]
    stopped = RuleRun.objects.get(outcome="loop_stopped")
    assert "caused by this rule itself" in stopped.error
    echoed = OutboxEvent.objects.filter(type=PLACED).order_by("occurred_at").last()
    assert echoed.channel == "automation"
    assert EventCause.objects.get(event=echoed).rule_ids == [rule.pk]
    # one fired event, nothing for the stopped run, and the outbox is quiet again
    assert OutboxEvent.objects.filter(type="automation.rule.fired").count() == 1
    assert OutboxEvent.objects.filter(type=PLACED).count() == 2


def test_two_rules_triggering_each_other_are_stopped(events, notes, emit, settle, staff):
    OrderPlaced, _ = events
    first = services.create_rule(
        actor=staff, name="Ship", event_type=PLACED, actions=[{"action": "testing.ship"}]
    )
    second = services.create_rule(
        actor=staff, name="Place", event_type=SHIPPED, actions=[{"action": "testing.place"}]
    )
    emit(OrderPlaced(order_id=5, party_id=1))
    settle()
    runs = list(RuleRun.objects.order_by("pk").values_list("rule", "outcome", "depth"))
    assert runs == [
        (first.pk, "succeeded", 1),
        (second.pk, "succeeded", 2),
        (first.pk, "loop_stopped", 3),
    ]


def test_a_chain_deeper_than_the_limit_is_stopped(events, notes, emit):
    OrderPlaced, _ = events
    rule = RuleFactory()
    row = emit(OrderPlaced(order_id=1, party_id=1))
    EventCause.objects.create(event=row, rule_ids=[901, 902, 903, 904, 905])
    (run,) = engine.handle_event(row)
    assert run.outcome == RuleRun.Outcome.LOOP_STOPPED
    assert run.depth == chain.MAX_DEPTH + 1
    assert "longer than 5" in run.error
    assert notes.calls == []
    row4 = emit(OrderPlaced(order_id=2, party_id=1))
    EventCause.objects.create(event=row4, rule_ids=[901, 902, 903, 904])
    (run,) = engine.handle_event(row4)
    assert run.outcome == RuleRun.Outcome.SUCCEEDED
    assert run.depth == 5
    assert rule.pk not in EventCause.objects.get(event=row4).rule_ids


def test_send_email_renders_placeholders_from_the_payload_only(events, notes, emit, settle):
    OrderPlaced, _ = events
    RuleFactory(
        actions=[
            {
                "action": "automation.send_email",
                "params": {
                    "to": "{{ email }}, boss@example.no",
                    "subject": "Order {{ order_id }} ({{ status|upper }})",
                    "body": "Total: {{ total }}{% for t in tags %} #{{ t }}{% endfor %}"
                    "{{ settings.SECRET_KEY }}{{ request }}",
                },
            }
        ]
    )
    emit(
        OrderPlaced(
            order_id=12,
            party_id=1,
            email="kari@example.no",
            tags=["a", "b"],
            total=Decimal("99.90"),
        )
    )
    settle()
    (message,) = mail.outbox
    assert message.to == ["kari@example.no", "boss@example.no"]
    assert message.subject == "Order 12 (NEW)"
    assert message.body == "Total: 99.90 #a #b"
    run = RuleRun.objects.get()
    assert run.details[0]["result"]["to"] == ["kari@example.no", "boss@example.no"]


def test_send_email_to_a_bad_rendered_address_fails_the_run(events, notes, emit, settle):
    OrderPlaced, _ = events
    RuleFactory(
        actions=[
            {
                "action": "automation.send_email",
                "params": {"to": "{{ email }}", "subject": "Hi", "body": "Hello"},
            }
        ]
    )
    emit(OrderPlaced(order_id=12, party_id=1, email="not an address"))
    settle()
    assert mail.outbox == []
    run = RuleRun.objects.get()
    assert run.outcome == RuleRun.Outcome.FAILED
    assert "not an e-mail address" in run.error


def test_notify_users_mails_users_and_roles_and_records_them(
    events, notes, emit, settle, make_user, staff
):
    OrderPlaced, _ = events
    kari = make_user("sales", username="kari", email="kari@example.no")
    make_user("sales", username="ola", email="")
    make_user("finance", username="per", email="per@example.no")
    RuleFactory(
        actions=[
            {
                "action": "automation.notify_users",
                "params": {
                    "users": ["per"],
                    "roles": ["sales"],
                    "subject": "New order {{ order_id }}",
                    "body": "Look at order {{ order_id }}.",
                },
            }
        ]
    )
    emit(OrderPlaced(order_id=3, party_id=1))
    settle()
    assert sorted(m.to[0] for m in mail.outbox) == [kari.email, "per@example.no"]
    assert {m.subject for m in mail.outbox} == {"New order 3"}
    result = RuleRun.objects.get().details[0]["result"]
    assert result["notified"] == ["kari", "per"]
    assert result["without_email"] == ["ola"]


def test_actions_run_on_the_chosen_subject_field(events, notes, emit, settle):
    OrderPlaced, _ = events
    RuleFactory(actions=[{"action": "testing.party", "params": {}, "subject_field": "party_id"}])
    emit(OrderPlaced(order_id=3, party_id=44))
    settle()
    assert [subject for subject, _p, _a in notes.of("testing.note")] == ["44"]


def test_actions_run_on_the_automation_channel_and_call_webhooks(
    events, notes, emit, settle, staff
):
    """What an action changes is recorded as coming through automation (audit, events);
    a rule can send the event to a webhook that does not subscribe to it."""
    OrderPlaced, _ = events
    webhook = WebhookFactory(all_events=False, event_types=[SHIPPED])
    rule = RuleFactory(
        run_as=staff,
        actions=[
            {"action": "automation.call_webhook", "params": {"webhook": webhook.pk}},
            note_step(),
        ],
    )
    emit(OrderPlaced(order_id=3, party_id=1))
    run_pending()
    assert notes.channels == ["automation"]
    delivery = WebhookDelivery.objects.get(webhook=webhook)
    assert (delivery.event_type, delivery.rule) == (PLACED, rule)
    assert delivery.status == WebhookDelivery.Status.PENDING


def test_subjects_and_event_fields_in_conditions(events, notes, emit, settle, make_user):
    OrderPlaced, _ = events
    user = make_user("sales")
    RuleFactory(
        conditions=[
            {"field": "subjects.party", "operator": "contains", "value": "8"},
            {"field": "event.actor_id", "operator": "equals", "value": str(user.pk)},
            {"field": "event.channel", "operator": "in", "value": ["system", "ui"]},
        ]
    )
    emit(OrderPlaced(order_id=1, party_id=8), actor=user)
    emit(OrderPlaced(order_id=2, party_id=9), actor=user)
    emit(OrderPlaced(order_id=3, party_id=8))
    settle()
    assert [subject for subject, _p, _a in notes.of("testing.note")] == ["1"]


def test_event_subject_index_has_the_rule_for_its_timeline(events, notes, emit, settle):
    OrderPlaced, _ = events
    rule = RuleFactory()
    emit(OrderPlaced(order_id=1, party_id=1))
    settle()
    kinds = set(
        EventSubject.objects.filter(event__type="automation.rule.fired").values_list(
            "kind", "object_id"
        )
    )
    assert kinds == {("order", "1"), ("party", "1"), ("automation_rule", str(rule.pk))}
