"""Operations pages (events, audit log) and their API twins."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from samspill.platform.models import AuditEntry, OutboxEvent
from samspill.platform.tests.factories import AuditEntryFactory, OutboxEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    return {
        "delivered": OutboxEventFactory(),
        "pending": OutboxEventFactory(status="pending", type="parties.party.created"),
        "failed": OutboxEventFactory(
            status="failed", attempts=2, last_error="test.handler: ValueError: ledger locked"
        ),
        "dead": OutboxEventFactory(status="dead", attempts=8, last_error="boom"),
    }


# --- Event list page -------------------------------------------------------------------------


def test_events_page_lists_events_with_status_counts(login, admin_user, events):
    response = login(admin_user).get(reverse("platform:events"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ValueError: ledger locked" in page
    assert response.context["status_counts"] == {
        "pending": 1,
        "failed": 1,
        "dead": 1,
        "undelivered": 3,
    }
    assert len(response.context["table"].rows) == 4
    # a retry button for every undelivered event, none for the delivered one
    for name in ("pending", "failed", "dead"):
        assert reverse("platform:event_replay", args=[events[name].pk]) in page
    assert reverse("platform:event_replay", args=[events["delivered"].pk]) not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=undelivered", {"pending", "failed", "dead"}),
        ("status=dead", {"dead"}),
        ("type=parties.party.created", {"pending"}),
    ],
)
def test_events_page_filters(login, admin_user, events, query, expected):
    response = login(admin_user).get(reverse("platform:events") + "?" + query)
    ids = {row.record.pk for row in response.context["table"].rows}
    assert ids == {events[name].pk for name in expected}


def test_events_page_filters_by_subject(login, admin_user, events):
    subject = events["failed"].subjects["thing"][0]
    response = login(admin_user).get(reverse("platform:events") + f"?subject={subject}")
    assert [row.record.pk for row in response.context["table"].rows] == [events["failed"].pk]


def test_events_page_htmx_gets_the_table_fragment(login, admin_user, events):
    response = login(admin_user).get(
        reverse("platform:events") + "?status=dead", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"<html" not in response.content
    assert b'id="list-table"' not in response.content
    assert "HX-Request" in response["Vary"]


def test_events_page_history_restore_gets_the_whole_page(login, admin_user, events):
    response = login(admin_user).get(
        reverse("platform:events"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert b"<html" in response.content


def test_events_page_empty_state(login, admin_user):
    response = login(admin_user).get(reverse("platform:events"))
    assert "Ingen hendelser ennå." in response.content.decode()


def test_events_page_empty_filter_result(login, admin_user, events):
    response = login(admin_user).get(reverse("platform:events") + "?type=nothing.like.this")
    # an unknown type is not a valid choice: the form says so, the table is empty
    assert response.context["filterset"].errors
    assert "Ingenting passer med disse filtrene." in response.content.decode()


def test_events_page_query_count_does_not_grow(login, admin_user, django_assert_max_num_queries):
    client = login(admin_user)
    OutboxEventFactory.create_batch(3, actor=admin_user)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("platform:events"))
    OutboxEventFactory.create_batch(40, actor=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("platform:events"))


def test_events_page_csv_export(login, admin_user, events):
    response = login(admin_user).get(reverse("platform:events") + "?status=dead&_export=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "events.csv" in response["Content-Disposition"]
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 2
    assert "boom" in lines[1]
    assert "Actions" not in lines[0]


def test_events_page_needs_permission(login, make_user):
    assert login(make_user("management")).get(reverse("platform:events")).status_code == 403


def test_events_page_needs_login(client):
    response = client.get(reverse("platform:events"))
    assert response.status_code == 302
    assert reverse("users:login") in response["Location"]


def test_event_detail_page(login, admin_user, events):
    response = login(admin_user).get(reverse("platform:event", args=[events["failed"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "ValueError: ledger locked" in page
    assert "&quot;thing_id&quot;" in page or '"thing_id"' in page


def test_event_detail_of_unknown_event_is_404(login, admin_user):
    url = reverse("platform:event", args=["00000000-0000-0000-0000-000000000000"])
    assert login(admin_user).get(url).status_code == 404


# --- Retry / replay ---------------------------------------------------------------------------


def test_retry_asks_for_confirmation_then_replays(login, admin_user, events):
    client = login(admin_user)
    dead = events["dead"]
    url = reverse("platform:event_replay", args=[dead.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Levere denne hendelsen på nytt?" in confirm.content.decode()
    dead.refresh_from_db()
    assert dead.status == "dead"  # GET changes nothing

    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("platform:event", args=[dead.pk])
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == ("pending", 0)
    assert AuditEntry.objects.get().actor == admin_user
    assert "blir levert på nytt" in response.content.decode()


def test_retry_of_delivered_event_is_a_message_not_an_error(login, admin_user, events):
    url = reverse("platform:event_replay", args=[events["delivered"].pk])
    response = login(admin_user).post(url, follow=True)
    assert response.status_code == 200
    assert "allerede levert til alle mottakere" in response.content.decode()
    assert AuditEntry.objects.count() == 0


def test_retry_needs_the_replay_permission(login, make_user, events):
    url = reverse("platform:event_replay", args=[events["dead"].pk])
    response = login(make_user("management")).post(url)
    assert response.status_code == 403
    assert OutboxEvent.objects.get(pk=events["dead"].pk).status == "dead"


# --- Audit log page ----------------------------------------------------------------------------


@pytest.fixture
def entries(make_user):
    alice = make_user("sales", username="alice")
    now = timezone.now()
    return {
        "alice": alice,
        "today": AuditEntryFactory(actor=alice, actor_repr="alice", action="create", at=now),
        "old": AuditEntryFactory(
            action="delete", channel="api", at=now - timedelta(days=10), object_repr="gone"
        ),
        "user": AuditEntryFactory(
            content_type=ContentType.objects.get_for_model(alice),
            object_id=str(alice.pk),
            object_repr="alice",
            action="update",
            channel="system",
            at=now - timedelta(days=1),
        ),
    }


def test_audit_log_for_admin_and_management(login, admin_user, make_user, entries):
    for user in (admin_user, make_user("management")):
        response = login(user).get(reverse("platform:audit"))
        assert response.status_code == 200
        assert len(response.context["table"].rows) == 3


def test_audit_log_is_closed_to_other_roles(login, make_user):
    assert login(make_user("sales")).get(reverse("platform:audit")).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("action=delete", {"old"}),
        ("channel=system", {"user"}),
        ("record_type=users.user", {"user"}),
        ("record_type=platform.outboxevent", {"today", "old"}),
    ],
)
def test_audit_log_filters(login, admin_user, entries, query, expected):
    response = login(admin_user).get(reverse("platform:audit") + "?" + query)
    assert {row.record.pk for row in response.context["table"].rows} == {
        entries[name].pk for name in expected
    }


def test_audit_log_filters_by_actor_and_date_range(login, admin_user, entries):
    client = login(admin_user)
    response = client.get(reverse("platform:audit") + f"?actor={entries['alice'].pk}")
    assert [row.record.pk for row in response.context["table"].rows] == [entries["today"].pk]
    today = timezone.localdate()
    query = f"?since={today - timedelta(days=2)}&until={today - timedelta(days=1)}"
    response = client.get(reverse("platform:audit") + query)
    assert [row.record.pk for row in response.context["table"].rows] == [entries["user"].pk]


def test_audit_log_xlsx_export(login, admin_user, entries):
    response = login(admin_user).get(reverse("platform:audit") + "?_export=xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 4
    assert "Hvem" in rows[0]  # the user's language (nb)
    assert any("alice" in str(cell) for cell in rows[1])


def test_audit_log_query_count_does_not_grow(login, admin_user, django_assert_max_num_queries):
    client = login(admin_user)
    AuditEntryFactory.create_batch(3, actor=admin_user)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("platform:audit"))
    AuditEntryFactory.create_batch(40, actor=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("platform:audit"))


# --- API twins ------------------------------------------------------------------------------------


def test_api_events_list_filters_and_paginates(api, admin_user, events):
    client = api(admin_user)
    body = client.get("/api/v1/platform/events?status=undelivered&page_size=2").json()
    undelivered = OutboxEvent.objects.exclude(status="delivered").count()  # 3 + the token's
    assert (body["count"], body["page"], body["page_size"]) == (undelivered, 1, 2)
    assert len(body["items"]) == 2
    body = client.get("/api/v1/platform/events?status=dead").json()
    (item,) = body["items"]
    assert item["id"] == str(events["dead"].pk)
    assert (item["status"], item["attempts"], item["last_error"]) == ("dead", 8, "boom")
    assert item["subjects"] == events["dead"].subjects


def test_api_events_list_query_budget(api, admin_user, django_assert_max_num_queries):
    client = api(admin_user)
    OutboxEventFactory.create_batch(2, actor=admin_user)
    with django_assert_max_num_queries(8) as few:
        assert client.get("/api/v1/platform/events").status_code == 200
    OutboxEventFactory.create_batch(60, actor=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/api/v1/platform/events?page_size=100").json()
    assert len(body["items"]) == body["count"] == OutboxEvent.objects.count() >= 62
    assert body["items"][0]["actor"] == admin_user.username


def test_api_event_detail_and_404(api, admin_user, events):
    client = api(admin_user)
    body = client.get(f"/api/v1/platform/events/{events['failed'].pk}").json()
    assert body["last_error"].startswith("test.handler")
    missing = client.get("/api/v1/platform/events/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_api_replay(api, admin_user, events):
    response = api(admin_user).post(f"/api/v1/platform/events/{events['dead'].pk}/replay")
    assert response.status_code == 202
    assert (response.json()["status"], response.json()["attempts"]) == ("pending", 0)
    conflict = api(admin_user).post(f"/api/v1/platform/events/{events['delivered'].pk}/replay")
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "event_already_delivered"


def test_api_replay_is_idempotent_with_a_key(api, admin_user, events):
    client = api(admin_user)
    url = f"/api/v1/platform/events/{events['dead'].pk}/replay"
    first = client.post(url, HTTP_IDEMPOTENCY_KEY="retry-dead-1")
    second = client.post(url, HTTP_IDEMPOTENCY_KEY="retry-dead-1")
    assert first.status_code == second.status_code == 202
    assert second["Idempotent-Replayed"] == "true"
    replays = AuditEntry.objects.filter(object_id=str(events["dead"].pk))
    assert replays.count() == 1


def test_api_replay_needs_permission(api, make_user, events):
    response = api(make_user("management")).post(
        f"/api/v1/platform/events/{events['dead'].pk}/replay"
    )
    assert response.status_code == 403
    assert OutboxEvent.objects.get(pk=events["dead"].pk).status == "dead"


def test_api_audit_list_filters(api, admin_user, entries):
    client = api(admin_user)
    body = client.get("/api/v1/platform/audit?record_type=users.user").json()
    # the api fixture audits the creation of its token: a users.accesstoken entry
    assert [item["id"] for item in body["items"]] == [entries["user"].pk]
    item = body["items"][0]
    assert (item["record_type"], item["action"], item["channel"]) == (
        "users.user",
        "update",
        "system",
    )
    body = client.get(f"/api/v1/platform/audit?actor={entries['alice'].pk}").json()
    assert [item["actor"] for item in body["items"]] == ["alice"]
    bad = client.get("/api/v1/platform/audit?record_type=nope.nothing")
    assert bad.status_code == 422
    assert "record_type" in bad.json()["errors"]


def test_api_audit_for_management_not_for_sales(api, make_user, entries):
    assert api(make_user("management")).get("/api/v1/platform/audit").status_code == 200
    assert api(make_user("sales")).get("/api/v1/platform/audit").status_code == 403


def test_api_audit_query_budget(api, admin_user, django_assert_max_num_queries):
    client = api(admin_user)
    AuditEntryFactory.create_batch(2, actor=admin_user)
    with django_assert_max_num_queries(8) as few:
        client.get("/api/v1/platform/audit")
    AuditEntryFactory.create_batch(60, actor=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/platform/audit?page_size=100")
