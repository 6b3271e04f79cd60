"""Chatter services on real records (parties, automation rules): comments and mentions,
attachments, followers and the notifications they cause, sensitive reads."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from samspill.parties import services as party_services
from samspill.parties.models import Party
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform import audit, chatter, notifications
from samspill.platform.errors import NotFound, PermissionDenied, ValidationFailed
from samspill.platform.models import (
    Attachment,
    AuditEntry,
    Comment,
    Follower,
    Notification,
    NotificationPreference,
    OutboxEvent,
)
from samspill.platform.timeline import timeline
from tests.chatter_helpers import PDF, PNG, docx_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def party():
    return OrganizationFactory(name="Fjord Fisk AS")


def ref(record):
    return f"{record._meta.label_lower}:{record.pk}"


# --- Comments and mentions -----------------------------------------------------------------


def test_comment_publishes_event_on_party_timeline_and_audits(make_user, party):
    author = make_user("sales", username="kari")
    comment = chatter.add_comment(ref(party), "Ring dem i morgen", actor=author)

    event = OutboxEvent.objects.get(type="platform.comment.added")
    assert event.subjects == {"party": [str(party.pk)], "comment": [str(comment.pk)]}
    assert event.payload["record"] == f"parties.party:{party.pk}"
    assert "Ring" not in str(event.payload)  # no comment text in the event log
    assert [e.event.type for e in timeline("party", party.pk)] == ["platform.comment.added"]
    entry = AuditEntry.objects.get(action="create", object_id=str(comment.pk))
    assert entry.actor == author and entry.content_type.model == "comment"
    assert Follower.objects.filter(user=author, object_id=str(party.pk)).exists()


def test_mentions_notify_exactly_the_mentioned_who_may_see_the_record(make_user, party):
    author = make_user("sales", username="kari")
    ola = make_user("finance", username="ola")
    per = make_user("sales", username="per")
    nobody = make_user(username="outsider")  # no role: may not see parties
    make_user("sales", username="silent")

    comment = chatter.add_comment(
        ref(party),
        "@ola og @Per: se på dette. @outsider @ghost @kari kari@example.no",
        actor=author,
    )

    assert set(comment.mentions.values_list("username", flat=True)) == {"ola", "per"}
    notes = Notification.objects.filter(kind="mention")
    assert sorted(n.user.username for n in notes) == ["ola", "per"]
    assert all(n.comment == comment and n.url == party.get_absolute_url() for n in notes)
    assert not Notification.objects.filter(user=nobody).exists()
    # mentioned users follow the record
    followers = Follower.objects.filter(object_id=str(party.pk)).values_list(
        "user__username", flat=True
    )
    assert set(followers) == {"kari", "ola", "per"}
    assert (
        ola.pk
        in OutboxEvent.objects.get(type="platform.comment.added").payload["mentioned_user_ids"]
    )
    assert per.pk


def test_empty_or_overlong_comment_is_refused_and_nothing_written(make_user, party):
    author = make_user("sales")
    with pytest.raises(ValidationFailed) as exc:
        chatter.add_comment(ref(party), "   ", actor=author)
    assert exc.value.code == "empty_comment"
    with pytest.raises(ValidationFailed) as exc:
        chatter.add_comment(ref(party), "x" * 10_001, actor=author)
    assert exc.value.code == "comment_too_long"
    assert not Comment.objects.exists()
    assert not OutboxEvent.objects.filter(type__startswith="platform.").exists()


def test_who_may_not_see_the_record_can_neither_read_nor_comment(make_user, party):
    outsider = make_user()
    with pytest.raises(NotFound):
        chatter.add_comment(ref(party), "hei", actor=outsider)
    with pytest.raises(NotFound):
        chatter.add_attachment(ref(party), upload("a.png", PNG), actor=outsider)
    with pytest.raises(NotFound):
        chatter.follow(ref(party), actor=outsider)
    with pytest.raises(NotFound):
        chatter.add_comment("parties.party:999999", "hei", actor=make_user("sales"))
    with pytest.raises(NotFound):
        chatter.add_comment("auth.permission:1", "hei", actor=make_user("sales"))
    with pytest.raises(ValidationFailed):
        chatter.add_comment("party-12", "hei", actor=make_user("sales"))
    assert not Comment.objects.exists() and not Attachment.objects.exists()


def test_edit_and_delete_own_comment_within_the_window(make_user, party, settings):
    author = make_user("sales", username="kari")
    other = make_user("sales", username="ola")
    comment = chatter.add_comment(ref(party), "første", actor=author)

    with pytest.raises(PermissionDenied) as exc:
        chatter.edit_comment(comment.pk, "kapret", actor=other)
    assert exc.value.code == "not_author"

    edited = chatter.edit_comment(comment.pk, "andre, @ola", actor=author)
    assert edited.body == "andre, @ola" and edited.edited_at is not None
    assert Notification.objects.filter(user=other, kind="mention").count() == 1
    assert AuditEntry.objects.filter(action="update", object_id=str(comment.pk)).get().changes == {
        "body": ["første", "andre, @ola"]
    }
    chatter.edit_comment(comment.pk, "andre, @ola igjen", actor=author)
    assert Notification.objects.filter(user=other, kind="mention").count() == 1  # not twice

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=61))
    with pytest.raises(PermissionDenied) as exc:
        chatter.edit_comment(comment.pk, "for sent", actor=author)
    assert exc.value.code == "edit_window_closed"
    with pytest.raises(PermissionDenied):
        chatter.delete_comment(comment.pk, actor=author)

    moderator = make_user("management")
    chatter.delete_comment(comment.pk, actor=moderator)
    assert not Comment.objects.exists()
    assert AuditEntry.objects.filter(action="delete", object_id=str(comment.pk)).exists()
    assert OutboxEvent.objects.filter(type="platform.comment.deleted").count() == 1


# --- Followers and notifications -------------------------------------------------------------


def test_followers_notified_once_per_event_not_the_actor(make_user, party, run_tasks):
    author = make_user("sales", username="kari")
    follower = make_user("finance", username="ola")
    mentioned = make_user("sales", username="per")
    chatter.follow(ref(party), actor=follower)
    chatter.follow(ref(party), actor=mentioned)

    chatter.add_comment(ref(party), "Hei @per", actor=author)
    run_tasks()
    run_tasks()  # a second delivery round changes nothing

    assert list(Notification.objects.filter(user=follower).values_list("kind", flat=True)) == [
        "comment"
    ]
    # the mentioned follower hears of it once, as a mention
    assert list(Notification.objects.filter(user=mentioned).values_list("kind", flat=True)) == [
        "mention"
    ]
    assert not Notification.objects.filter(user=author).exists()

    party_services.update_party(actor=author, party=party, website="https://fjordfisk.no")
    run_tasks()
    notes = Notification.objects.filter(user=follower, kind="event")
    assert notes.count() == 1
    note = notes.get()
    assert note.event.type == "parties.party.updated"
    assert note.record_repr == "Fjord Fisk AS" and note.url == party.get_absolute_url()


def test_event_naming_two_followed_records_notifies_once(make_user, run_tasks):
    follower = make_user("finance")
    a = OrganizationFactory(name="A AS")
    b = OrganizationFactory(name="B AS")
    chatter.follow(ref(a), actor=follower)
    chatter.follow(ref(b), actor=follower)
    party_services.merge_parties(actor=make_user("management"), survivor=a, duplicate=b)
    run_tasks()
    merged = OutboxEvent.objects.get(type="parties.party.merged")
    assert set(merged.subjects["party"]) == {str(a.pk), str(b.pk)}
    assert Notification.objects.filter(user=follower, event=merged).count() == 1


def test_creator_follows_the_record_they_create(make_user, run_tasks):
    creator = make_user("sales")
    party = party_services.create_organization(actor=creator, name="Ny Kunde AS")
    run_tasks()
    assert Follower.objects.filter(user=creator, object_id=str(party.pk)).exists()
    other = make_user("sales")
    chatter.add_comment(ref(party), "Velkommen", actor=other)
    run_tasks()
    assert Notification.objects.filter(user=creator, kind="comment").count() == 1


def test_unfollow_stops_notifications(make_user, party, run_tasks):
    follower = make_user("sales")
    chatter.follow(ref(party), actor=follower)
    assert chatter.unfollow(ref(party), actor=follower) is True
    chatter.add_comment(ref(party), "stille", actor=make_user("sales"))
    run_tasks()
    assert not Notification.objects.filter(user=follower).exists()


def test_follower_who_lost_access_is_not_notified(make_user, party, run_tasks):
    follower = make_user("sales")
    chatter.follow(ref(party), actor=follower)
    follower.groups.clear()
    chatter.add_comment(ref(party), "hemmelig", actor=make_user("sales"))
    run_tasks()
    assert not Notification.objects.filter(user=follower).exists()


def test_email_by_preference(make_user, party, run_tasks, django_capture_on_commit_callbacks):
    author = make_user("sales", username="kari")
    default = make_user("sales", username="ola", email="ola@example.no")
    everything = make_user("sales", username="per", email="per@example.no")
    never = make_user("sales", username="liv", email="liv@example.no")
    notifications.set_email_preference("all", actor=everything)
    notifications.set_email_preference("none", actor=never)
    for user in (default, everything, never):
        chatter.follow(ref(party), actor=user)

    with django_capture_on_commit_callbacks(execute=True):
        chatter.add_comment(ref(party), "Hei @ola og @liv", actor=author)
        run_tasks()  # the followers' notifications
    run_tasks()  # the e-mails, enqueued after commit

    recipients = sorted(m.to[0] for m in mail.outbox)
    # ola: mention (default "mentions only"); per: the comment (all); liv: nothing (none)
    assert recipients == ["ola@example.no", "per@example.no"]
    assert all(m.subject.startswith("[Samspill]") for m in mail.outbox)
    assert "/parties/" in mail.outbox[0].body
    run_tasks()
    assert len(mail.outbox) == 2
    with pytest.raises(ValidationFailed):
        notifications.set_email_preference("sometimes", actor=never)
    assert NotificationPreference.objects.get(user=never).email == "none"


def test_mark_read_only_own(make_user, party):
    kari = make_user("sales", username="kari")
    ola = make_user("sales", username="ola")
    chatter.add_comment(ref(party), "@ola", actor=kari)
    note = Notification.objects.get(user=ola)
    with pytest.raises(NotFound):
        notifications.mark_read(note.pk, actor=kari)
    assert notifications.unread_count(ola) == 1
    notifications.mark_read(note.pk, actor=ola)
    assert notifications.unread_count(ola) == 0
    assert notifications.mark_all_read(actor=ola) == 0


# --- Attachments ---------------------------------------------------------------------------------


def test_attachment_stored_under_random_name_and_audited(make_user, party):
    user = make_user("sales")
    attachment = chatter.add_attachment(ref(party), upload("Tilbud 2026.pdf", PDF), actor=user)
    assert attachment.name == "Tilbud_2026.pdf"
    assert attachment.mime_type == "application/pdf" and attachment.size == len(PDF)
    assert "Tilbud" not in attachment.file.name and attachment.file.name.startswith("attachments/")
    with attachment.file.open("rb") as handle:
        assert handle.read() == PDF
    assert AuditEntry.objects.filter(action="create", content_type__model="attachment").exists()
    assert OutboxEvent.objects.get(type="platform.attachment.added").subjects["party"] == [
        str(party.pk)
    ]
    docx = chatter.add_attachment(ref(party), upload("notat.docx", docx_bytes()), actor=user)
    assert docx.mime_type.endswith("wordprocessingml.document")
    text = chatter.add_attachment(
        ref(party), upload("liste.csv", "navn;by\nÅse;Bø\n".encode()), actor=user
    )
    assert text.mime_type == "text/csv"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 60, "attachment_type_not_allowed"),
        ("bilde.png", PDF, "attachment_content_mismatch"),
        ("fake.pdf", b"<html><script>alert(1)</script></html>", "attachment_content_mismatch"),
        ("notat.txt", PNG, "attachment_content_mismatch"),
        ("binary.txt", b"abc\x00def", "attachment_content_mismatch"),
        ("tom.pdf", b"", "attachment_empty"),
        ("noext", PDF, "attachment_type_not_allowed"),
    ],
)
def test_bad_uploads_are_refused_with_a_clear_message(
    make_user, party, name, content, code, tmp_path
):
    with pytest.raises(ValidationFailed) as exc:
        chatter.add_attachment(ref(party), upload(name, content), actor=make_user("sales"))
    assert exc.value.code == code
    assert exc.value.errors["file"]
    assert not Attachment.objects.exists()
    assert not list((tmp_path).rglob("*.*")) and not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_too_large_upload_refused(make_user, party, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "ATTACHMENT_MAX_BYTES": 100}
    with pytest.raises(ValidationFailed) as exc:
        chatter.add_attachment(
            ref(party), upload("stor.pdf", PDF + b"0" * 100), actor=make_user("sales")
        )
    assert exc.value.code == "attachment_too_large"
    assert "100" in str(exc.value.message)


def test_delete_attachment_only_uploader_or_moderator(
    make_user, party, django_capture_on_commit_callbacks
):
    uploader = make_user("sales")
    attachment = chatter.add_attachment(ref(party), upload("a.png", PNG), actor=uploader)
    stored = attachment.file.name
    storage = attachment.file.storage
    with pytest.raises(PermissionDenied):
        chatter.delete_attachment(attachment.pk, actor=make_user("sales"))
    with django_capture_on_commit_callbacks(execute=True):
        chatter.delete_attachment(attachment.pk, actor=uploader)
    assert not Attachment.objects.exists()
    assert not storage.exists(stored)
    assert AuditEntry.objects.filter(action="delete", content_type__model="attachment").exists()


# --- Sensitive reads --------------------------------------------------------------------------


@pytest.fixture
def sensitive_party():
    audit.register_sensitive(Party)
    yield
    audit.unregister_sensitive(Party)


def test_sensitive_read_logged_only_for_registered_models(make_user, party, sensitive_party):
    user = make_user("sales")
    entry = audit.record_read(party, actor=user)
    assert entry.action == "read" and entry.actor == user and entry.channel == "system"
    audit.unregister_sensitive(Party)
    assert audit.record_read(party, actor=user) is None
    assert AuditEntry.objects.filter(action="read").count() == 1


# --- Merge and GDPR erasure of parties ---------------------------------------------------------


def test_merge_moves_chatter_to_the_survivor(make_user):
    kari = make_user("sales")
    ola = make_user("sales")
    survivor = OrganizationFactory(name="A AS")
    duplicate = OrganizationFactory(name="A AS (dup)")
    chatter.add_comment(ref(duplicate), "om duplikatet", actor=kari)
    chatter.add_attachment(ref(duplicate), upload("a.png", PNG), actor=ola)
    chatter.follow(ref(survivor), actor=kari)  # kari follows both
    party_services.merge_parties(
        actor=make_user("management"), survivor=survivor, duplicate=duplicate
    )
    assert Comment.objects.get().object_id == str(survivor.pk)
    assert Attachment.objects.get().object_id == str(survivor.pk)
    followers = Follower.objects.values_list("user_id", "object_id")
    assert sorted(followers) == sorted([(kari.pk, str(survivor.pk)), (ola.pk, str(survivor.pk))])


def test_erasing_a_person_deletes_their_chatter(make_user, django_capture_on_commit_callbacks):
    from samspill.parties.tests.factories import PersonFactory

    user = make_user("sales")
    person = PersonFactory()
    chatter.add_comment(ref(person), "Kari sa at hun flytter", actor=user)
    attachment = chatter.add_attachment(ref(person), upload("pass.pdf", PDF), actor=user)
    storage, stored = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        party_services.erase_person(actor=make_user("legal"), party=person)
    assert not Comment.objects.exists() and not Attachment.objects.exists()
    assert not storage.exists(stored)


def test_lost_email_task_is_made_up_by_the_worker_sweep(make_user, party):
    from samspill.platform import housekeeping

    kari = make_user("sales", username="kari")
    ola = make_user("sales", username="ola", email="ola@example.no")
    chatter.add_comment(ref(party), "@ola hei", actor=kari)  # its task is never enqueued here
    note = Notification.objects.get(user=ola)
    assert note.email_due and note.emailed_at is None
    assert housekeeping.run_once()["emailed"] == 0  # not yet: its task may still come
    Notification.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert housekeeping.run_once()["emailed"] == 1
    assert [m.to for m in mail.outbox] == [["ola@example.no"]]
    assert housekeeping.run_once()["emailed"] == 0
    note.refresh_from_db()
    assert not note.email_due and note.emailed_at is not None


def test_gdpr_export_contains_the_comments_and_files(make_user):
    from samspill.parties.tests.factories import PersonFactory

    user = make_user("sales", username="kari")
    person = PersonFactory()
    chatter.add_comment(ref(person), "Ønsker brosjyre", actor=user)
    chatter.add_attachment(ref(person), upload("skjema.pdf", PDF), actor=user)
    data = party_services.export_personal_data(actor=make_user("legal"), party=person)
    exported = data["comments_and_files"]
    assert [(c["author"], c["text"]) for c in exported["comments"]] == [("kari", "Ønsker brosjyre")]
    assert [(f["name"], f["size"]) for f in exported["files"]] == [("skjema.pdf", len(PDF))]
