"""The chatter of any record: comments with @mentions, attachments and followers.

These services are the only writers of the chatter tables. Each is one transaction, takes
`actor=` keyword-only, checks that the actor may see the record (the record's own view
permission and row rules, `records.visible`) and raises domain errors with codes.

Rules:
- Anyone who may see a record may comment on it, attach files to it and follow it.
- An author may edit or delete their own comment for `COMMENT_EDIT_MINUTES` (60) after
  writing it; a moderator (`platform.delete_comment`) may delete any comment.
- `@username` mentions a user who may see the record: they are notified and follow it.
  The author follows the record too.
- Attachments: at most `ATTACHMENT_MAX_BYTES`, an extension on the allow-list whose
  content (sniffed from the file's first bytes) matches it; stored under a random name.
  The uploader or a moderator (`platform.delete_attachment`) may delete one.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from functools import partial
from pathlib import PurePath

import filetype
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousFileOperation
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import Truncator, get_valid_filename
from django.utils.translation import gettext as _

from samspill.platform import audit, records
from samspill.platform.chatter_events import (
    AttachmentAdded,
    AttachmentDeleted,
    CommentAdded,
    CommentDeleted,
    CommentEdited,
)
from samspill.platform.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.models import Attachment, Comment, Follower, Notification
from samspill.platform.notifications import create as notify
from samspill.platform.permissions import allowed

MAX_COMMENT_LENGTH = 10_000
MAX_MENTIONS = 20
# @username, not an e-mail address (no word character or dot right before the @).
MENTION = re.compile(r"(?<![\w.@])@([\w.+-]*\w)")

# extension -> content types the file's first bytes may show. "text" = UTF-8 text.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    "pdf": ("application/pdf",),
    "png": ("image/png",),
    "jpg": ("image/jpeg",),
    "jpeg": ("image/jpeg",),
    "gif": ("image/gif",),
    "webp": ("image/webp",),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation",),
    "odt": ("application/vnd.oasis.opendocument.text",),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet",),
    "txt": ("text",),
    "csv": ("text",),
    "xml": ("text",),  # e-invoices (EHF) kept as the documentation of a voucher
}
TEXT_TYPES = {"txt": "text/plain", "csv": "text/csv", "xml": "application/xml"}
SNIFF_BYTES = 8192


def excerpt(body: str, length: int = 120) -> str:
    return Truncator(" ".join(body.split())).chars(length)


def mentioned_names(body: str) -> list[str]:
    seen: list[str] = []
    for name in MENTION.findall(body):
        if name.lower() not in (s.lower() for s in seen):
            seen.append(name)
    return seen[:MAX_MENTIONS]


def _link(record: models.Model) -> dict:
    return {"content_type": records.content_type(record), "object_id": str(record.pk)}


def _event_base(record: models.Model) -> dict:
    return {
        "record": records.ref(record),
        "record_subjects": records.subjects_for(record),
    }


def _follow(record: models.Model, users) -> None:
    link = _link(record)
    existing = set(
        Follower.objects.filter(**link, user__in=[u.pk for u in users]).values_list(
            "user_id", flat=True
        )
    )
    Follower.objects.bulk_create(
        [
            Follower(**link, user=u)
            for u in {u.pk: u for u in users}.values()
            if u.pk not in existing
        ],
        ignore_conflicts=True,
    )


def _mentionable(record: models.Model, body: str, author) -> list:
    """Active users named in the body who may see the record, the author excepted."""
    names = mentioned_names(body)
    if not names:
        return []
    query = models.Q()
    for name in names:
        query |= models.Q(username__iexact=name)
    candidates = get_user_model().objects.filter(query, is_active=True).exclude(pk=author.pk)
    label = record._meta.label_lower
    result = []
    for user in candidates:
        try:
            records.visible(user, label, record.pk)
        except NotFound:
            continue
        result.append(user)
    return result


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed(
            _("Write something first."),
            code="empty_comment",
            errors={"body": [_("Write something first.")]},
        )
    if len(body) > MAX_COMMENT_LENGTH:
        message = _("A comment can be at most %(max)d characters.") % {"max": MAX_COMMENT_LENGTH}
        raise ValidationFailed(message, code="comment_too_long", errors={"body": [message]})
    return body


def _mention_notifications(record, comment: Comment, users, actor) -> list[Notification]:
    url = records.url_of(record)
    return [
        Notification(
            user=user,
            kind=Notification.Kind.MENTION,
            actor=actor,
            **_link(record),
            record_repr=str(record)[:200],
            summary=excerpt(comment.body, 290),
            url=url,
            comment=comment,
        )
        for user in users
    ]


# --- Comments -------------------------------------------------------------------------------


@transaction.atomic
def add_comment(reference: str, body: str, *, actor) -> Comment:
    """Write a comment on the record `<app>.<model>:<pk>`, notify the mentioned users and
    make the author and them followers."""
    record = records.visible_ref(actor, reference)
    body = _clean_body(body)
    comment = Comment.objects.create(**_link(record), author=actor, body=body)
    mentioned = _mentionable(record, body, actor)
    if mentioned:
        comment.mentions.set(mentioned)
    _follow(record, [actor, *mentioned])
    audit.record("create", comment, actor=actor, object_repr=excerpt(body, 200))
    publish(
        CommentAdded(
            **_event_base(record),
            comment_id=comment.pk,
            author=actor.get_username(),
            mentioned_user_ids=[u.pk for u in mentioned],
        ),
        actor=actor,
    )
    notify(_mention_notifications(record, comment, mentioned, actor))
    return comment


def _own_comment(comment_id, actor, *, for_delete: bool) -> tuple[Comment, models.Model]:
    comment = Comment.objects.select_for_update().filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(_("There is no such comment."), code="comment_not_found")
    record = records.visible(actor, records.label_of(comment.content_type), comment.object_id)
    if for_delete and allowed(actor, "platform.delete_comment"):
        return comment, record
    if comment.author_id != actor.pk:
        raise PermissionDenied(_("Only the author may change this comment."), code="not_author")
    window = timedelta(minutes=settings.SAMSPILL["COMMENT_EDIT_MINUTES"])
    if timezone.now() - comment.created_at > window:
        raise PermissionDenied(
            _("A comment can only be changed in the first %(minutes)d minutes.")
            % {"minutes": settings.SAMSPILL["COMMENT_EDIT_MINUTES"]},
            code="edit_window_closed",
        )
    return comment, record


def can_change(comment: Comment, user, *, now=None) -> bool:
    """Whether the user may edit the comment now (for showing the button)."""
    window = timedelta(minutes=settings.SAMSPILL["COMMENT_EDIT_MINUTES"])
    return comment.author_id == user.pk and (now or timezone.now()) - comment.created_at <= window


def can_delete(comment: Comment, user, *, now=None, moderator: bool | None = None) -> bool:
    if moderator is None:
        moderator = allowed(user, "platform.delete_comment")
    return moderator or can_change(comment, user, now=now)


@transaction.atomic
def edit_comment(comment_id, body: str, *, actor) -> Comment:
    """Change the text of one's own comment; newly mentioned users are notified."""
    comment, record = _own_comment(comment_id, actor, for_delete=False)
    body = _clean_body(body)
    if body == comment.body:
        return comment
    before = {"body": comment.body}
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    already = set(comment.mentions.values_list("pk", flat=True))
    new = [u for u in _mentionable(record, body, actor) if u.pk not in already]
    if new:
        comment.mentions.add(*new)
        _follow(record, new)
    audit.record(
        "update",
        comment,
        actor=actor,
        changes=audit.diff(before, {"body": body}),
        object_repr=excerpt(body, 200),
    )
    publish(
        CommentEdited(**_event_base(record), comment_id=comment.pk),
        actor=actor,
    )
    notify(_mention_notifications(record, comment, new, actor))
    return comment


