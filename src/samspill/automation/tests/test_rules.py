"""Building rules: strict validation (nothing written on bad input), audit, events,
permissions, switching on and off, test runs."""

import pytest

from samspill.automation import engine, services
from samspill.automation.models import Rule, RuleRun
from samspill.automation.tests.factories import PLACED, RuleFactory
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db

NOTE = {"action": "testing.note", "params": {"note": "hi"}}


def create(actor, **overrides):
    values = {"name": "Rule", "event_type": PLACED, "actions": [NOTE]}
    values.update(overrides)
    return services.create_rule(actor=actor, **values)


def assert_nothing_written():
    assert Rule.objects.count() == 0
    assert not OutboxEvent.objects.filter(type__startswith="automation.").exists()
    assert not AuditEntry.objects.exists()


def test_create_rule_audits_publishes_and_runs_as_its_author(notes, staff):
    rule = create(
        staff,
        name="  Big orders  ",
        conditions=[{"field": "payload.total", "operator": "greater", "value": "1 000,50"}],
        actions=[
            {
                "action": "testing.discount",
                "params": {"percent": "12,5", "times": "3", "express": "yes", "level": "gold"},
            }
        ],
    )
    assert rule.name == "Big orders"
    assert rule.run_as == staff and rule.created_by == staff
    assert rule.conditions == [
        {"field": "payload.total", "operator": "greater", "value": "1 000,50"}
    ]
    assert rule.actions == [
        {
            "action": "testing.discount",
            "params": {"percent": "12.5", "times": 3, "express": True, "level": "gold"},
            "subject_field": "",
        }
    ]
    (event,) = OutboxEvent.objects.filter(type="automation.rule.created")
    assert event.payload == {
        "rule_id": rule.pk,
        "name": "Big orders",
        "event_type": PLACED,
        "is_active": True,
    }
    assert event.subjects == {"automation_rule": [str(rule.pk)]}
    entry = AuditEntry.objects.get(object_id=str(rule.pk))
    assert entry.action == "create" and entry.actor == staff


