"""The chatter panel, the bell and the notifications page in the browser's view (Django test
client with htmx headers), and the API twins under /api/v1/platform/."""

import json

import pytest
from django.urls import reverse

from samspill.automation.tests.factories import RuleFactory
from samspill.parties.models import Party
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform import audit, chatter
from samspill.platform.errors import ValidationFailed
from samspill.platform.models import Attachment, AuditEntry, Comment, Follower, Notification
from tests.chatter_helpers import PDF, PNG, upload

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def party():
    return OrganizationFactory(name="Fjord Fisk AS")


def ref(record):
    return f"{record._meta.label_lower}:{record.pk}"


def panel_url(name, record):
    return reverse(f"platform:{name}", args=[record._meta.label_lower, record.pk])


# --- Panel on detail pages -----------------------------------------------------------------


def test_party_page_shows_panel_with_safe_comment_and_linked_mentions(make_user, login, party):
    kari = make_user("sales", username="kari")
    make_user("sales", username="ola")
    chatter.add_comment(
        ref(party), "<script>alert(1)</script> se https://example.no @ola @nobody", actor=kari
    )
    response = login(kari).get(party.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="chatter"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
    assert '<a href="https://example.no" rel="nofollow">https://example.no</a>' in html
    assert '<span class="badge text-bg-info mention">@ola</span>' in html
    assert "@nobody" in html and 'mention">@nobody' not in html
    assert "Unfollow" in html or "Slutt å følge" in html  # the author follows


def test_rule_page_shows_panel(make_user, login):
    admin = make_user("admin", username="boss", is_staff=True, is_superuser=True)
    rule = RuleFactory(name="Takk kunden")
    chatter.add_comment(ref(rule), "Sjekk vilkårene", actor=admin)
    response = login(admin).get(reverse("automation:rule_detail", args=[rule.pk]))
    assert response.status_code == 200
    assert "Sjekk vilkårene" in response.content.decode()


def test_panel_query_count_is_bounded(make_user, login, party, django_assert_max_num_queries):
    users = [make_user("sales", username=f"u{i}") for i in range(5)]
    for i in range(30):
        chatter.add_comment(ref(party), f"notat {i} @u{(i + 1) % 5}", actor=users[i % 5])
    for i in range(5):
        chatter.add_attachment(ref(party), upload(f"f{i}.png", PNG), actor=users[i])
    client = login(users[0])
    url = panel_url("chatter", party)
    client.get(url, **HTMX)  # warm caches (content types, permissions)
    with django_assert_max_num_queries(12):
        response = client.get(url, **HTMX)
    assert response.content.decode().count('class="comment-body"') == 30


def test_add_comment_htmx_and_validation_message(make_user, login, party):
    client = login(make_user("sales"))
    response = client.post(panel_url("comment_add", party), {"body": "  "}, **HTMX)
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert not Comment.objects.exists()
    response = client.post(panel_url("comment_add", party), {"body": "Ny avtale"}, **HTMX)
    assert response.status_code == 200 and "Ny avtale" in response.content.decode()
    # without htmx: back to the record's page
    response = client.post(panel_url("comment_add", party), {"body": "igjen"})
    assert response.status_code == 302 and response["Location"] == party.get_absolute_url()
    assert Comment.objects.count() == 2


def test_no_access_to_panel_comments_or_files_without_view_permission(make_user, login, party):
    kari = make_user("sales")
    attachment = chatter.add_attachment(ref(party), upload("a.pdf", PDF), actor=kari)
    client = login(make_user())  # no role
    assert client.get(panel_url("chatter", party), **HTMX).status_code == 404
    assert client.post(panel_url("comment_add", party), {"body": "x"}).status_code == 404
    assert (
        client.post(panel_url("attachment_add", party), {"file": upload("b.png", PNG)}).status_code
        == 404
    )
    assert client.get(reverse("platform:attachment", args=[attachment.pk])).status_code == 404
    assert client.post(panel_url("follow", party)).status_code == 404
    assert Comment.objects.count() == 0 and Attachment.objects.count() == 1
    assert not Follower.objects.filter(user__groups__isnull=True).exists()


def test_upload_download_and_delete_through_the_panel(make_user, login, party):
    user = make_user("sales")
    client = login(user)
    response = client.post(
        panel_url("attachment_add", party), {"file": upload("bilde.png", PDF)}, **HTMX
    )
    assert response.status_code == 200
    assert "does not match" in response.content.decode() or "samsvarer" in response.content.decode()
    assert not Attachment.objects.exists()

    client.post(panel_url("attachment_add", party), {"file": upload("tilbud.pdf", PDF)}, **HTMX)
    attachment = Attachment.objects.get()
    response = client.get(reverse("platform:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="tilbud.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF

    other = login(make_user("sales"))
    response = other.post(reverse("platform:attachment_delete", args=[attachment.pk]), **HTMX)
    assert Attachment.objects.exists()
    client = login(user)
    client.post(reverse("platform:attachment_delete", args=[attachment.pk]), **HTMX)
    assert not Attachment.objects.exists()


def test_follow_toggle(make_user, login, party):
    user = make_user("sales")
    client = login(user)
    client.post(panel_url("follow", party), {"action": "follow"}, **HTMX)
    assert Follower.objects.filter(user=user).count() == 1
    client.post(panel_url("follow", party), {"action": "unfollow"}, **HTMX)
    assert not Follower.objects.filter(user=user).exists()


def test_edit_comment_in_place(make_user, login, party):
    user = make_user("sales")
    comment = chatter.add_comment(ref(party), "skrivefeil", actor=user)
    client = login(user)
    url = reverse("platform:comment_edit", args=[comment.pk])
    assert "skrivefeil" in client.get(url, **HTMX).content.decode()
    response = client.post(url, {"body": ""}, **HTMX)
    assert "is-invalid" in response.content.decode()
    client.post(url, {"body": "rettet"}, **HTMX)
    comment.refresh_from_db()
    assert comment.body == "rettet"
    other = login(make_user("sales"))
    other.post(url, {"body": "kapret"}, **HTMX)
    comment.refresh_from_db()
    assert comment.body == "rettet"
    other.post(reverse("platform:comment_delete", args=[comment.pk]), **HTMX)
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_mention_suggestions_only_users_who_may_see_the_record(make_user, login, party):
    kari = make_user("sales", username="kari")
    make_user("sales", username="ola")
    make_user("finance", username="olav")
    make_user(username="olga")  # no role: may not see parties
    client = login(kari)
    response = client.get(
        reverse("platform:mentions"),
        {"body": "Hei @ol", "record": ref(party), "target": "chatter-comment"},
        **HTMX,
    )
    html = response.content.decode()
    assert 'data-mention="ola"' in html and 'data-mention="olav"' in html
    assert "olga" not in html
    assert (
        client.get(
            reverse("platform:mentions"), {"body": "no mention", "record": ref(party)}
        ).content.strip()
        == b""
    )


# --- Bell and notifications page ------------------------------------------------------------------


def test_bell_counts_unread_with_bounded_queries(
    make_user, login, party, django_assert_max_num_queries
):
    kari = make_user("sales", username="kari")
    ola = make_user("sales", username="ola")
    for i in range(12):
        chatter.add_comment(ref(party), f"@ola nr {i}", actor=kari)
    client = login(ola)
    client.get(reverse("platform:bell"))
    # session, user, permissions (2, for the shell), the latest, the unread count
    with django_assert_max_num_queries(6):
        response = client.get(reverse("platform:bell"), **HTMX)
    html = response.content.decode()
    assert 'data-unread="12"' in html
    assert html.count('name="go"') == 8  # the latest eight


def test_notifications_page_mark_read_and_all(make_user, login, party):
    kari = make_user("sales", username="kari")
    ola = make_user("sales", username="ola")
    chatter.add_comment(ref(party), "@ola første", actor=kari)
    chatter.add_comment(ref(party), "@ola andre", actor=kari)
    client = login(ola)
    page = client.get(reverse("platform:notifications"))
    assert page.status_code == 200 and "andre" in page.content.decode()
    first = Notification.objects.filter(user=ola).order_by("pk").first()
    response = client.post(reverse("platform:notification_read", args=[first.pk]), {"go": "1"})
    assert response["Location"] == party.get_absolute_url()
    assert Notification.objects.filter(user=ola, read_at__isnull=True).count() == 1
    client.post(reverse("platform:notifications_read_all"))
    assert not Notification.objects.filter(user=ola, read_at__isnull=True).exists()
    # someone else's notification: 404, nothing changed
    Notification.objects.update(read_at=None)
    assert (
        login(kari).post(reverse("platform:notification_read", args=[first.pk])).status_code == 404
    )


def test_email_preference_form(make_user, login):
    user = make_user("sales")
    client = login(user)
    client.post(reverse("platform:notification_settings"), {"email": "all"})
    assert user.notification_preference.email == "all"
    response = client.post(
        reverse("platform:notification_settings"), {"email": "bogus"}, follow=True
    )
    assert response.status_code == 200
    user.notification_preference.refresh_from_db()
    assert user.notification_preference.email == "all"


# --- Sensitive reads ---------------------------------------------------------------------------


@pytest.fixture
def sensitive_party():
    audit.register_sensitive(Party)
    yield
    audit.unregister_sensitive(Party)


def test_sensitive_detail_view_and_api_get_log_reads(make_user, login, api, party, sensitive_party):
    user = make_user("sales", username="kari")
    login(user).get(party.get_absolute_url())
    api(user).get(f"/api/v1/parties/{party.pk}")
    reads = AuditEntry.objects.filter(action="read", object_id=str(party.pk)).order_by("pk")
    assert [(r.actor_repr, r.channel) for r in reads] == [("kari", "ui"), ("kari", "api")]
    admin = make_user("admin", is_superuser=True, is_staff=True)
    page = login(admin).get(reverse("platform:audit"), {"action": "read"})
    assert page.status_code == 200 and page.content.decode().count("kari") >= 2


def test_not_sensitive_models_log_no_reads(make_user, login, party):
    login(make_user("sales")).get(party.get_absolute_url())
    assert not AuditEntry.objects.filter(action="read").exists()


# --- API ---------------------------------------------------------------------------------------


def test_api_comments_list_create_edit_delete(make_user, api, party):
    kari = make_user("sales", username="kari")
    ola = make_user("sales", username="ola")
    client = api(kari)
    response = client.post(
        "/api/v1/platform/comments",
        json.dumps({"record": ref(party), "body": "Hei @ola"}),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["mentions"] == ["ola"] and body["record"] == ref(party) and body["author"] == "kari"
    listed = client.get("/api/v1/platform/comments", {"record": ref(party)}).json()
    assert listed["count"] == 1 and listed["items"][0]["body"] == "Hei @ola"
    response = client.patch(
        f"/api/v1/platform/comments/{body['id']}",
        json.dumps({"body": "Hei igjen"}),
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["edited_at"]
    assert api(ola).delete(f"/api/v1/platform/comments/{body['id']}").status_code == 403
    assert client.delete(f"/api/v1/platform/comments/{body['id']}").status_code == 204
    notes = api(ola).get("/api/v1/platform/notifications").json()
    assert notes["count"] == 1 and notes["items"][0]["kind"] == "mention"
    marked = api(ola).post(f"/api/v1/platform/notifications/{notes['items'][0]['id']}/read")
    assert marked.status_code == 200 and marked.json()["read_at"]
    assert api(ola).post("/api/v1/platform/notifications/read-all").json() == {"marked": 0}


def test_api_errors_are_problems_and_write_nothing(make_user, api, party):
    client = api(make_user())  # may not see parties
    response = client.post(
        "/api/v1/platform/comments",
        json.dumps({"record": ref(party), "body": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert client.get("/api/v1/platform/comments", {"record": ref(party)}).status_code == 404
    sales = api(make_user("sales"))
    bad = sales.get("/api/v1/platform/comments", {"record": "nonsense"})
    assert bad.status_code == 422 and bad.json()["code"] == "bad_record_reference"
    empty = sales.post(
        "/api/v1/platform/comments",
        json.dumps({"record": ref(party), "body": " "}),
        content_type="application/json",
    )
    assert empty.status_code == 422 and empty.json()["code"] == "empty_comment"
    assert not Comment.objects.exists()


def test_api_attachments_upload_list_download_delete(make_user, api, party):
    user = make_user("sales")
    client = api(user)
    refused = client.post(
        "/api/v1/platform/attachments", {"record": ref(party), "file": upload("x.exe", b"MZ")}
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "attachment_type_not_allowed"
    assert "file" in refused.json()["errors"]
    created = client.post(
        "/api/v1/platform/attachments", {"record": ref(party), "file": upload("a.png", PNG)}
    )
    assert created.status_code == 201, created.content
    item = created.json()
    assert item["mime_type"] == "image/png" and item["size"] == len(PNG)
    listed = client.get("/api/v1/platform/attachments", {"record": ref(party)}).json()
    assert [a["id"] for a in listed["items"]] == [item["id"]]
    download = client.get(item["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Disposition"].startswith("attachment")
    assert api(make_user()).get(item["download_url"]).status_code == 404
    assert client.delete(f"/api/v1/platform/attachments/{item['id']}").status_code == 204
    assert not Attachment.objects.exists()


def test_api_follow_unfollow(make_user, api, party):
    client = api(make_user("sales"))
    body = {"record": ref(party)}
    followed = client.post(
        "/api/v1/platform/follow", json.dumps(body), content_type="application/json"
    )
    assert followed.json() == {"record": ref(party), "following": True, "followers": 1}
    left = client.post(
        "/api/v1/platform/unfollow", json.dumps(body), content_type="application/json"
    )
    assert left.json() == {"record": ref(party), "following": False, "followers": 0}


def test_profile_shows_own_notification_setting_only(make_user, login):
    user = make_user("sales")
    html = login(user).get(reverse("users:profile")).content.decode()
    assert reverse("platform:notifications") in html and 'id="panel-notifications"' in html
    admin = make_user("admin", is_superuser=True, is_staff=True)
    page = login(admin).get(reverse("users:user_detail", args=[user.pk]))
    assert page.status_code == 200 and 'id="panel-notifications"' not in page.content.decode()


def test_mentions_are_not_marked_inside_links_and_render_is_safe(make_user):
    from samspill.platform.chatter_views import render_body

    html = render_body('se https://x.no/@ola og @ola <b>"fet"</b>\nny linje', {"ola"})
    assert '<a href="https://x.no/@ola" rel="nofollow">https://x.no/@ola</a>' in html
    assert html.count('class="badge text-bg-info mention"') == 1
    assert "&lt;b&gt;&quot;fet&quot;&lt;/b&gt;<br>ny linje" in html


def test_rule_deleted_removes_its_chatter(make_user, run_tasks):
    from samspill.automation import services as automation_services

    admin = make_user("admin", is_superuser=True, is_staff=True)
    rule = RuleFactory(name="Gammel regel")
    chatter.add_comment(ref(rule), "skal bort", actor=admin)
    chatter.add_attachment(ref(rule), upload("a.png", PNG), actor=admin)
    automation_services.delete_rule(rule, actor=admin)
    run_tasks()
    assert not Comment.objects.exists() and not Attachment.objects.exists()
    assert not Follower.objects.exists()


def test_odd_upload_names_are_made_safe(make_user, party):
    user = make_user("sales")
    a = chatter.add_attachment(
        ref(party), upload("C:\\Users\\kari\\rapport 1.pdf", PDF), actor=user
    )
    assert a.name == "rapport_1.pdf"
    with pytest.raises(ValidationFailed) as exc:
        chatter.add_attachment(ref(party), upload("???", PDF), actor=user)
    assert exc.value.code == "attachment_type_not_allowed"
