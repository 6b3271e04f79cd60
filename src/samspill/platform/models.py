"""Kernel tables: the event outbox, handler bookkeeping, the audit trail, API
idempotency keys, and the chatter of any record (comments, attachments, followers,
notifications). No business rules live here."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OutboxEvent(models.Model):
    """A domain event, written in the same transaction as the change it describes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Dead letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("type"), max_length=100, db_index=True)
    version = models.PositiveSmallIntegerField(_("schema version"), default=1)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=20, default="system")
    subjects = models.JSONField(_("subjects"), default=dict)
    payload = models.JSONField(_("payload"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        default_permissions = ("view",)
        permissions = [("replay_outboxevent", "Can retry or replay events")]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"

    @property
    def can_replay(self) -> bool:
        return self.status != self.Status.DELIVERED


class EventSubject(models.Model):
    """Index of what an event is about, so any record's timeline is one indexed query."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="subject_rows")
    kind = models.CharField(max_length=50)  # "party", "order", "invoice" ...
    object_id = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id", "-occurred_at"])]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"


class HandledEvent(models.Model):
    """A subscriber processed an event: written in the subscriber's transaction, so a
    redelivered event is processed once."""

    event = models.ForeignKey(OutboxEvent, on_delete=models.CASCADE, related_name="handled")
    subscriber = models.CharField(max_length=150)
    handled_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "subscriber"], name="handled_event_once")
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.subscriber} {self.event_id}"


class AuditEntry(models.Model):
    """Append-only record of a change to business data (or a read of sensitive data)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        MERGE = "merge", _("Merged")
        ERASE = "erase", _("Erased (GDPR)")
        EXPORT = "export", _("Exported (GDPR)")
        VIEW = "view", _("Viewed")
        READ = "read", _("Read (sensitive)")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_repr = models.CharField(_("who"), max_length=150, blank=True)
    channel = models.CharField(_("channel"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-at"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_repr} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValueError("audit entries are append-only")


class IdempotencyRecord(models.Model):
    """The stored response to an API POST carrying an Idempotency-Key header."""

    key = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_per_user")
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"


# --- Chatter: comments, attachments and followers of any record ----------------------------
#
# A record is named by its content type and primary key (as text), so the kernel can hold
# the chatter of every domain's records without importing any domain.


class RecordLink(models.Model):
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(_("record id"), max_length=64)

    class Meta:
        abstract = True


class Comment(RecordLink):
    """An internal note on a record, with @mentions of users."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("comment"))
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("mentioned"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]
        default_permissions = ("view", "delete")

    def __str__(self) -> str:
        return self.body[:60]


def attachment_path(instance, filename: str) -> str:
    """A random name under attachments/<year>/<month>/: the uploaded name is kept in the
    row only, so it can never choose or guess a path."""
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}"


class Attachment(RecordLink):
    """A file attached to a record, stored through Django's storage API."""

    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-uploaded_at"])]
        default_permissions = ("view", "delete")

    def __str__(self) -> str:
        return self.name


class Follower(RecordLink):
    """A user who is told about comments on and events of a record."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("follower")
        verbose_name_plural = _("followers")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="follow_record_once"
            )
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.content_type_id}:{self.object_id}"


class Notification(models.Model):
    """Something a user should know: a mention, a comment or an event on a followed record."""

    class Kind(models.TextChoices):
        MENTION = "mention", _("Mentioned you")
        COMMENT = "comment", _("New comment")
        EVENT = "event", pgettext_lazy("noun", "Change")
        REMINDER = "reminder", _("Reminder")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    object_id = models.CharField(max_length=64, blank=True)
    record_repr = models.CharField(_("record"), max_length=200, blank=True)
    summary = models.CharField(_("what"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    event = models.ForeignKey(
        OutboxEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # The recipient wants it by e-mail and it has not been sent yet (the worker's sweep
    # sends those whose task was lost).
    email_due = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(email_due=True),
                name="notification_email_due",
            ),
        ]
        constraints = [
            # A follower hears of one event once, even if it names several followed records.
            models.UniqueConstraint(
                fields=["user", "event"],
                condition=models.Q(event__isnull=False),
                name="notify_once_per_event",
            )
        ]
        default_permissions = ()

    def __str__(self) -> str:
        return self.summary


class NotificationPreference(models.Model):
    """Whether a user also gets notifications by e-mail."""

    class Email(models.TextChoices):
        NONE = "none", _("No e-mail")
        MENTIONS = "mentions", _("Only when I am mentioned")
        ALL = "all", _("Every notification")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    email = models.CharField(
        _("e-mail notifications"), max_length=10, choices=Email.choices, default=Email.MENTIONS
    )

    class Meta:
        verbose_name = _("notification setting")
        verbose_name_plural = _("notification settings")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class NumberSeries(models.Model):
    """The last number given per series and year ("sales.order", 2026): the counter behind
    gapless document numbers (platform.numbering). The row is locked while a number is drawn,
    so numbers are gapless and never given twice."""

    series = models.CharField(_("series"), max_length=40)
    year = models.PositiveIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="number_series_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last}"