@pytest.mark.parametrize(
    ("overrides", "key", "text"),
    [
        ({"event_type": "sales.order.teleported"}, "event_type", "Unknown event type"),
        ({"name": " "}, "name", "Give the rule a name"),
        ({"match": "most"}, "match", "all or any"),
        ({"actions": []}, "actions", "at least one action"),
        (
            {"conditions": [{"field": "payload.total", "operator": "roughly", "value": "1"}]},
            "conditions.0.operator",
            "Unknown operator",
        ),
        (
            {"conditions": [{"field": "payload.colour", "operator": "equals", "value": "x"}]},
            "conditions.0.field",
            "no field “colour”",
        ),
        (
            {"conditions": [{"field": "subjects.invoice", "operator": "is_empty"}]},
            "conditions.0.field",
            "not about records",
        ),
        (
            {"conditions": [{"field": "event.secret", "operator": "is_empty"}]},
            "conditions.0.field",
            "Unknown event field",
        ),
        (
            {"conditions": [{"field": "total", "operator": "equals", "value": "1"}]},
            "conditions.0.field",
            "payload.<name>",
        ),
        (
            {"conditions": [{"field": "payload.total", "operator": "greater", "value": "lots"}]},
            "conditions.0.value",
            "number or a date",
        ),
        (
            {"conditions": [{"field": "payload.status", "operator": "in", "value": " , "}]},
            "conditions.0.value",
            "one or more values",
        ),
        (
            {
                "conditions": [
                    {"field": "payload.status", "operator": "changed_includes", "value": "x"}
                ]
            },
            "conditions.0.field",
            "needs a field that is a list",
        ),
        ({"actions": [{"action": "parties.teleport"}]}, "actions.0.action", "Unknown action"),
        (
            {"actions": [{"action": "testing.note", "params": {}}]},
            "actions.0.params.note",
            "required",
        ),
        (
            {"actions": [{"action": "testing.note", "params": {"note": "x", "colour": "red"}}]},
            "actions.0.params.colour",
            "no parameter",
        ),
        (
            {"actions": [{"action": "testing.discount", "params": {"percent": "a lot"}}]},
            "actions.0.params.percent",
            "Enter a number",
        ),
        (
            {
                "actions": [
                    {"action": "testing.discount", "params": {"percent": "5", "times": "2.5"}}
                ]
            },
            "actions.0.params.times",
            "whole number",
        ),
        (
            {
                "actions": [
                    {"action": "testing.discount", "params": {"percent": "5", "level": "platinum"}}
                ]
            },
            "actions.0.params.level",
            "Not one of the allowed values",
        ),
        (
            {
                "actions": [
                    {"action": "testing.note", "params": {"note": "{{ total|nosuchfilter }}"}}
                ]
            },
            "actions.0.params.note",
            "placeholders are not valid",
        ),
        (
            {"actions": [{"action": "testing.note", "params": {"note": "{% load static %}"}}]},
            "actions.0.params.note",
            "placeholders are not valid",
        ),
        (
            {"actions": [{"action": "testing.note", "params": {"note": "{% include 'x' %}"}}]},
            "actions.0.params.note",
            "placeholders are not valid",
        ),
        (
            {
                "actions": [
                    {
                        "action": "automation.send_email",
                        "params": {"to": "kari@", "subject": "s", "body": "b"},
                    }
                ]
            },
            "actions.0.params.to",
            "not an e-mail address",
        ),
        (
            {
                "actions": [
                    {"action": "automation.notify_users", "params": {"subject": "s", "body": "b"}}
                ]
            },
            "actions.0.params.users",
            "at least one user or role",
        ),
        (
            {
                "actions": [
                    {
                        "action": "automation.notify_users",
                        "params": {"roles": ["pilots"], "subject": "s", "body": "b"},
                    }
                ]
            },
            "actions.0.params.roles",
            "Not one of the allowed values",
        ),
        (
            {"actions": [{"action": "automation.call_webhook", "params": {"webhook": "999"}}]},
            "actions.0.params.webhook",
            "Not one of the allowed values",
        ),
        (
            {
                "actions": [
                    {"action": "testing.note", "params": {"note": "x"}, "subject_field": "party_id"}
                ]
            },
            "actions.0.subject_field",
            "naming a order record",
        ),
        (
            {
                "event_type": "automation.webhook.created",
                "actions": [{"action": "testing.note", "params": {"note": "x"}}],
            },
            "actions.0.action",
            "not about one",
        ),
    ],
)
def test_bad_rules_are_refused_with_a_clear_message_and_nothing_written(
    notes, staff, overrides, key, text
):
    with pytest.raises(ValidationFailed) as caught:
        create(staff, **overrides)
    assert key in caught.value.errors, caught.value.errors
    assert any(text in message for message in caught.value.errors[key]), caught.value.errors
    assert_nothing_written()


def test_all_problems_are_reported_at_once(notes, staff):
    with pytest.raises(ValidationFailed) as caught:
        create(
            staff,
            name="",
            conditions=[
                {"field": "payload.total", "operator": "equals", "value": "1"},
                {"field": "payload.nope", "operator": "nope"},
            ],
            actions=[NOTE, {"action": "nope"}],
        )
    assert set(caught.value.errors) == {
        "name",
        "conditions.1.field",
        "conditions.1.operator",
        "actions.1.action",
    }


def test_changed_fields_include_finds_the_list_of_changed_fields(notes, staff):
    rule = create(staff, conditions=[{"operator": "changed_includes", "value": "email, phone"}])
    assert rule.conditions == [
        {"field": "payload.fields", "operator": "changed_includes", "value": ["email", "phone"]}
    ]


def test_empty_operators_keep_no_value(notes, staff):
    rule = create(
        staff, conditions=[{"field": "payload.email", "operator": "is_empty", "value": "ignored"}]
    )
    assert rule.conditions[0]["value"] is None


def test_actions_needing_a_permission_need_it_of_the_author(notes, make_user, staff):
    # management may view automation but not delete webhooks
    manager = make_user("management")
    from django.contrib.auth.models import Permission

    manager.user_permissions.add(Permission.objects.get(codename="add_rule"))
    manager = type(manager).objects.get(pk=manager.pk)
    with pytest.raises(ValidationFailed) as caught:
        create(manager, actions=[{"action": "testing.guarded"}])
    assert "lack the permission" in caught.value.errors["actions.0.action"][0]
    assert create(staff, actions=[{"action": "testing.guarded"}]).pk


def test_people_without_permission_cannot_build_rules(notes, make_user):
    with pytest.raises(PermissionDenied):
        create(make_user("sales"))
    with pytest.raises(PermissionDenied):
        create(make_user("management"))
    assert_nothing_written()


