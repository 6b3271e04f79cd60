"""/api/v1/automation: rules, runs, webhooks, deliveries and the inbound endpoint, with
problem+json errors, permissions and query budgets."""

import pytest

from samspill.automation.models import InboundMessage, Rule, RuleRun, Webhook, WebhookDelivery
from samspill.automation.tests.factories import PLACED, RuleFactory, WebhookFactory
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/automation"
RULE = {
    "name": "VIP note",
    "event_type": PLACED,
    "conditions": [{"field": "payload.tags", "operator": "contains", "value": "vip"}],
    "actions": [{"action": "testing.note", "params": {"note": "VIP {{ order_id }}"}}],
}


def post(client, path, body):
    return client.post(BASE + path, body, content_type="application/json")


def patch(client, path, body):
    return client.patch(BASE + path, body, content_type="application/json")


def test_create_read_change_switch_and_delete_a_rule(api, notes, staff):
    client = api(staff)
    response = post(client, "/rules", RULE)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "VIP note" and body["run_as"] == "automator"
    assert body["actions"] == [
        {"action": "testing.note", "params": {"note": "VIP {{ order_id }}"}, "subject_field": ""}
    ]
    rule_id = body["id"]
    assert client.get(f"{BASE}/rules/{rule_id}").json()["conditions"] == RULE["conditions"]

    response = patch(client, f"/rules/{rule_id}", {"match": "any", "description": "For sales"})
    assert response.status_code == 200
    assert response.json()["match"] == "any"
    assert response.json()["conditions"] == RULE["conditions"]  # untouched

    assert post(client, f"/rules/{rule_id}/deactivate", {}).json()["is_active"] is False
    assert post(client, f"/rules/{rule_id}/activate", {}).json()["is_active"] is True
    assert client.delete(f"{BASE}/rules/{rule_id}").status_code == 204
    assert Rule.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"event_type": "nope.nope.nope"}, "event_type"),
        (
            {"conditions": [{"field": "payload.total", "operator": "about", "value": 1}]},
            "conditions.0.operator",
        ),
        ({"actions": [{"action": "testing.teleport"}]}, "actions.0.action"),
        (
            {"actions": [{"action": "testing.discount", "params": {"percent": "many"}}]},
            "actions.0.params.percent",
        ),
    ],
)
def test_bad_rules_get_problem_details_and_write_nothing(api, notes, staff, change, key):
    response = post(api(staff), "/rules", {**RULE, **change})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["status"] == 422
    assert key in body["errors"]
    assert body["detail"]
    assert Rule.objects.count() == 0
    assert not OutboxEvent.objects.filter(type__startswith="automation.").exists()


def test_schema_errors_are_problem_details_too(api, notes, staff):
    response = post(api(staff), "/rules", {"name": "x"})
    assert response.status_code == 422
    assert response.json()["code"] == "validation_failed"
    assert Rule.objects.count() == 0


def test_permissions(api, notes, make_user):
    manager = api(make_user("management"))
    RuleFactory()
    assert manager.get(f"{BASE}/rules").status_code == 200
    response = post(manager, "/rules", RULE)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    sales = api(make_user("sales"))
    assert sales.get(f"{BASE}/rules").status_code == 403
    assert sales.get(f"{BASE}/webhooks").status_code == 403
    assert post(sales, "/webhooks", {"name": "x", "url": "https://x.example"}).status_code == 403
    assert Rule.objects.count() == 1


def test_rule_list_is_paginated_with_a_fixed_number_of_queries(
    api, notes, staff, events, emit, django_assert_max_num_queries
):
    OrderPlaced, _ = events
    rules = RuleFactory.create_batch(12)
    event = emit(OrderPlaced(order_id=1, party_id=1))
    for rule in rules:
        RuleRun.objects.create(rule=rule, event=event, event_type=PLACED, outcome="succeeded")
    client = api(staff)
    client.get(f"{BASE}/rules")  # warm up (token, content types)
    with django_assert_max_num_queries(8):
        response = client.get(f"{BASE}/rules?page_size=10")
    body = response.json()
    assert body["count"] == 12 and len(body["items"]) == 10
    assert body["items"][0]["last_outcome"] == "succeeded"
    assert client.get(f"{BASE}/rules?page_size=10000").json()["page_size"] == 500


