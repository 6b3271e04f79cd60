"""The automation pages: the rule builder (with its htmx rows), a rule built in the UI
firing on a real event, rule pages, webhooks and their secret, deliveries, inbound
messages, list pages with empty states and export, permissions."""

import pytest
from django.urls import reverse

from samspill.automation.models import (
    InboundMessage,
    Rule,
    RuleRun,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from samspill.automation.tests.factories import PLACED, RuleFactory, WebhookFactory
from samspill.platform.models import OutboxEvent
from samspill.platform.timeline import timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user):
    return make_user("admin", username="ada", language="en", email="ada@example.no")


def builder_data(conditions=(), actions=(), **fields):
    data = {
        "name": "VIP orders",
        "description": "",
        "event_type": PLACED,
        "match": "all",
        "is_active": "on",
        "cond-TOTAL_FORMS": str(len(conditions)),
        "cond-INITIAL_FORMS": "0",
        "cond-MIN_NUM_FORMS": "0",
        "cond-MAX_NUM_FORMS": "20",
        "act-TOTAL_FORMS": str(len(actions)),
        "act-INITIAL_FORMS": "0",
        "act-MIN_NUM_FORMS": "0",
        "act-MAX_NUM_FORMS": "10",
    }
    for index, row in enumerate(conditions):
        for key, value in row.items():
            data[f"cond-{index}-{key}"] = value
    for index, row in enumerate(actions):
        for key, value in row.items():
            data[f"act-{index}-{key}"] = value
    data.update(fields)
    return data


