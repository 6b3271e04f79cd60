"""Activities: planning, completion, my activities, reminders, the follow-up action and the
iCalendar feed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation

from samspill.crm import queries, services
from samspill.crm.models import Activity
from samspill.crm.tests.factories import ActivityFactory, LeadFactory, OpportunityFactory
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform.actions import get_action
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


def test_plan_and_complete_an_activity(sales, events, audit_entries):
    opportunity = OpportunityFactory()
    activity = services.create_activity(
        actor=sales,
        kind="meeting",
        subject="Demo",
        due_at=timezone.now() + timedelta(days=2),
        opportunity=opportunity.pk,
    )
    assert activity.owner == sales and activity.party == opportunity.party
    done = services.complete_activity(activity, actor=sales, outcome="Vil ha tilbud")
    assert done.completed_at and done.outcome == "Vil ha tilbud"
    with pytest.raises(Conflict):
        services.complete_activity(done, actor=sales)
    assert events("crm.") == ["crm.activity.created", "crm.activity.completed"]
    assert [e.action for e in audit_entries(activity)] == ["create", "update"]
    from samspill.platform.models import OutboxEvent

    created = OutboxEvent.objects.get(type="crm.activity.created")
    assert created.subjects["party"] == [str(opportunity.party_id)]


def test_activity_needs_a_party_or_lead_and_a_due_time(sales):
    with pytest.raises(ValidationFailed) as caught:
        services.create_activity(actor=sales, subject="Ring", due_at=timezone.now())
    assert "party" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        services.create_activity(actor=sales, subject="Ring", party=OrganizationFactory().pk)
    assert "due_at" in caught.value.errors
    other = OpportunityFactory()
    with pytest.raises(ValidationFailed) as caught:
        services.create_activity(
            actor=sales,
            subject="Ring",
            due_at=timezone.now(),
            party=OrganizationFactory().pk,
            opportunity=other.pk,
        )
    assert "opportunity" in caught.value.errors
    assert Activity.objects.count() == 0
    lead_activity = services.create_activity(
        actor=sales, subject="Ring lead", due_at=timezone.now(), lead=LeadFactory().pk
    )
    assert lead_activity.party is None


def test_service_may_log_activities_but_not_delete(make_user):
    service = make_user("service")
    activity = services.create_activity(
        actor=service, subject="Support", due_at=timezone.now(), party=OrganizationFactory().pk
    )
    with pytest.raises(PermissionDenied):
        services.delete_activity(activity, actor=service)


def test_my_activities_overdue_first(sales, make_user):
    now = timezone.now()
    later = ActivityFactory(owner=sales, due_at=now + timedelta(days=3))
    overdue = ActivityFactory(owner=sales, due_at=now - timedelta(days=2))
    ActivityFactory(owner=make_user("sales"), due_at=now - timedelta(days=5))
    ActivityFactory(owner=sales, due_at=now - timedelta(days=9), completed_at=now)
    assert list(queries.my_activities(sales)) == [overdue, later]


def test_reminders_are_sent_once_per_owner(sales, make_user, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_REMINDER_MINUTES": 60}
    now = timezone.now()
    soon = ActivityFactory(owner=sales, due_at=now + timedelta(minutes=20), subject="Ring Per")
    ActivityFactory(owner=sales, due_at=now + timedelta(minutes=40), subject="Møte Kari")
    ActivityFactory(owner=sales, due_at=now + timedelta(hours=5))  # not yet
    ActivityFactory(owner=sales, due_at=now + timedelta(minutes=10), completed_at=now)  # done
    other = make_user("sales", email="")
    ActivityFactory(owner=other, due_at=now + timedelta(minutes=10))  # no email: marked, no mail
    assert services.send_due_reminders(now) == 3
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [sales.email]
    assert "Ring Per" in mail.outbox[0].body and "Møte Kari" in mail.outbox[0].body
    soon.refresh_from_db()
    assert soon.reminded_at is not None
    assert services.send_due_reminders(now) == 0
    assert len(mail.outbox) == 1


def test_reminders_also_ring_the_bell_once_per_activity(sales, make_user, settings):
    from samspill.platform.models import Notification
    from samspill.platform.notifications import text_of

    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_REMINDER_MINUTES": 60}
    now = timezone.now()
    soon = ActivityFactory(owner=sales, due_at=now + timedelta(minutes=20), subject="Ring Per")
    other = make_user("sales", email="")
    theirs = ActivityFactory(owner=other, due_at=now + timedelta(minutes=10), subject="Møte")
    services.send_due_reminders(now)
    services.send_due_reminders(now)
    rows = {n.user_id: n for n in Notification.objects.filter(kind="reminder")}
    assert set(rows) == {sales.pk, other.pk}  # no e-mail address: the bell still rings
    mine = rows[sales.pk]
    assert (mine.object_id, mine.url) == (str(soon.pk), f"/crm/activities/{soon.pk}/")
    assert mine.summary.startswith(soon.get_kind_display())
    with translation.override("en"):
        assert text_of(mine) == f"Reminder: {soon}"
    assert rows[other.pk].object_id == str(theirs.pk)
    assert not mine.email_due  # the one e-mail per owner is the reminder mail itself


def test_reminder_job_is_registered():
    from samspill.platform import housekeeping

    assert "crm.reminders" in {job.name for job in housekeeping.jobs()}


def test_follow_up_action_plans_an_activity_for_the_party(sales, events):
    action = get_action("crm.create_follow_up")
    party = OrganizationFactory(owner=sales)
    params = action.clean_params({"subject": "Følg opp", "days": "2", "kind": "call"})
    activity = action.run(str(party.pk), params, None)
    assert (activity.party, activity.owner, activity.kind) == (party, sales, "call")
    assert timezone.localtime(activity.due_at).hour == 9
    assert events("crm.") == ["crm.activity.created"]
    with pytest.raises(ValidationFailed):
        action.clean_params({"subject": "X", "kind": "fax"})
    with pytest.raises(ValidationFailed):
        action.run(str(OrganizationFactory().pk), action.clean_params({"subject": "X"}), None)


def test_calendar_feed_lists_the_owners_activities(client, sales):
    from icalendar import Calendar

    mine = ActivityFactory(owner=sales, subject="Kundemøte", duration_minutes=45)
    ActivityFactory(subject="Andres")
    feed = services.calendar_feed(sales)
    response = client.get(f"/crm/calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [f"{mine.get_kind_display()}: Kundemøte"]
    assert events[0].decoded("dtend") - events[0].decoded("dtstart") == timedelta(minutes=45)
    old = feed.token
    services.regenerate_calendar_feed(sales, actor=sales)
    assert client.get(f"/crm/calendar/{old}.ics").status_code == 404
