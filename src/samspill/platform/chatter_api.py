"""API twins of the chatter and of notifications, mounted under /api/v1/platform/.

Records are named `<app_label>.<model>:<pk>` (`parties.party:12`). Whoever may not see a
record gets 404 for its comments and files, exactly as for a record that does not exist."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from samspill.platform import audit, chatter, notifications, records
from samspill.platform.chatter_views import attachment_response
from samspill.platform.models import Attachment, Comment, Notification
from samspill.platform.pagination import paginate

router = Router(tags=["chatter"])

RECORD_HELP = "The record, as `<app_label>.<model>:<id>`, e.g. `parties.party:12`."


def _ref(obj) -> str:
    ct = ContentType.objects.get_for_id(obj.content_type_id)
    return f"{ct.app_label}.{ct.model}:{obj.object_id}"


class RecordQuery(Schema):
    record: str = Field(description=RECORD_HELP)


class CommentIn(Schema):
    record: str = Field(description=RECORD_HELP)
    body: str = Field(description="Plain text; `@username` mentions a user.", max_length=10000)


class CommentPatch(Schema):
    body: str = Field(max_length=10000)


class CommentOut(Schema):
    id: int
    record: str
    author: str | None
    body: str
    mentions: list[str]
    created_at: datetime
    edited_at: datetime | None

    @staticmethod
    def resolve_record(obj) -> str:
        return _ref(obj)

    @staticmethod
    def resolve_author(obj) -> str | None:
        return obj.author.get_username() if obj.author_id else None

    @staticmethod
    def resolve_mentions(obj) -> list[str]:
        return sorted(u.get_username() for u in obj.mentions.all())


class AttachmentOut(Schema):
    id: int
    record: str
    name: str
    mime_type: str
    size: int
    sha256: str
    uploaded_by: str | None
    uploaded_at: datetime
    download_url: str

    @staticmethod
    def resolve_record(obj) -> str:
        return _ref(obj)

    @staticmethod
    def resolve_uploaded_by(obj) -> str | None:
        return obj.uploaded_by.get_username() if obj.uploaded_by_id else None

    @staticmethod
    def resolve_download_url(obj) -> str:
        from django.urls import reverse

        return reverse("api:download_attachment", args=[obj.pk])


class FollowOut(Schema):
    record: str
    following: bool
    followers: int


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    summary: str
    record: str | None
    url: str
    actor: str | None
    event_id: str | None
    comment_id: int | None
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_text(obj) -> str:
        return notifications.text_of(obj)

    @staticmethod
    def resolve_record(obj) -> str | None:
        return _ref(obj) if obj.content_type_id else None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None

    @staticmethod
    def resolve_event_id(obj) -> str | None:
        return str(obj.event_id) if obj.event_id else None


class NotificationQuery(Schema):
    unread: bool = Field(False, description="Only notifications not yet read.")


class MarkedOut(Schema):
    marked: int


def _link(record) -> dict:
    return {"content_type": records.content_type(record), "object_id": str(record.pk)}


@router.get("/comments", response=list[CommentOut], summary="Comments on a record")
@paginate
def list_comments(request, query: Query[RecordQuery]):
    record = records.visible_ref(request.auth, query.record)
    audit.record_read(record, actor=request.auth)
    return (
        Comment.objects.filter(**_link(record))
        .select_related("author")
        .prefetch_related("mentions")
        .order_by("-created_at", "-id")
    )


@router.post("/comments", response={201: CommentOut}, summary="Write a comment on a record")
def add_comment(request, payload: CommentIn):
    comment = chatter.add_comment(payload.record, payload.body, actor=request.auth)
    return Status(201, comment)


@router.patch("/comments/{comment_id}", response=CommentOut, summary="Edit one's own comment")
def edit_comment(request, comment_id: int, payload: CommentPatch):
    return chatter.edit_comment(comment_id, payload.body, actor=request.auth)


@router.delete("/comments/{comment_id}", response={204: None}, summary="Delete a comment")
def delete_comment(request, comment_id: int):
    chatter.delete_comment(comment_id, actor=request.auth)
    return Status(204, None)


@router.get("/attachments", response=list[AttachmentOut], summary="Files attached to a record")
@paginate
def list_attachments(request, query: Query[RecordQuery]):
    record = records.visible_ref(request.auth, query.record)
    return Attachment.objects.filter(**_link(record)).select_related("uploaded_by")


@router.post("/attachments", response={201: AttachmentOut}, summary="Attach a file to a record")
def upload_attachment(request, record: Form[str], file: File[UploadedFile]):
    """Multipart form with `record` and `file`. Refused with 422 when the file is too
    large, empty, of a type not on the allow-list or not what its name says."""
    return Status(201, chatter.add_attachment(record, file, actor=request.auth))


@router.get(
    "/attachments/{attachment_id}/download",
    summary="Download an attached file",
    url_name="download_attachment",
    response={200: None},
)
def download_attachment(request, attachment_id: int):
    attachment, record = chatter.attachment_for(request.auth, attachment_id)
    audit.record_read(record, actor=request.auth)
    return attachment_response(attachment)


@router.delete(
    "/attachments/{attachment_id}", response={204: None}, summary="Delete an attached file"
)
def delete_attachment(request, attachment_id: int):
    chatter.delete_attachment(attachment_id, actor=request.auth)
    return Status(204, None)


def _follow_state(request, reference: str) -> FollowOut:
    from samspill.platform.models import Follower

    record = records.visible_ref(request.auth, reference)
    rows = Follower.objects.filter(**_link(record))
    return FollowOut(
        record=records.ref(record),
        following=rows.filter(user=request.auth).exists(),
        followers=rows.count(),
    )


@router.post("/follow", response=FollowOut, summary="Follow a record")
def follow(request, payload: RecordQuery):
    chatter.follow(payload.record, actor=request.auth)
    return _follow_state(request, payload.record)


@router.post("/unfollow", response=FollowOut, summary="Stop following a record")
def unfollow(request, payload: RecordQuery):
    chatter.unfollow(payload.record, actor=request.auth)
    return _follow_state(request, payload.record)


@router.get("/notifications", response=list[NotificationOut], summary="My notifications")
@paginate
def list_notifications(request, query: Query[NotificationQuery]):
    rows = notifications.for_user(request.auth)
    if query.unread:
        rows = rows.filter(read_at__isnull=True)
    return rows


@router.post(
    "/notifications/{notification_id}/read",
    response=NotificationOut,
    summary="Mark a notification as read",
)
def mark_read(request, notification_id: int) -> Notification:
    return notifications.mark_read(notification_id, actor=request.auth)


@router.post("/notifications/read-all", response=MarkedOut, summary="Mark all as read")
def mark_all_read(request):
    return {"marked": notifications.mark_all_read(actor=request.auth)}
