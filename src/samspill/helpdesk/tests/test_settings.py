"""Settings of customer service for management: queues, mailboxes (passwords encrypted,
never shown, connection test over real IMAP), SLA policies, canned responses and webhook
endpoints, on pages and in the API; others may not."""

import json

import pytest

from samspill.helpdesk import services
from samspill.helpdesk.crypto import decrypt, encrypt, is_encrypted
from samspill.helpdesk.models import (
    CannedResponse,
    InboundEndpoint,
    Mailbox,
    Queue,
    SlaPolicy,
)


@pytest.fixture
def manager(make_user):
    return make_user("management", first_name="Mona", last_name="Manager", language="en")


def post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_settings_page_lists_everything_in_few_queries(
    login, manager, queue, policy, django_assert_max_num_queries
):
    for i in range(5):
        Queue.objects.create(name=f"Q{i}")
        Mailbox.objects.create(queue=queue, host="imap.x", username=f"u{i}", password="p")
        CannedResponse.objects.create(title=f"C{i}", body="b")
        services.create_setting(
            InboundEndpoint,
            actor=None,
            name=f"E{i}",
            slug=f"e{i}",
            mapping={"phone": "from", "text": "body"},
        )
    client = login(manager)
    with django_assert_max_num_queries(20):
        page = client.get("/helpdesk/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Support" in html and "u4@imap.x/INBOX" in html and "/api/v1/helpdesk/inbound/e3" in html


def test_agents_may_not_change_settings(login, agent, queue):
    client = login(agent)
    assert client.get("/helpdesk/settings/").status_code == 403
    assert client.post("/helpdesk/settings/queues/new/", {"name": "X"}).status_code == 403
    assert client.post(f"/helpdesk/settings/queues/{queue.pk}/delete/").status_code == 403


def test_create_edit_and_delete_a_queue(login, manager, queue):
    client = login(manager)
    new = client.get("/helpdesk/settings/queues/new/").content.decode()
    assert (
        'value="08:00"' in new
        and 'value="5" class="form-check-input" id="id_workdays_4" checked' in new
    )
    bad = client.post(
        "/helpdesk/settings/queues/new/",
        {"name": "Evening", "opens_at": "18:00", "closes_at": "10:00", "workdays": ["1"]},
    )
    assert bad.status_code == 422 and Queue.objects.count() == 1
    assert bad.context["form"].errors
    ok = client.post(
        "/helpdesk/settings/queues/new/",
        {
            "name": "Evening",
            "email": "Kveld@Firma.no",
            "opens_at": "16:00",
            "closes_at": "22:00",
            "workdays": ["1", "2", "3", "6"],
            "is_default": "on",
        },
    )
    assert ok.status_code == 302, ok.context["form"].errors
    evening = Queue.objects.get(name="Evening")
    assert evening.workdays == "1236" and evening.email == "kveld@firma.no" and evening.is_default
    queue.refresh_from_db()
    assert not queue.is_default  # one default only
    form = client.get(f"/helpdesk/settings/queues/{evening.pk}/").content.decode()
    assert 'value="Evening"' in form and 'value="16:00"' in form and 'value="22:00"' in form
    client.post(f"/helpdesk/settings/queues/{evening.pk}/delete/")
    assert not Queue.objects.filter(name="Evening").exists()


def test_a_queue_with_tickets_cannot_be_removed(login, manager, ticket):
    client = login(manager)
    response = client.post(f"/helpdesk/settings/queues/{ticket.queue_id}/delete/", follow=True)
    assert "has tickets" in response.content.decode()
    assert Queue.objects.filter(pk=ticket.queue_id).exists()


def test_mailbox_password_is_encrypted_and_never_shown(login, manager, queue):
    client = login(manager)
    response = client.post(
        "/helpdesk/settings/mailboxes/new/",
        {
            "queue": queue.pk,
            "host": "imap.firma.no",
            "port": "993",
            "use_ssl": "on",
            "username": "support",
            "password": "hemmelig-passord",
            "folder": "INBOX",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content
    mailbox = Mailbox.objects.get()
    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get()
    assert "hemmelig" not in stored and is_encrypted(stored)
    assert mailbox.password == "hemmelig-passord"
    form = client.get(f"/helpdesk/settings/mailboxes/{mailbox.pk}/").content.decode()
    assert "hemmelig" not in form and "fernet:" not in form
    # saving without a password keeps the stored one
    client.post(
        f"/helpdesk/settings/mailboxes/{mailbox.pk}/",
        {
            "queue": queue.pk,
            "host": "imap2.firma.no",
            "port": "993",
            "username": "support",
            "password": "",
            "folder": "INBOX",
        },
    )
    mailbox.refresh_from_db()
    assert mailbox.host == "imap2.firma.no" and mailbox.password == "hemmelig-passord"
    from samspill.platform.models import AuditEntry

    assert not any("hemmelig" in json.dumps(a.changes) for a in AuditEntry.objects.all())
    assert not any("fernet:" in json.dumps(a.changes) for a in AuditEntry.objects.all())


def test_data_migration_encrypts_existing_passwords(queue):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("samspill.helpdesk.migrations.0003_encrypt_mailbox_passwords")
    Mailbox.objects.create(queue=queue, host="h", username="u", password="x")
    Mailbox.objects.update(password_encrypted="plain-old")  # as before the migration
    migration.encrypt_existing(apps, None)
    stored = Mailbox.objects.values_list("password_encrypted", flat=True).get()
    assert is_encrypted(stored) and decrypt(stored) == "plain-old"
    migration.encrypt_existing(apps, None)  # running again changes nothing
    assert Mailbox.objects.values_list("password_encrypted", flat=True).get() == stored
    migration.decrypt_existing(apps, None)
    assert Mailbox.objects.values_list("password_encrypted", flat=True).get() == "plain-old"


def test_a_changed_key_reads_as_empty(settings):
    stored = encrypt("secret")
    settings.SAMSPILL_SECRET_KEY = "another key"
    assert decrypt(stored) == ""


def test_connection_test_logs_in_over_imap(login, manager, queue, dovecot):
    host, port, user, password = dovecot
    good = Mailbox.objects.create(
        queue=queue, host=host, port=port, use_ssl=False, username=user, password=password
    )
    bad = Mailbox.objects.create(
        queue=queue, host=host, port=port, use_ssl=False, username=user, password="wrong"
    )
    client = login(manager)
    ok = client.post(f"/helpdesk/settings/mailboxes/{good.pk}/test/", follow=True)
    assert "Connected: 0 messages in INBOX" in ok.content.decode()
    failed = client.post(f"/helpdesk/settings/mailboxes/{bad.pk}/test/", follow=True)
    assert "Could not log in" in failed.content.decode()


def test_sla_policy_and_canned_response_pages(login, manager, queue, customer):
    client = login(manager)
    bad = client.post(
        "/helpdesk/settings/sla-policies/new/",
        {
            "name": "Gold",
            "party": "999999",
            "first_response_hours": "1",
            "resolution_hours": "8",
            "warning_percent": "80",
        },
    )
    assert bad.status_code == 422 and SlaPolicy.objects.count() == 0
    ok = client.post(
        "/helpdesk/settings/sla-policies/new/",
        {
            "name": "Gold",
            "party": str(customer.pk),
            "priority": "high",
            "queue": queue.pk,
            "first_response_hours": "1",
            "resolution_hours": "8",
            "warning_percent": "75",
        },
    )
    assert ok.status_code == 302
    policy = SlaPolicy.objects.get()
    assert policy.party == customer and policy.priority == "high"
    zero = client.post(
        f"/helpdesk/settings/sla-policies/{policy.pk}/",
        {
            "name": "Gold",
            "first_response_hours": "0",
            "resolution_hours": "8",
            "warning_percent": "80",
        },
    )
    assert zero.status_code == 422
    client.post(
        "/helpdesk/settings/canned-responses/new/",
        {"title": "Thanks", "body": "Hi {{ customer.name }}"},
    )
    assert CannedResponse.objects.get().body == "Hi {{ customer.name }}"


def test_webhook_endpoint_page_shows_the_generated_secret_once(login, manager, queue):
    client = login(manager)
    bad = client.post(
        "/helpdesk/settings/webhooks/new/",
        {
            "name": "SMS",
            "slug": "sms",
            "signature_header": "X-Sig",
            "channel": "sms",
            "map_text": "body",
        },
    )
    assert bad.status_code == 422 and "sender" in bad.content.decode()
    response = client.post(
        "/helpdesk/settings/webhooks/new/",
        {
            "name": "SMS",
            "slug": "sms",
            "signature_header": "X-Sig",
            "channel": "sms",
            "map_text": "body",
            "map_phone": "from",
            "is_active": "on",
        },
        follow=True,
    )
    endpoint = InboundEndpoint.objects.get()
    assert endpoint.mapping == {"text": "body", "phone": "from"}
    assert endpoint.secret and endpoint.secret in response.content.decode()
    edit = client.get(f"/helpdesk/settings/webhooks/{endpoint.pk}/").content.decode()
    assert endpoint.secret not in edit and 'value="from"' in edit


def test_settings_api(api, manager, agent, queue, customer):
    client = api(manager)
    created = post(
        client,
        "/api/v1/helpdesk/queues",
        {"name": "Night", "opens_at": "18:00", "closes_at": "23:00", "workdays": "67"},
    )
    assert created.status_code == 201, created.content
    night = created.json()["id"]
    changed = post(client, f"/api/v1/helpdesk/queues/{night}", {"email": "N@x.no"}, "patch")
    assert changed.status_code == 200 and changed.json()["email"] == "n@x.no"
    bad = post(client, "/api/v1/helpdesk/queues", {"name": "", "workdays": "89"})
    assert bad.status_code == 422 and Queue.objects.count() == 2
    box = post(
        client,
        "/api/v1/helpdesk/mailboxes",
        {"queue_id": night, "host": "imap.x", "username": "u", "password": "pw"},
    )
    assert box.status_code == 201 and "password" not in box.json()
    assert client.get("/api/v1/helpdesk/mailboxes").json()["count"] == 1
    policy = post(
        client,
        "/api/v1/helpdesk/sla-policies",
        {
            "name": "P",
            "first_response_hours": "2",
            "resolution_hours": "8",
            "party_id": customer.pk,
        },
    )
    assert policy.status_code == 201 and policy.json()["party_id"] == customer.pk
    canned = post(client, "/api/v1/helpdesk/canned-responses", {"title": "T", "body": "B"})
    assert canned.status_code == 201
    endpoint = post(
        client,
        "/api/v1/helpdesk/inbound-endpoints",
        {
            "name": "WA",
            "slug": "wa",
            "channel": "messaging",
            "mapping": {"email": "sender.email", "text": "text"},
        },
    )
    assert endpoint.status_code == 201, endpoint.content
    assert len(endpoint.json()["secret"]) > 20 and endpoint.json()["url"].endswith("/inbound/wa")
    assert "secret" not in client.get("/api/v1/helpdesk/inbound-endpoints").json()[0]
    for url in (
        f"/api/v1/helpdesk/mailboxes/{box.json()['id']}",
        f"/api/v1/helpdesk/sla-policies/{policy.json()['id']}",
        f"/api/v1/helpdesk/canned-responses/{canned.json()['id']}",
        f"/api/v1/helpdesk/inbound-endpoints/{endpoint.json()['id']}",
        f"/api/v1/helpdesk/queues/{night}",
    ):
        assert client.delete(url).status_code == 204, url
    assert (
        api(agent)
        .post("/api/v1/helpdesk/queues", json.dumps({"name": "X"}), content_type="application/json")
        .status_code
        == 403
    )
