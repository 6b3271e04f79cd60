"""In-app notifications and their optional e-mail.

Notifications are written by the chatter services (mentions, in the comment's
transaction) and by the followers' subscriber (comments and events on followed records,
once per event). A user's preference says whether they also get an e-mail: none, only
mentions (the default) or all; e-mails are sent by a background task after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.platform.compat import task
from samspill.platform.errors import NotFound
from samspill.platform.models import Notification, NotificationPreference

log = logging.getLogger(__name__)

Pref = NotificationPreference.Email


def email_preference(user) -> str:
    pref = NotificationPreference.objects.filter(user=user).values_list("email", flat=True)
    return pref.first() or Pref.MENTIONS


def wants_email(preference: str, kind: str) -> bool:
    if preference == Pref.ALL:
        return True
    return preference == Pref.MENTIONS and kind == Notification.Kind.MENTION


def create(notifications: Iterable[Notification]) -> list[Notification]:
    """Write notifications in bulk and send the e-mails their recipients asked for after
    commit. Two queries whatever the count. At most one per user and event (a database
    constraint; the callers deduplicate)."""
    rows = list(notifications)
    if not rows:
        return []
    prefs = dict(
        NotificationPreference.objects.filter(user_id__in={n.user_id for n in rows}).values_list(
            "user_id", "email"
        )
    )
    for n in rows:
        n.email_due = wants_email(prefs.get(n.user_id, Pref.MENTIONS), n.kind)
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.email_due and n.pk is not None]
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids), robust=True)
    return created


def remind(reminders: Iterable[tuple[Any, Any, str, str]]) -> list[Notification]:
    """In-app reminders, one per (user, record, summary, url): the bell shows them. Their
    e-mail is the caller's business (reminders are usually gathered into one message per
    user), so none is sent from here."""
    from samspill.platform import records

    rows = [
        Notification(
            user=user,
            kind=Notification.Kind.REMINDER,
            content_type=records.content_type(type(record)),
            object_id=str(record.pk),
            record_repr=str(record)[:200],
            summary=summary[:300],
            url=url[:300],
        )
        for user, record, summary, url in reminders
    ]
    return Notification.objects.bulk_create(rows)


def text_of(notification: Notification) -> str:
    """The notification as one line, in the active language."""
    actor = str(notification.actor) if notification.actor_id else _("Someone")
    params = {"actor": actor, "record": notification.record_repr}
    if notification.kind == Notification.Kind.MENTION:
        return _("%(actor)s mentioned you on %(record)s") % params
    if notification.kind == Notification.Kind.COMMENT:
        return _("%(actor)s commented on %(record)s") % params
    if notification.kind == Notification.Kind.REMINDER:
        return _("Reminder: %(record)s") % params
    return _("%(record)s: %(what)s") % {**params, "what": notification.summary}


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification that is due and whose recipient has an address. Returns
    how many were sent."""
    return _send(
        Notification.objects.filter(pk__in=notification_ids, email_due=True)
        .select_related("user", "actor")
        .order_by("pk")
    )


def send_due_emails(*, older_than: timedelta = timedelta(minutes=2), limit: int = 500) -> int:
    """E-mails that are due but were not sent a while after their notification was written
    (their task was lost): run by the worker's housekeeping."""
    cutoff = timezone.now() - older_than
    due = Notification.objects.filter(email_due=True, created_at__lte=cutoff).order_by("pk")
    return _send(due.select_related("user", "actor")[:limit])


def _send(queryset) -> int:
    rows = list(queryset)
    sent = 0
    base = settings.SITE_URL
    for notification in rows:
        user = notification.user
        # Claimed first, so a retried task or the sweep never send it twice.
        claimed = Notification.objects.filter(pk=notification.pk, email_due=True).update(
            email_due=False, emailed_at=timezone.now()
        )
        if not claimed or not user.email or not user.is_active:
            continue
        with translation.override(getattr(user, "language", None) or settings.LANGUAGE_CODE):
            subject = text_of(notification)
            body = render_to_string(
                "platform/notification_email.txt",
                {
                    "notification": notification,
                    "text": subject,
                    "link": f"{base}{notification.url}" if notification.url else "",
                },
            )
        send_mail(f"[Samspill] {subject}"[:200], body, None, [user.email])
        sent += 1
    return sent


# --- The profile's panel (registered by the users app) ---------------------------------------

PROFILE_PANEL_TITLE = gettext_lazy("Notifications")


def profile_panel_context(viewer, user) -> dict | None:
    """Shown on one's own profile only: the e-mail setting and the unread count."""
    if viewer.pk != user.pk:
        return None
    preference = email_preference(user)
    return {
        "preference": dict(Pref.choices)[preference],
        "unread": unread_count(user),
    }


# --- Reading and marking ----------------------------------------------------------------------


def for_user(user):
    return (
        Notification.objects.filter(user=user)
        .select_related("actor")
        .order_by("-created_at", "-id")
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


@transaction.atomic
def mark_read(notification_id, *, actor) -> Notification:
    notification = Notification.objects.filter(pk=notification_id, user=actor).first()
    if notification is None:
        raise NotFound(_("There is no such notification."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def set_email_preference(email: str, *, actor) -> NotificationPreference:
    from samspill.platform.errors import ValidationFailed

    if email not in Pref.values:
        raise ValidationFailed(
            _("Choose none, mentions or all."), errors={"email": [_("Choose a valid option.")]}
        )
    pref, _created = NotificationPreference.objects.update_or_create(
        user=actor, defaults={"email": email}
    )
    return pref