def test_runs_and_test_run(api, notes, staff, events, emit):
    OrderPlaced, _ = events
    client = api(staff)
    rule_id = post(client, "/rules", RULE).json()["id"]
    vip = emit(OrderPlaced(order_id=1, party_id=1, tags=["vip"]))
    response = post(client, f"/rules/{rule_id}/test", {"event_id": str(vip.pk)})
    assert response.status_code == 200
    assert response.json()["outcome"] == "matched" and response.json()["dry_run"] is True
    runs = client.get(f"{BASE}/rules/{rule_id}/runs").json()
    assert runs["count"] == 1 and runs["items"][0]["event_id"] == str(vip.pk)
    assert client.get(f"{BASE}/rules/{rule_id}/runs?outcome=failed").json()["count"] == 0
    missing = post(
        client, f"/rules/{rule_id}/test", {"event_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_catalogue_lists_events_operators_and_actions(api, notes, staff):
    body = api(staff).get(f"{BASE}/catalogue").json()
    placed = next(e for e in body["events"] if e["type"] == PLACED)
    assert "payload.total" in placed["fields"] and "subjects.party" in placed["fields"]
    assert {op["key"] for op in body["operators"]} == {
        "equals",
        "not_equals",
        "contains",
        "greater",
        "less",
        "in",
        "is_empty",
        "is_not_empty",
        "changed_includes",
    }
    keys = [a["key"] for a in body["actions"]]
    assert keys[:3] == [
        "automation.send_email",
        "automation.notify_users",
        "automation.call_webhook",
    ]
    discount = next(a for a in body["actions"] if a["key"] == "testing.discount")
    assert discount["params"][0] == {
        "name": "percent",
        "type": "Decimal",
        "label": "Percent",
        "required": True,
        "choices": None,
    }


def test_webhooks_api_shows_the_secret_once(api, staff, events, monkeypatch):
    from samspill.automation import webhooks

    monkeypatch.setattr(
        webhooks,
        "resolve_target",
        lambda url: webhooks.Target("https", "x", 443, "/", ("1.1.1.1",)),
    )
    client = api(staff)
    response = post(
        client,
        "/webhooks",
        {"name": "ERP", "url": "https://erp.example/in", "event_types": [PLACED]},
    )
    assert response.status_code == 201
    created = response.json()
    secret = created["secret"]
    assert secret.startswith("whsec_") and created["secret_hint"] == secret[:10] + "…"
    webhook_id = created["id"]
    shown = client.get(f"{BASE}/webhooks/{webhook_id}").json()
    assert "secret" not in shown
    assert "secret" not in client.get(f"{BASE}/webhooks").json()["items"][0]
    rotated = post(client, f"/webhooks/{webhook_id}/rotate-secret", {}).json()
    assert rotated["secret"] != secret
    assert (
        patch(client, f"/webhooks/{webhook_id}", {"is_active": False}).json()["is_active"] is False
    )
    assert client.delete(f"{BASE}/webhooks/{webhook_id}").status_code == 204


def test_private_webhook_target_is_a_problem(api, staff):
    response = api(staff).post(
        f"{BASE}/webhooks",
        {"name": "x", "url": "http://127.0.0.1/x", "all_events": True},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert "private or reserved" in response.json()["errors"]["url"][0]
    assert Webhook.objects.count() == 0


def test_deliveries_and_retry(api, staff, events, emit, django_assert_max_num_queries):
    OrderPlaced, _ = events
    webhook = WebhookFactory()
    for n in range(5):
        row = emit(OrderPlaced(order_id=n, party_id=1))
        WebhookDelivery.objects.create(
            webhook=webhook, event=row, event_type=PLACED, status="dead", attempts=8
        )
    client = api(staff)
    client.get(f"{BASE}/webhooks/{webhook.pk}/deliveries")
    with django_assert_max_num_queries(8):
        body = client.get(f"{BASE}/webhooks/{webhook.pk}/deliveries?status=dead").json()
    assert body["count"] == 5
    delivery_id = body["items"][0]["id"]
    response = post(client, f"/deliveries/{delivery_id}/retry", {})
    assert response.status_code == 200
    assert response.json()["status"] == "pending" and response.json()["attempts"] == 0
    again = post(client, f"/deliveries/{delivery_id}/retry", {})
    assert again.status_code == 409 and again.json()["code"] == "not_retryable"


# --- Inbound -----------------------------------------------------------------------------------


def test_inbound_message_is_recorded_once_and_published(api, staff, notes, emit, settle):
    client = api(staff)
    body = {
        "type": "lead",
        "idempotency_key": "form-123",
        "data": {"email": "kari@example.no", "name": "Kari"},
    }
    first = post(client, "/inbound/webform", body)
    assert first.status_code == 201, first.json()
    message = first.json()
    assert message["source"] == "webform" and message["type"] == "lead"
    assert message["data"] == body["data"]
    again = post(client, "/inbound/webform", {**body, "data": {"other": True}})
    assert again.status_code == 200
    assert again.json()["id"] == message["id"]
    assert again.json()["data"] == body["data"]  # the first result
    assert InboundMessage.objects.count() == 1
    (event,) = OutboxEvent.objects.filter(type="automation.inbound.received")
    assert event.payload == {
        "message_id": message["id"],
        "source": "webform",
        "message_type": "lead",
        "idempotency_key": "form-123",
        "data": body["data"],
    }
    assert message["event_id"] == str(event.pk)
    assert event.channel == "api"
    # the same key from another source is another message
    assert post(client, "/inbound/shop", body).status_code == 201


def test_rules_react_to_inbound_messages(api, staff, notes, settle):
    from django.core import mail

    from samspill.automation import services

    services.create_rule(
        actor=staff,
        name="Welcome leads",
        event_type="automation.inbound.received",
        conditions=[{"field": "payload.message_type", "operator": "equals", "value": "lead"}],
        actions=[
            {
                "action": "automation.send_email",
                "params": {
                    "to": "{{ data.email }}",
                    "subject": "Welcome {{ data.name }}",
                    "body": "Thanks for writing to us.",
                },
            }
        ],
    )
    post(
        api(staff),
        "/inbound/webform",
        {
            "type": "lead",
            "idempotency_key": "k1",
            "data": {"email": "kari@example.no", "name": "Kari"},
        },
    )
    settle()
    (message,) = mail.outbox
    assert message.to == ["kari@example.no"] and message.subject == "Welcome Kari"


def test_inbound_needs_a_token_and_the_permission(api, client, make_user, staff):
    body = {"type": "lead", "idempotency_key": "k", "data": {}}
    client.force_login(staff)
    session = post(client, "/inbound/webform", body)
    assert session.status_code == 401  # a personal access token only
    response = post(api(make_user("sales")), "/inbound/webform", body)
    assert response.status_code == 403
    assert InboundMessage.objects.count() == 0


@pytest.mark.parametrize(
    ("source", "body", "key"),
    [
        ("Web Form", {"type": "lead", "idempotency_key": "k"}, "source"),
        ("webform", {"type": " ", "idempotency_key": "k"}, "type"),
        ("webform", {"type": "lead", "idempotency_key": ""}, "idempotency_key"),
        ("webform", {"type": "lead", "idempotency_key": "x" * 201}, "idempotency_key"),
    ],
)
def test_bad_inbound_messages_are_refused(api, staff, source, body, key):
    response = post(api(staff), f"/inbound/{source}", body)
    assert response.status_code == 422
    assert key in response.json()["errors"]
    assert InboundMessage.objects.count() == 0
    assert not OutboxEvent.objects.filter(type="automation.inbound.received").exists()


def test_inbound_list(api, staff, make_user):
    client = api(staff)
    post(client, "/inbound/webform", {"type": "lead", "idempotency_key": "a"})
    assert client.get(f"{BASE}/inbound").json()["count"] == 1
    assert api(make_user("sales")).get(f"{BASE}/inbound").status_code == 403