def test_system_actor_may_build_rules_that_run_as_system(notes):
    rule = create(None)
    assert rule.run_as is None and rule.created_by is None


def test_update_rule_checks_everything_again_and_records_what_changed(notes, staff, make_user):
    rule = create(staff)
    other_admin = make_user("admin", username="other")
    services.update_rule(
        rule,
        actor=other_admin,
        name="Renamed",
        conditions=[{"field": "payload.status", "operator": "equals", "value": "paid"}],
    )
    rule.refresh_from_db()
    assert rule.name == "Renamed" and rule.run_as == other_admin
    updated = OutboxEvent.objects.get(type="automation.rule.updated")
    assert updated.payload["fields"] == ["name", "conditions"]
    entry = AuditEntry.objects.filter(action="update").get()
    assert entry.changes["name"] == ["Rule", "Renamed"]

    with pytest.raises(ValidationFailed):
        services.update_rule(rule, actor=staff, actions=[{"action": "nope"}])
    with pytest.raises(ValidationFailed):
        services.update_rule(rule, actor=staff, colour="red")
    rule.refresh_from_db()
    assert rule.actions[0]["action"] == "testing.note"
    assert OutboxEvent.objects.filter(type="automation.rule.updated").count() == 1


def test_switching_rules_on_and_off(notes, staff):
    rule = create(staff, is_active=False)
    services.set_rule_active(rule, True, actor=staff)
    rule.refresh_from_db()
    assert rule.is_active
    services.set_rule_active(rule, True, actor=staff)  # already on: nothing happens
    services.set_rule_active(rule, False, actor=staff)
    types = list(
        OutboxEvent.objects.filter(type__startswith="automation.rule.")
        .order_by("occurred_at")
        .values_list("type", flat=True)
    )
    assert types == [
        "automation.rule.created",
        "automation.rule.activated",
        "automation.rule.deactivated",
    ]


def test_a_rule_whose_action_disappeared_cannot_be_switched_on(notes, staff):
    rule = RuleFactory(is_active=False, actions=[{"action": "testing.gone", "params": {}}])
    with pytest.raises(ValidationFailed) as caught:
        services.set_rule_active(rule, True, actor=staff)
    assert "actions.0.action" in caught.value.errors
    rule.refresh_from_db()
    assert not rule.is_active


def test_delete_rule_deletes_its_log(notes, staff, events, emit):
    rule = create(staff)
    rule_id = rule.pk
    OrderPlaced, _ = events
    engine.run_rule(rule, emit(OrderPlaced(order_id=1, party_id=1)))
    assert RuleRun.objects.count() == 1
    services.delete_rule(rule, actor=staff)
    assert Rule.objects.count() == 0 and RuleRun.objects.count() == 0
    deleted = OutboxEvent.objects.get(type="automation.rule.deleted")
    assert deleted.payload == {"rule_id": rule_id, "name": "Rule"}


def test_dry_run_checks_conditions_without_running_actions(notes, staff, events, emit):
    OrderPlaced, OrderShipped = events
    rule = create(
        staff, conditions=[{"field": "payload.status", "operator": "equals", "value": "paid"}]
    )
    paid = emit(OrderPlaced(order_id=1, party_id=1, status="PAID"))
    new = emit(OrderPlaced(order_id=2, party_id=1, status="new"))
    assert services.dry_run_rule(rule, paid, actor=staff).outcome == RuleRun.Outcome.MATCHED
    assert services.dry_run_rule(rule, new, actor=staff).outcome == RuleRun.Outcome.SKIPPED
    assert notes.calls == []
    assert set(RuleRun.objects.values_list("dry_run", flat=True)) == {True}
    with pytest.raises(ValidationFailed):
        services.dry_run_rule(rule, emit(OrderShipped(order_id=1)), actor=staff)


def test_retrying_a_delivered_webhook_is_a_conflict(staff):
    from samspill.automation.models import WebhookDelivery
    from samspill.automation.tests.factories import WebhookFactory
    from samspill.platform.tests.factories import OutboxEventFactory

    delivery = WebhookDelivery.objects.create(
        webhook=WebhookFactory(),
        event=OutboxEventFactory(),
        event_type="x",
        status=WebhookDelivery.Status.SUCCEEDED,
    )
    with pytest.raises(Conflict):
        services.retry_delivery(delivery, actor=staff)