@transaction.atomic
def delete_comment(comment_id, *, actor) -> None:
    comment, record = _own_comment(comment_id, actor, for_delete=True)
    audit.record(
        "delete",
        comment,
        actor=actor,
        changes={"body": [comment.body, None]},
        object_repr=excerpt(comment.body, 200),
    )
    publish(CommentDeleted(**_event_base(record), comment_id=comment.pk), actor=actor)
    comment.delete()


# --- Attachments ----------------------------------------------------------------------------


def _refuse(message: str, code: str):
    raise ValidationFailed(message, code=code, errors={"file": [message]})


def sniff(upload, name: str) -> str:
    """The content type of an upload whose extension is allowed and whose first bytes
    match it; a clear ValidationFailed otherwise."""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in ALLOWED_TYPES:
        _refuse(
            _("Files of type .%(ext)s cannot be attached. Allowed: %(allowed)s.")
            % {"ext": extension or "?", "allowed": ", ".join(sorted(ALLOWED_TYPES))},
            "attachment_type_not_allowed",
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    expected = ALLOWED_TYPES[extension]
    if expected == ("text",):
        text = b"\x00" not in head
        if text:
            try:
                head.decode("utf-8")
            except UnicodeDecodeError as exc:  # a multi-byte character cut at the end is fine
                text = exc.start >= len(head) - 3
        if not text or filetype.guess(head) is not None:
            _refuse(
                _("The file is not plain text, as its name .%(ext)s says.") % {"ext": extension},
                "attachment_content_mismatch",
            )
        return TEXT_TYPES[extension]
    guessed = filetype.guess(head)
    if guessed is None or guessed.mime not in expected:
        _refuse(
            _("The content of the file does not match its name .%(ext)s.") % {"ext": extension},
            "attachment_content_mismatch",
        )
    return guessed.mime


@transaction.atomic
def add_attachment(reference: str, upload, *, actor) -> Attachment:
    """Store an uploaded file (Django UploadedFile or File) on the record."""
    record = records.visible_ref(actor, reference)
    if upload is None:
        _refuse(_("Choose a file to attach."), "attachment_missing")
    limit = settings.SAMSPILL["ATTACHMENT_MAX_BYTES"]
    size = upload.size
    if size is None or size == 0:
        _refuse(_("The file is empty."), "attachment_empty")
    if size > limit:
        _refuse(
            _("The file is %(size)s; at most %(max)s can be attached.")
            % {"size": _human(size), "max": _human(int(limit))},
            "attachment_too_large",
        )
    name = _safe_name(str(upload.name or ""))
    mime = sniff(upload, name)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        **_link(record),
        name=name,
        mime_type=mime,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    try:
        attachment.save()
        _follow(record, [actor] if actor is not None else [])  # None: a system import
        audit.record(
            "create",
            attachment,
            actor=actor,
            object_repr=name,
            changes={
                "record": [None, records.ref(record)],
                "size": [None, size],
                "type": [None, mime],
            },
        )
        publish(
            AttachmentAdded(
                **_event_base(record),
                attachment_id=attachment.pk,
                size=size,
                mime_type=mime,
            ),
            actor=actor,
        )
    except BaseException:  # the row is not written: do not keep its file
        attachment.file.storage.delete(str(attachment.file.name))
        raise
    return attachment


def _safe_name(uploaded: str) -> str:
    """The uploaded file's own name, without any path, made safe for a download header."""
    raw = PurePath(uploaded.replace("\\", "/")).name
    try:
        name = get_valid_filename(raw)
    except SuspiciousFileOperation:
        name = "file"
    if len(name) > 200:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[: 190 - len(extension)]}{dot}{extension}" if dot else name[:200]
    return name