def test_a_rule_built_in_the_ui_fires_on_a_real_event(login, admin, notes, events, emit, settle):
    OrderPlaced, _ = events
    client = login(admin)
    data = builder_data(
        conditions=[
            {"field": "payload.tags", "operator": "contains", "value": "vip"},
            {},  # an untouched row is ignored
            {"field": "payload.total", "operator": "greater", "value": "100"},
        ],
        actions=[
            {"action": "testing.note", "subject_field": "", "p_note": "VIP order {{ order_id }}"},
            {
                "action": "automation.send_email",
                "p_to": "sales@example.no",
                "p_subject": "VIP order {{ order_id }}",
                "p_body": "Total {{ total }} kr.",
            },
        ],
    )
    response = client.post(reverse("automation:rule_create"), data)
    rule = Rule.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("automation:rule_detail", args=[rule.pk])
    assert rule.run_as == admin
    assert rule.conditions == [
        {"field": "payload.tags", "operator": "contains", "value": "vip"},
        {"field": "payload.total", "operator": "greater", "value": "100"},
    ]
    assert [step["action"] for step in rule.actions] == ["testing.note", "automation.send_email"]

    emit(OrderPlaced(order_id=41, party_id=1, tags=["vip"], total="99"))  # too small
    emit(OrderPlaced(order_id=42, party_id=1, tags=["vip"], total="250"))
    settle()

    from django.core import mail

    assert notes.of("testing.note") == [("42", {"note": "VIP order 42"}, admin)]
    (message,) = mail.outbox
    assert message.subject == "VIP order 42" and message.body == "Total 250 kr."
    page = client.get(reverse("automation:rule_detail", args=[rule.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Latest runs" in content and "Succeeded" in content and "Skipped" in content


def test_a_rule_on_a_party_event_adds_a_tag_through_the_parties_domain(login, admin, settle):
    """The cross-domain path: parties.party.created -> rule -> parties.add_tag, which
    goes through the parties service (audit, event) on the automation channel."""
    parties = pytest.importorskip("samspill.parties.services")
    from samspill.platform.actions import get_action

    if get_action("parties.add_tag") is None:
        pytest.skip("the parties domain registers no automation actions")
    client = login(admin)
    response = client.post(
        reverse("automation:rule_create"),
        builder_data(
            event_type="parties.party.created",
            conditions=[{"field": "payload.kind", "operator": "equals", "value": "organization"}],
            actions=[{"action": "parties.add_tag", "subject_field": "", "p_tag": "new-customer"}],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    party = parties.create_organization(actor=admin, name="Fjord Fisk AS")
    settle()
    party.refresh_from_db()
    assert [t.name for t in party.tags.all()] == ["new-customer"]
    assert RuleRun.objects.get().outcome == RuleRun.Outcome.SUCCEEDED
    updated = OutboxEvent.objects.get(type="parties.party.updated")
    assert updated.channel == "automation" and updated.actor == admin
    # the party's timeline (its 360-degree view) shows the automation run
    types = [entry.event.type for entry in timeline("party", party.pk)]
    assert types[:2] == ["automation.rule.fired", "parties.party.updated"] or types[:2] == [
        "parties.party.updated",
        "automation.rule.fired",
    ]
    assert "parties.party.created" in types


def test_builder_shows_the_services_errors_on_the_right_rows_and_keeps_input(login, admin, notes):
    client = login(admin)
    data = builder_data(
        conditions=[{"field": "payload.colour", "operator": "equals", "value": "red"}],
        actions=[{"action": "testing.discount", "p_percent": "lots", "p_times": "2"}],
    )
    response = client.post(reverse("automation:rule_create"), data)
    assert response.status_code == 422
    content = response.content.decode()
    assert "The event has no field “colour”" in content
    assert "Enter a number." in content
    assert 'value="payload.colour"' in content and 'value="lots"' in content
    assert Rule.objects.count() == 0
    assert not OutboxEvent.objects.filter(type__startswith="automation.").exists()


def test_builder_without_actions_is_refused(login, admin, notes):
    response = login(admin).post(reverse("automation:rule_create"), builder_data())
    assert response.status_code == 422
    assert "Add at least one action." in response.content.decode()
    assert Rule.objects.count() == 0


def test_builder_fragments(login, admin, notes, events):
    client = login(admin)
    page = client.get(reverse("automation:rule_create"))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="act-TOTAL_FORMS" value="1"' in content
    assert 'name="cond-TOTAL_FORMS" value="0"' in content
    assert 'hx-get="/automation/rules/builder/condition/"' in content

    row = client.get(
        reverse("automation:builder_condition"), {"cond-TOTAL_FORMS": "2"}, HTTP_HX_REQUEST="true"
    )
    text = row.content.decode()
    assert 'name="cond-2-field"' in text and 'name="cond-2-operator"' in text
    assert 'id="id_cond-TOTAL_FORMS" hx-swap-oob="true"' in text and 'value="3"' in text

    new_action = client.get(
        reverse("automation:builder_action"), {"act-TOTAL_FORMS": "1", "event_type": PLACED}
    )
    assert 'name="act-1-action"' in new_action.content.decode()
    chosen = client.get(
        reverse("automation:builder_action"),
        {"index": "0", "act-0-action": "testing.discount", "event_type": PLACED},
    )
    text = chosen.content.decode()
    assert 'name="act-0-p_percent"' in text and 'name="act-0-p_level"' in text
    assert "hx-swap-oob" not in text
    assert 'name="act-0-subject_field"' in text  # the action works on orders

    fields = client.get(reverse("automation:builder_fields"), {"event_type": PLACED})
    assert '<option value="payload.total">' in fields.content.decode()
    assert client.get(reverse("automation:builder_remove")).content == b""


def test_edit_rule_keeps_its_rows_and_saves_changes(login, admin, notes):
    rule = RuleFactory(
        conditions=[{"field": "payload.status", "operator": "in", "value": ["new", "paid"]}],
        actions=[
            {
                "action": "testing.discount",
                "params": {"percent": "5", "level": "gold"},
                "subject_field": "",
            }
        ],
    )
    client = login(admin)
    page = client.get(reverse("automation:rule_edit", args=[rule.pk])).content.decode()
    assert 'value="new, paid"' in page
    assert 'name="act-0-p_percent"' in page and 'value="5"' in page
    response = client.post(
        reverse("automation:rule_edit", args=[rule.pk]),
        builder_data(
            name="Renamed",
            conditions=[{"field": "payload.status", "operator": "in", "value": "new, paid"}],
            actions=[{"action": "testing.discount", "p_percent": "7,5", "p_level": "silver"}],
        ),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.name == "Renamed"
    assert rule.actions[0]["params"] == {"percent": "7.5", "express": False, "level": "silver"}
    assert rule.run_as == admin


def test_rule_page_switch_test_and_delete(login, admin, notes, events, emit):
    OrderPlaced, _ = events
    rule = RuleFactory(
        conditions=[{"field": "payload.status", "operator": "equals", "value": "new"}]
    )
    event = emit(OrderPlaced(order_id=1, party_id=1))
    client = login(admin)
    page = client.get(reverse("automation:rule_detail", args=[rule.pk])).content.decode()
    assert "payload.status equals “new”" in page
    assert str(event.pk) in page  # offered for a test run

    client.post(reverse("automation:rule_switch", args=[rule.pk]), {"active": "0"})
    rule.refresh_from_db()
    assert not rule.is_active
    response = client.post(
        reverse("automation:rule_test", args=[rule.pk]), {"event": str(event.pk)}, follow=True
    )
    assert "The conditions hold for this event" in response.content.decode()
    assert notes.calls == []
    assert RuleRun.objects.get().dry_run

    confirm = client.get(reverse("automation:rule_delete", args=[rule.pk]))
    assert "Delete the automation rule" in confirm.content.decode()
    assert Rule.objects.count() == 1
    response = client.post(reverse("automation:rule_delete", args=[rule.pk]))
    assert response["Location"] == reverse("automation:rule_list")
    assert Rule.objects.count() == 0


def test_list_pages_empty_states_filters_and_export(login, admin, notes):
    client = login(admin)
    for name, text in (
        ("automation:rule_list", "No rules yet."),
        ("automation:run_list", "No rule has run yet."),
        ("automation:webhook_list", "No webhooks yet."),
        ("automation:delivery_list", "Nothing has been sent to a webhook yet."),
        ("automation:inbound_list", "No messages yet."),
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert text in response.content.decode(), name
    RuleFactory(name="Thank customers")
    RuleFactory(name="Escalate", is_active=False)
    page = client.get(reverse("automation:rule_list"), {"q": "thank"}).content.decode()
    assert "Thank customers" in page and "Escalate" not in page
    fragment = client.get(
        reverse("automation:rule_list"), {"is_active": "false"}, HTTP_HX_REQUEST="true"
    )
    assert "Escalate" in fragment.content.decode()
    assert "<html" not in fragment.content.decode()
    export = client.get(reverse("automation:rule_list"), {"_export": "csv"})
    assert export["Content-Type"].startswith("text/csv")
    assert "Thank customers" in export.content.decode()


def test_list_pages_use_a_fixed_number_of_queries(
    login, admin, notes, events, emit, django_assert_max_num_queries
):
    OrderPlaced, _ = events
    event = emit(OrderPlaced(order_id=1, party_id=1))
    webhook = WebhookFactory()
    for rule in RuleFactory.create_batch(15):
        RuleRun.objects.create(
            rule=rule, event=event, event_type=PLACED, outcome="failed", error="boom"
        )
        WebhookDelivery.objects.create(webhook=webhook, event=event, event_type=PLACED)
    client = login(admin)
    for name in (
        "automation:rule_list",
        "automation:run_list",
        "automation:webhook_list",
        "automation:delivery_list",
    ):
        client.get(reverse(name))
        with django_assert_max_num_queries(15):
            assert client.get(reverse(name)).status_code == 200


def test_webhook_pages_show_the_secret_once(login, admin, monkeypatch, events):
    from samspill.automation import webhooks

    monkeypatch.setattr(
        webhooks,
        "resolve_target",
        lambda url: webhooks.Target("https", "x", 443, "/", ("1.1.1.1",)),
    )
    client = login(admin)
    assert client.get(reverse("automation:webhook_create")).status_code == 200
    response = client.post(
        reverse("automation:webhook_create"),
        {
            "name": "ERP",
            "url": "https://erp.example/in",
            "event_types": [PLACED],
            "is_active": "on",
        },
    )
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    webhook = Webhook.objects.get()
    assert webhook.secret in response.content.decode()
    detail = client.get(reverse("automation:webhook_detail", args=[webhook.pk])).content.decode()
    assert webhook.secret not in detail and webhook.secret_hint in detail

    response = client.post(
        reverse("automation:webhook_edit", args=[webhook.pk]),
        {"name": "ERP 2", "url": "https://erp.example/in", "all_events": "on", "is_active": "on"},
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert webhook.name == "ERP 2" and webhook.all_events

    assert (
        "new signing secret"
        in client.get(reverse("automation:webhook_rotate", args=[webhook.pk])).content.decode()
    )
    old = webhook.secret
    rotated = client.post(reverse("automation:webhook_rotate", args=[webhook.pk]))
    webhook.refresh_from_db()
    assert webhook.secret != old and webhook.secret in rotated.content.decode()

    client.post(reverse("automation:webhook_delete", args=[webhook.pk]))
    assert Webhook.objects.count() == 0


def test_webhook_form_errors(login, admin):
    client = login(admin)
    response = client.post(
        reverse("automation:webhook_create"),
        {"name": "Local", "url": "http://127.0.0.1:8000/", "is_active": "on"},
    )
    assert response.status_code == 422
    content = response.content.decode()
    assert "private or reserved address" in content
    assert 'value="http://127.0.0.1:8000/"' in content
    assert Webhook.objects.count() == 0


def test_delivery_page_and_retry(login, admin, events, emit):
    OrderPlaced, _ = events
    delivery = WebhookDelivery.objects.create(
        webhook=WebhookFactory(),
        event=emit(OrderPlaced(order_id=1, party_id=1)),
        event_type=PLACED,
        status="dead",
        attempts=8,
        last_status_code=500,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=8,
        status_code=500,
        response_excerpt="upstream down",
        error="status 500",
    )
    client = login(admin)
    page = client.get(reverse("automation:delivery_detail", args=[delivery.pk])).content.decode()
    assert "upstream down" in page and "Send again" in page
    client.post(reverse("automation:delivery_retry", args=[delivery.pk]))
    delivery.refresh_from_db()
    assert delivery.status == "pending"
    missing = client.get(
        reverse("automation:delivery_detail", args=["00000000-0000-0000-0000-000000000000"])
    )
    assert missing.status_code == 404


def test_inbound_pages(login, admin):
    message = InboundMessage.objects.create(
        source="webform", idempotency_key="k-1", message_type="lead", data={"name": "Kari"}
    )
    client = login(admin)
    assert "k-1" in client.get(reverse("automation:inbound_list")).content.decode()
    page = client.get(reverse("automation:inbound_detail", args=[message.pk])).content.decode()
    assert "&quot;name&quot;: &quot;Kari&quot;" in page


def test_permissions_on_pages(login, make_user, notes):
    rule = RuleFactory()
    sales = login(make_user("sales"))
    assert sales.get(reverse("automation:rule_list")).status_code == 403
    assert sales.get(reverse("automation:webhook_list")).status_code == 403
    manager_user = make_user("management", language="en")
    manager = login(manager_user)
    assert manager.get(reverse("automation:rule_list")).status_code == 200
    detail = manager.get(reverse("automation:rule_detail", args=[rule.pk])).content.decode()
    assert "Switch off" not in detail and "Delete" not in detail
    assert manager.get(reverse("automation:rule_create")).status_code == 403
    assert (
        manager.post(reverse("automation:rule_switch", args=[rule.pk]), {"active": "0"}).status_code
        == 403
    )
    rule.refresh_from_db()
    assert rule.is_active


def test_navigation_shows_automation_to_those_who_may_see_it(login, make_user):
    manager = login(make_user("management", language="en"))
    page = manager.get(reverse("automation:rule_list")).content.decode()
    assert reverse("automation:rule_list") in page and reverse("automation:webhook_list") in page
