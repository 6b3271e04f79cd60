"""Tickets: numbering, the customer found or created by e-mail, the status workflow, replies
and notes apart, the collision check, assignment, links, merge and split, SLA due times and
the SLA watch."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from samspill.helpdesk import services
from samspill.helpdesk.models import Message, SlaPolicy, Ticket
from samspill.parties.models import ContactPoint, Party
from samspill.platform.errors import PermissionDenied, ValidationFailed

OSLO = ZoneInfo("Europe/Oslo")
S = Ticket.Status


def types(emitted):
    return [t for t, _p in emitted()]


def test_open_ticket_numbers_gapless_and_publishes(ticket, agent, customer, emitted, policy):
    year = timezone.localtime(ticket.created_at).year
    assert ticket.number == f"T-{year}-00001"
    assert ticket.status == S.NEW
    assert ticket.party == customer
    assert ticket.customer_email == "post@fjordkaffe.no"
    assert ticket.sla_policy == policy
    second = services.open_ticket(
        actor=agent, subject="Another", body="b", party=customer, channel="phone"
    )
    assert second.number == f"T-{year}-00002"
    assert emitted() == [
        (
            "helpdesk.ticket.opened",
            {
                "ticket_id": second.pk,
                "number": second.number,
                "party_id": customer.pk,
                "subject": "Another",
                "channel": "phone",
                "queue_id": ticket.queue_id,
                "priority": "normal",
            },
        )
    ]


def test_bad_input_writes_nothing(queue, agent, emitted):
    with pytest.raises(ValidationFailed) as exc:
        services.open_ticket(
            actor=agent, subject="x", body="", channel="pigeon", priority="meh", email="not-mail"
        )
    assert set(exc.value.errors) == {"body", "channel", "priority", "email"}
    assert Ticket.objects.count() == 0
    assert Party.objects.count() == 0
    assert emitted() == []


def test_permission(queue, make_user, customer):
    seller = make_user("sales")
    with pytest.raises(PermissionDenied):
        services.open_ticket(actor=seller, subject="x", body="y", party=customer)
    assert Ticket.objects.count() == 0


def test_unknown_sender_becomes_a_person(queue, agent):
    ticket = services.open_ticket(
        actor=agent, subject="Hi", body="Hello", email="Ola@Example.no", name="Ola Nordmann"
    )
    person = ticket.party
    assert person.kind == "person"
    assert person.name == "Ola Nordmann"
    assert person.is_customer
    assert ContactPoint.objects.get(party=person).normalized == "ola@example.no"
    again = services.open_ticket(actor=agent, subject="Again", body="x", email="ola@example.no")
    assert again.party == person
    assert Party.objects.filter(kind="person").count() == 1


def test_known_contact_person_makes_the_organisation_the_customer(queue, agent, customer):
    from samspill.parties.tests.factories import ContactPointFactory, PersonFactory, RelationFactory

    person = PersonFactory(first_name="Kari", last_name="Kaffe")
    ContactPointFactory(party=person, value="kari@fjordkaffe.no", normalized="kari@fjordkaffe.no")
    RelationFactory(person=person, organization=customer)
    ticket = services.open_ticket(actor=None, subject="x", body="y", email="kari@fjordkaffe.no")
    assert ticket.party == customer
    assert ticket.contact == person


def test_workflow_named_operations(ticket, agent, emitted):
    services.start_ticket(ticket, actor=agent)
    services.wait_internally(ticket, actor=agent)
    services.resolve_ticket(ticket, actor=agent)
    ticket.refresh_from_db()
    assert ticket.status == S.RESOLVED and ticket.resolved_at is not None
    assert ticket.next_due is None
    services.reopen_ticket(ticket, actor=agent)
    services.close_ticket(ticket, actor=agent)
    ticket.refresh_from_db()
    assert ticket.status == S.CLOSED and ticket.closed_at is not None
    assert types(emitted) == [
        "helpdesk.ticket.status_changed",
        "helpdesk.ticket.status_changed",
        "helpdesk.ticket.status_changed",
        "helpdesk.ticket.resolved",
        "helpdesk.ticket.status_changed",
        "helpdesk.ticket.reopened",
        "helpdesk.ticket.status_changed",
        "helpdesk.ticket.closed",
    ]
    with pytest.raises(services.WrongState):
        services.reopen_ticket(ticket, actor=agent)


def test_reply_and_note_are_kept_apart(ticket, agent, emitted):
    first_id = ticket.messages.get().pk
    reply = services.reply_to_customer(
        ticket, actor=agent, body="We send a technician.", last_seen_message_id=first_id
    )
    note = services.add_note(ticket, actor=agent, body="Call the supplier about the seal.")
    assert reply.kind == Message.Kind.REPLY and note.kind == Message.Kind.NOTE
    ticket.refresh_from_db()
    assert ticket.status == S.PENDING_CUSTOMER
    assert ticket.first_response_at is not None
    # waiting for the customer: the resolution clock stands still (no due time to watch)
    assert ticket.sla_paused_at is not None and ticket.next_due is None
    assert mail.outbox == []  # a phone ticket: the reply is logged, not e-mailed
    assert types(emitted) == [
        "helpdesk.ticket.replied",
        "helpdesk.ticket.status_changed",
        "helpdesk.ticket.noted",
    ]
    assert emitted()[0][1]["first_response"] is True


def test_collision_warning_sends_nothing(ticket, agent, make_user, emitted):
    other = make_user("service")
    seen = ticket.messages.get().pk
    services.reply_to_customer(ticket, actor=other, body="I'm on it", last_seen_message_id=seen)
    before = Message.objects.count()
    events_before = len(emitted())
    with pytest.raises(services.Collision) as exc:
        services.reply_to_customer(ticket, actor=agent, body="Me too", last_seen_message_id=seen)
    assert exc.value.code == "reply_collision"
    assert "after you opened it" in str(exc.value.message)
    assert Message.objects.count() == before
    assert len(emitted()) == events_before


def test_email_reply_threads(queue, policy, agent, settings):
    settings.DEFAULT_FROM_EMAIL = "service@firma.no"
    ticket = services.open_ticket(
        actor=None,
        subject="Invoice wrong",
        body="Please check",
        channel="email",
        email="kunde@example.no",
        message_id="<abc@example.no>",
    )
    services.reply_to_customer(ticket, actor=agent, body="Checking", last_seen_message_id=None)
    sent = mail.outbox[-1]
    assert sent.to == ["kunde@example.no"]
    assert sent.from_email == "support@firma.no"
    assert sent.subject == f"[{ticket.number}] Re: Invoice wrong"
    assert sent.extra_headers["In-Reply-To"] == "<abc@example.no>"
    assert sent.extra_headers["References"] == "<abc@example.no>"
    assert sent.extra_headers["Message-ID"].endswith("@firma.no>")
    stored = ticket.messages.get(kind="reply")
    assert stored.message_id == sent.extra_headers["Message-ID"]


def test_customer_message_reopens_waiting_ticket(ticket, agent):
    services.reply_to_customer(ticket, actor=agent, body="Which model?")
    services.add_customer_message(ticket, actor=None, body="Model X", channel="email")
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN


def test_assign_and_move_queue_recomputes_sla(ticket, agent, make_user):
    from datetime import time

    from samspill.helpdesk.models import Queue

    night = Queue.objects.create(
        name="Night", opens_at=time(0, 0), closes_at=time(23, 59), workdays="1234567"
    )
    due_before = ticket.first_response_due
    services.assign_ticket(ticket, actor=agent, assignee=agent, queue=night)
    ticket.refresh_from_db()
    assert ticket.assignee == agent and ticket.queue == night
    assert ticket.first_response_due != due_before or ticket.first_response_due is not None
    seller = make_user("sales")
    with pytest.raises(ValidationFailed) as exc:
        services.assign_ticket(ticket, actor=agent, assignee=seller)
    assert "assignee" in exc.value.errors


def test_policy_specificity(ticket, customer, queue, agent):
    specific = SlaPolicy.objects.create(
        name="Gold",
        party=customer,
        first_response_hours=Decimal("1"),
        resolution_hours=Decimal("4"),
    )
    SlaPolicy.objects.create(
        name="Urgent",
        priority="urgent",
        first_response_hours=Decimal("0.5"),
        resolution_hours=Decimal("2"),
    )
    services.update_ticket(ticket, actor=agent, priority="urgent", tags="Leak, espresso, leak")
    ticket.refresh_from_db()
    assert ticket.sla_policy == specific  # customer beats priority
    assert ticket.tags == ["leak", "espresso"]


def test_due_times_respect_business_hours(queue, policy, agent, customer):
    friday_evening = datetime(2026, 11, 27, 18, 0, tzinfo=OSLO)
    ticket = services.open_ticket(
        actor=agent, subject="x", body="y", party=customer, at=friday_evening
    )
    assert ticket.first_response_due.astimezone(OSLO) == datetime(2026, 11, 30, 12, 0, tzinfo=OSLO)
    assert ticket.resolution_due.astimezone(OSLO) == datetime(2026, 12, 1, 16, 0, tzinfo=OSLO)
    # warning at 80 % of 4 h = 3.2 h -> Monday 11:12
    assert ticket.warn_at.astimezone(OSLO) == datetime(2026, 11, 30, 11, 12, tzinfo=OSLO)


def test_sla_watch_warns_then_breaches_once(ticket, emitted):
    warn = ticket.warn_at + timedelta(seconds=1)
    assert services.check_sla(now=warn) == 1
    assert services.check_sla(now=warn) == 0
    breach = ticket.first_response_due + timedelta(seconds=1)
    assert services.check_sla(now=breach) == 1
    assert services.check_sla(now=breach) == 0
    assert [(t, p["target"]) for t, p in emitted()] == [
        ("helpdesk.ticket.sla_warning", "first_response"),
        ("helpdesk.ticket.sla_breached", "first_response"),
    ]
    payload = emitted()[1][1]
    assert payload["party_id"] == ticket.party_id and payload["number"] == ticket.number


def test_sla_watch_skips_resolved(ticket, agent, emitted):
    services.resolve_ticket(ticket, actor=agent)
    assert services.check_sla(now=ticket.resolution_due + timedelta(days=1)) == 0


def test_link_record(ticket, agent, customer, emitted):
    link = services.link_record(ticket, actor=agent, record=f"parties.party:{customer.pk}")
    assert link.record == f"parties.party:{customer.pk}"
    services.link_record(ticket, actor=agent, record=f"parties.party:{customer.pk}")
    assert ticket.links.count() == 1
    assert types(emitted) == ["helpdesk.ticket.linked"]
    from samspill.platform.errors import NotFound

    with pytest.raises(NotFound):
        services.link_record(ticket, actor=agent, record="parties.party:999999")


def test_merge(ticket, agent, customer, emitted):
    other = services.open_ticket(actor=agent, subject="Leak again", body="Still", party=customer)
    survivor = services.merge_tickets(actor=agent, survivor=ticket, duplicate=other)
    other.refresh_from_db()
    assert other.status == S.CLOSED and other.merged_into == survivor
    assert survivor.messages.count() == 2
    assert types(emitted)[-2:] == ["helpdesk.ticket.merged", "helpdesk.ticket.status_changed"]
    with pytest.raises(ValidationFailed):
        services.merge_tickets(actor=agent, survivor=ticket, duplicate=ticket)


def test_split(ticket, agent, emitted):
    message = services.add_customer_message(
        ticket, actor=None, body="Also: the grinder is loud", subject="Grinder", channel="email"
    )
    new = services.split_message(message, actor=agent)
    assert new.pk != ticket.pk
    assert new.subject == "Grinder"
    assert list(new.messages.all()) == [message]
    assert ticket.messages.count() == 1
    assert types(emitted)[-2:] == ["helpdesk.ticket.opened", "helpdesk.ticket.split"]
    only = ticket.messages.get()
    with pytest.raises(services.WrongState):
        services.split_message(only, actor=agent)


def test_timeline_line_names_the_status_in_words(ticket, agent):
    from django.utils import translation

    from samspill.helpdesk.events import TicketStatusChanged

    payload = {"number": ticket.number, "status": "pending_customer"}
    assert (
        TicketStatusChanged.summarize(payload) == f"Ticket {ticket.number} is now pending customer"
    )
    with translation.override("nb"):
        assert TicketStatusChanged.summarize(payload) == (
            f"Sak {ticket.number} har nå status venter på kunden"
        )


def test_party_merge_erasure_and_personal_data(queue, agent, make_user):
    from samspill.parties import services as parties

    ticket = services.open_ticket(
        actor=None, subject="Hei", body="Min adresse er Storgata 1", email="ola@example.no"
    )
    person = ticket.party
    duplicate = services.open_ticket(
        actor=None, subject="Igjen", body="x", email="ola2@example.no"
    ).party
    boss = make_user("management", "legal")
    parties.merge_parties(actor=boss, survivor=person, duplicate=duplicate)
    assert Ticket.objects.filter(party=person).count() == 2
    exported = parties.export_personal_data(actor=boss, party=person)
    texts = [m["text"] for t in exported["helpdesk"]["tickets"] for m in t["messages"]]
    assert "Min adresse er Storgata 1" in texts
    parties.erase_person(actor=boss, party=person)
    message = Message.objects.get(ticket=ticket)
    assert message.body == "(erased)" and message.from_email == ""
    ticket.refresh_from_db()
    assert ticket.customer_email == ""


def test_housekeeping_runs_the_sla_watch_and_the_mailboxes(ticket, emitted):
    from unittest import mock

    from django.utils import timezone as tz

    from samspill.platform import housekeeping

    later = ticket.first_response_due + timedelta(minutes=1)
    with mock.patch.object(tz, "now", return_value=later):  # the clock, not the database
        result = housekeeping.run_once()
    assert result["helpdesk.sla"] == 2  # warning and breach
    assert result["helpdesk.imap"] == 0  # no mailboxes
    # Both are published at the same (mocked) instant, so their order is not defined.
    assert sorted(t for t, _p in emitted() if t.startswith("helpdesk.ticket.sla")) == [
        "helpdesk.ticket.sla_breached",
        "helpdesk.ticket.sla_warning",
    ]