def _human(size: int) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(size))


def attachment_for(user, attachment_id) -> tuple[Attachment, models.Model]:
    """An attachment and its record, if the user may see the record; NotFound otherwise."""
    attachment = Attachment.objects.select_related("content_type").filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("There is no such attachment."), code="attachment_not_found")
    record = records.visible(user, records.label_of(attachment.content_type), attachment.object_id)
    return attachment, record


@transaction.atomic
def delete_attachment(attachment_id, *, actor) -> None:
    attachment, record = attachment_for(actor, attachment_id)
    if attachment.uploaded_by_id != actor.pk and not allowed(actor, "platform.delete_attachment"):
        raise PermissionDenied(_("Only who attached the file may delete it."), code="not_uploader")
    locked = records.attachments_locked(record)
    if locked:
        raise Conflict(locked, code="attachment_locked")
    audit.record(
        "delete",
        attachment,
        actor=actor,
        object_repr=attachment.name,
        changes={"record": [records.ref(record), None], "size": [attachment.size, None]},
    )
    publish(
        AttachmentDeleted(**_event_base(record), attachment_id=attachment.pk),
        actor=actor,
    )
    storage, stored = attachment.file.storage, str(attachment.file.name)
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(stored), robust=True)


# --- Followers ------------------------------------------------------------------------------


