"""Activities (calls, meetings, emails, tasks), their reminders and follow-ups."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.crm import events
from samspill.crm.models import Activity, Lead, Opportunity
from samspill.crm.services.common import (
    check,
    full_clean,
    reject_unknown,
    resolve,
    resolve_user,
    strip,
)
from samspill.parties.models import Party
from samspill.platform import audit, notifications
from samspill.platform.errors import Conflict, NotFound, ValidationFailed
from samspill.platform.events import publish

ACTIVITY_FIELDS = (
    "kind",
    "subject",
    "notes",
    "due_at",
    "duration_minutes",
    "owner",
    "party",
    "opportunity",
    "lead",
)
AUDIT_EXCLUDE = ("created_at", "updated_at", "reminded_at")
REMINDER_MINUTES = 30  # default: remind the owner this long before an activity is due


def _assign(activity: Activity, data: dict) -> None:
    for name, value in data.items():
        if name == "owner":
            owner = resolve_user(value, "owner")
            if owner is None:
                message = _("Choose who does it.")
                raise ValidationFailed(message, errors={"owner": [message]})
            activity.owner = owner
        elif name == "party":
            party = resolve(
                Party, value, "party", _("Choose an existing contact."), Party.objects.current()
            )
            activity.party = party
        elif name == "opportunity":
            activity.opportunity = resolve(
                Opportunity, value, "opportunity", _("Choose an existing opportunity.")
            )
        elif name == "lead":
            activity.lead = resolve(Lead, value, "lead", _("Choose an existing lead."))
        elif name == "due_at":
            if isinstance(value, datetime) and timezone.is_naive(value):
                value = timezone.make_aware(value)
            activity.due_at = value
        else:
            setattr(activity, name, strip(value) if value is not None else "")
    if activity.opportunity is not None:
        if activity.party_id is None:
            activity.party = activity.opportunity.party
        elif activity.party_id != activity.opportunity.party_id:
            message = _("The opportunity belongs to another customer.")
            raise ValidationFailed(message, errors={"opportunity": [message]})


def _snapshot(activity: Activity) -> dict:
    return audit.snapshot(activity, exclude=AUDIT_EXCLUDE)


def _validate(activity: Activity) -> None:
    if activity.party_id is None and activity.lead_id is None:
        message = _("Link the activity to a contact or a lead.")
        raise ValidationFailed(message, errors={"party": [message]})
    full_clean(activity)


@transaction.atomic
def create_activity(*, actor, **data) -> Activity:
    """Plan an activity; without an owner it is the actor's."""
    check(actor, "crm.add_activity")
    reject_unknown(data, ACTIVITY_FIELDS)
    if data.get("owner") in (None, "") and actor is not None:
        data["owner"] = actor
    activity = Activity()
    _assign(activity, data)
    if not data.get("due_at"):
        message = _("Give the date and time it is due.")
        raise ValidationFailed(message, errors={"due_at": [message]})
    _validate(activity)
    activity.save()
    audit.record("create", activity, actor=actor, changes=audit.diff({}, _snapshot(activity)))
    publish(
        events.ActivityCreated(
            activity_id=activity.pk,
            kind=activity.kind,
            subject=activity.subject,
            due_at=activity.due_at.isoformat(),
            owner_id=activity.owner_id,
            party_id=activity.party_id,
            opportunity_id=activity.opportunity_id,
            lead_id=activity.lead_id,
        ),
        actor=actor,
    )
    return activity


def _lock(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


@transaction.atomic
def update_activity(activity: Activity, *, actor, **changes) -> Activity:
    check(actor, "crm.change_activity")
    reject_unknown(changes, (*ACTIVITY_FIELDS, "outcome"))
    activity = _lock(activity)
    before = _snapshot(activity)
    _assign(activity, changes)
    _validate(activity)
    diff = audit.diff(before, _snapshot(activity))
    if not diff:
        return activity
    if "due_at" in diff:
        activity.reminded_at = None  # a new time gets a new reminder
    activity.save()
    audit.record("update", activity, actor=actor, changes=diff)
    publish(
        events.ActivityUpdated(
            activity_id=activity.pk,
            subject=activity.subject,
            party_id=activity.party_id,
            changed=sorted(diff),
        ),
        actor=actor,
    )
    return activity


@transaction.atomic
def complete_activity(activity: Activity, *, actor, outcome: str = "") -> Activity:
    """Mark an activity done, with what came out of it."""
    check(actor, "crm.change_activity")
    activity = _lock(activity)
    if activity.completed_at is not None:
        raise Conflict(_("This activity is already done."), code="activity_done")
    before = _snapshot(activity)
    activity.completed_at = timezone.now()
    activity.outcome = (outcome or "").strip()
    activity.save(update_fields=["completed_at", "outcome", "updated_at"])
    audit.record("update", activity, actor=actor, changes=audit.diff(before, _snapshot(activity)))
    publish(
        events.ActivityCompleted(
            activity_id=activity.pk,
            kind=activity.kind,
            subject=activity.subject,
            outcome=activity.outcome,
            party_id=activity.party_id,
            opportunity_id=activity.opportunity_id,
            lead_id=activity.lead_id,
        ),
        actor=actor,
    )
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, actor) -> None:
    check(actor, "crm.delete_activity")
    activity = _lock(activity)
    audit.record("delete", activity, actor=actor, changes=audit.diff(_snapshot(activity), {}))
    activity.delete()


# --- Reminders -------------------------------------------------------------------------------


def send_due_reminders(now: datetime | None = None) -> int:
    """Remind each owner of their open activities due within the reminder lead time
    (settings.SAMSPILL["CRM_REMINDER_MINUTES"]) that have not been reminded yet: an in-app
    notification per activity (the bell) and one e-mail per owner with an address. Returns
    how many activities were reminded. Run by the worker's housekeeping."""
    now = now or timezone.now()
    minutes = settings.SAMSPILL.get("CRM_REMINDER_MINUTES", REMINDER_MINUTES)
    due = list(
        Activity.objects.filter(
            completed_at__isnull=True,
            reminded_at__isnull=True,
            due_at__gte=now,
            due_at__lte=now + timedelta(minutes=minutes),
        )
        .select_related("owner", "party")
        .order_by("owner_id", "due_at")[:500]
    )
    if not due:
        return 0
    by_owner: dict[int, list[Activity]] = {}
    for activity in due:
        by_owner.setdefault(activity.owner_id, []).append(activity)
    connection = get_connection()
    reminded: list[int] = []
    in_app = []
    for items in by_owner.values():
        owner = items[0].owner
        language = getattr(owner, "language", "") or settings.LANGUAGE_CODE
        if owner.is_active:
            with translation.override(language):
                in_app += [
                    (
                        owner,
                        a,
                        _("%(kind)s at %(time)s")
                        % {
                            "kind": a.get_kind_display(),
                            "time": f"{timezone.localtime(a.due_at):%H:%M}",
                        },
                        reverse("crm:activity_detail", args=[a.pk]),
                    )
                    for a in items
                ]
        if not owner.email or not owner.is_active:
            reminded += [a.pk for a in items]  # nobody to e-mail; do not try again
            continue
        with translation.override(language):
            lines = [
                f"- {timezone.localtime(a.due_at):%H:%M} {a.get_kind_display()}: {a.subject}"
                + (f" ({a.party.display_name})" if a.party is not None else "")
                + f"\n  {reverse('crm:activity_detail', args=[a.pk])}"
                for a in items
            ]
            subject = _("Reminder: %(count)s activity due soon") % {"count": len(items)}
            body = _("These activities of yours are due soon:") + "\n\n" + "\n".join(lines)
        send_mail(subject, body, None, [owner.email], connection=connection)
        reminded += [a.pk for a in items]
    with transaction.atomic():
        notifications.remind(in_app)
        Activity.objects.filter(pk__in=reminded).update(reminded_at=now)
    return len(reminded)


# --- Automation: create a follow-up ------------------------------------------------------------


def create_follow_up(subject_id, params, actor) -> Activity:
    """The automation action: plan an activity for the party an event is about."""
    party = (
        Party.objects.current().filter(pk=subject_id).first() if str(subject_id).isdigit() else None
    )
    if party is None:
        raise NotFound(_("There is no contact with id %(id)s.") % {"id": subject_id})
    owner = None
    username = params.get("owner") or ""
    if username:
        owner = get_user_model().objects.filter(username=username, is_active=True).first()
        if owner is None:
            raise ValidationFailed(
                errors={"owner": [_("There is no active user with this username.")]}
            )
    elif party.owner_id and party.owner.is_active:
        owner = party.owner
    elif actor is not None and getattr(actor, "is_authenticated", False):
        owner = actor
    if owner is None:
        raise ValidationFailed(errors={"owner": [_("Give the username of who should follow up.")]})
    days = int(params.get("days") or 0)
    if days < 0 or days > 365:
        raise ValidationFailed(errors={"days": [_("Enter between 0 and 365 days.")]})
    due = timezone.localtime() + timedelta(days=days)
    due = (
        due.replace(hour=9, minute=0, second=0, microsecond=0) if days else due + timedelta(hours=1)
    )
    return create_activity(
        actor=actor,
        kind=params.get("kind") or Activity.Kind.TASK,
        subject=params["subject"],
        due_at=due,
        owner=owner,
        party=party,
        notes=params.get("notes") or "",
    )