@transaction.atomic
def follow(reference: str, *, actor) -> bool:
    """Follow the record. Returns True if the actor did not follow it before."""
    record = records.visible_ref(actor, reference)
    _, created = Follower.objects.get_or_create(**_link(record), user=actor)
    return created


@transaction.atomic
def unfollow(reference: str, *, actor) -> bool:
    record = records.visible_ref(actor, reference)
    deleted, _ = Follower.objects.filter(**_link(record), user=actor).delete()
    return bool(deleted)


# --- Hooks for domains: merging and erasing records ----------------------------------------------


def merge_records(survivor: models.Model, duplicate: models.Model, actor=None) -> None:
    """Move the chatter of `duplicate` onto `survivor`, inside the caller's (merge)
    transaction: comments and files move, followers of either follow the survivor."""
    source, target = _link(duplicate), _link(survivor)
    Comment.objects.filter(**source).update(object_id=target["object_id"])
    Attachment.objects.filter(**source).update(object_id=target["object_id"])
    already = Follower.objects.filter(**target).values("user_id")
    Follower.objects.filter(**source).exclude(user_id__in=already).update(
        object_id=target["object_id"]
    )
    Follower.objects.filter(**source).delete()


def erase_record(record: models.Model, actor=None) -> None:
    """Delete the comments and files of a record whose personal data is erased (GDPR),
    inside the caller's transaction; the files go after commit."""
    link = _link(record)
    remove_chatter(link["content_type"], link["object_id"])
    Notification.objects.filter(**link).update(record_repr="", summary="")


def remove_chatter(content_type, object_id: str) -> None:
    """Delete the comments, files and followers of a record (erased or deleted) inside the
    current transaction; the stored files are deleted after commit."""
    link = {"content_type": content_type, "object_id": object_id}
    Follower.objects.filter(**link).delete()
    Comment.objects.filter(**link).delete()
    files = [(a.file.storage, str(a.file.name)) for a in Attachment.objects.filter(**link)]
    Attachment.objects.filter(**link).delete()
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name), robust=True)


def personal_data(record: models.Model) -> dict[str, list[dict]]:
    """The comments and files on a record, for a GDPR export of the person it is."""
    link = _link(record)
    comments = Comment.objects.filter(**link).select_related("author").order_by("created_at")
    files = Attachment.objects.filter(**link).order_by("uploaded_at")
    return {
        "comments": [
            {
                "written": c.created_at.isoformat(),
                "author": c.author.get_username() if c.author else None,
                "text": c.body,
            }
            for c in comments
        ],
        "files": [
            {
                "name": a.name,
                "type": a.mime_type,
                "size": a.size,
                "uploaded": a.uploaded_at.isoformat(),
            }
            for a in files
        ],
    }
