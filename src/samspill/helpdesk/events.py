"""Events of customer service. Subjects: the customer (party) and the ticket, so every step
shows on the customer's 360-degree timeline and automation rules can react (escalate on
`helpdesk.ticket.sla_breached`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event

SUBJECTS = {"party_id": "party", "ticket_id": "ticket"}


@dataclass(frozen=True, kw_only=True)
class TicketEvent(Event):
    subject_fields: ClassVar[dict[str, str]] = SUBJECTS
    template: ClassVar[Any] = ""

    ticket_id: int
    number: str
    party_id: int

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        from samspill.helpdesk.models import Ticket

        status = payload.get("status", "")
        labels = dict(Ticket.Status.choices)
        return gettext(str(cls.template)) % {
            "number": payload.get("number", ""),
            "subject": payload.get("subject", ""),
            "status": str(labels.get(status, status)).lower(),
            "other": payload.get("other_number", ""),
        }


@dataclass(frozen=True, kw_only=True)
class TicketOpened(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.opened"
    description: ClassVar[Any] = _("A customer service ticket was opened")
    template: ClassVar[Any] = _("Ticket %(number)s was opened: %(subject)s")

    subject: str
    channel: str
    queue_id: int
    priority: str


@dataclass(frozen=True, kw_only=True)
class TicketCustomerWrote(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.customer_replied"
    description: ClassVar[Any] = _("The customer wrote on a ticket")
    template: ClassVar[Any] = _("The customer wrote on ticket %(number)s")

    message_id: int
    channel: str


@dataclass(frozen=True, kw_only=True)
class TicketReplied(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.replied"
    description: ClassVar[Any] = _("An agent answered the customer on a ticket")
    template: ClassVar[Any] = _("Ticket %(number)s was answered")

    message_id: int
    first_response: bool


@dataclass(frozen=True, kw_only=True)
class TicketNoted(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.noted"
    description: ClassVar[Any] = _("An internal note was added to a ticket")
    template: ClassVar[Any] = _("An internal note was added to ticket %(number)s")

    message_id: int


@dataclass(frozen=True, kw_only=True)
class TicketStatusChanged(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.status_changed"
    description: ClassVar[Any] = _("A ticket changed status")
    template: ClassVar[Any] = _("Ticket %(number)s is now %(status)s")

    status: str
    previous: str


@dataclass(frozen=True, kw_only=True)
class TicketResolved(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.resolved"
    description: ClassVar[Any] = _("A ticket was resolved")
    template: ClassVar[Any] = _("Ticket %(number)s was resolved")


@dataclass(frozen=True, kw_only=True)
class TicketClosed(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.closed"
    description: ClassVar[Any] = _("A ticket was closed")
    template: ClassVar[Any] = _("Ticket %(number)s was closed")


@dataclass(frozen=True, kw_only=True)
class TicketReopened(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.reopened"
    description: ClassVar[Any] = _("A ticket was reopened")
    template: ClassVar[Any] = _("Ticket %(number)s was reopened")


@dataclass(frozen=True, kw_only=True)
class TicketAssigned(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.assigned"
    description: ClassVar[Any] = _("A ticket was assigned")
    template: ClassVar[Any] = _("Ticket %(number)s was assigned")

    assignee_id: int | None
    queue_id: int


@dataclass(frozen=True, kw_only=True)
class TicketUpdated(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.updated"
    description: ClassVar[Any] = _("A ticket was changed")
    template: ClassVar[Any] = _("Ticket %(number)s was changed")

    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class TicketMerged(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.merged"
    description: ClassVar[Any] = _("A ticket was merged into another")
    template: ClassVar[Any] = _("Ticket %(number)s was merged into %(other)s")

    other_ticket_id: int
    other_number: str


@dataclass(frozen=True, kw_only=True)
class TicketSplit(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.split"
    description: ClassVar[Any] = _("A message was split off into a new ticket")
    template: ClassVar[Any] = _("A message of ticket %(number)s became ticket %(other)s")

    other_ticket_id: int
    other_number: str


@dataclass(frozen=True, kw_only=True)
class TicketLinked(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.linked"
    description: ClassVar[Any] = _("A record was linked to a ticket")
    template: ClassVar[Any] = _("A record was linked to ticket %(number)s")

    record: str


@dataclass(frozen=True, kw_only=True)
class TicketSlaWarning(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.sla_warning"
    description: ClassVar[Any] = _("A ticket is close to breaching its SLA")
    template: ClassVar[Any] = _("Ticket %(number)s is close to breaching its SLA")

    target: str  # "first_response" or "resolution"
    due: str
    assignee_id: int | None
    queue_id: int


@dataclass(frozen=True, kw_only=True)
class TicketSlaBreached(TicketEvent):
    type: ClassVar[str] = "helpdesk.ticket.sla_breached"
    description: ClassVar[Any] = _("A ticket breached its SLA")
    template: ClassVar[Any] = _("Ticket %(number)s breached its SLA")

    target: str
    due: str
    assignee_id: int | None
    queue_id: int


@dataclass(frozen=True, kw_only=True)
class MailIgnored(Event):
    """An inbound e-mail that was kept out of the inbox (auto-reply, bounce, loop)."""

    type: ClassVar[str] = "helpdesk.mail.ignored"
    description: ClassVar[Any] = _("An automatic e-mail was not turned into a ticket")

    message_id: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class CallLogged(TicketEvent):
    type: ClassVar[str] = "helpdesk.call.logged"
    description: ClassVar[Any] = _("A phone call was logged on a ticket")
    template: ClassVar[Any] = _("A phone call was logged on ticket %(number)s")

    call_id: int
    direction: str  # "inbound" or "outbound"
    outcome: str  # "answered", "voicemail", "missed", "callback"
    phone: str
    duration_seconds: int
    agent_id: int | None


@dataclass(frozen=True, kw_only=True)
class InboundRejected(Event):
    """A webhook delivery that was refused (bad signature, unreadable body, no text)."""

    type: ClassVar[str] = "helpdesk.inbound.rejected"
    description: ClassVar[Any] = _("A message to a webhook endpoint was refused")

    endpoint_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ChatEnded(TicketEvent):
    """A web chat is over (the visitor ended it, or the agent resolved or closed the ticket),
    with its transcript (what the visitor and the agents wrote; never internal notes)."""

    type: ClassVar[str] = "helpdesk.chat.ended"
    description: ClassVar[Any] = _("A web chat with a customer ended")

    conversation_id: int
    channel_id: int
    ended_by: str  # "visitor" or "agent"
    started_at: str
    ended_at: str
    duration_seconds: int
    visitor_messages: int
    agent_messages: int
    transcript: str

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        minutes = max(round(int(payload.get("duration_seconds") or 0) / 60), 1)
        count = int(payload.get("visitor_messages") or 0) + int(payload.get("agent_messages") or 0)
        first = (payload.get("transcript") or "").split("\n", 1)[0]
        _time, _sep, first = first.partition("] ")
        first = first if len(first) <= 80 else first[:79] + "…"
        return gettext(
            "Chat on ticket %(number)s ended: %(count)s messages in %(minutes)s min. %(first)s"
        ) % {
            "number": payload.get("number", ""),
            "count": count,
            "minutes": minutes,
            "first": first,
        }


@dataclass(frozen=True, kw_only=True)
class SatisfactionRated(TicketEvent):
    """The customer rated (or changed their rating of) a resolved ticket, 1 (bad) to 5."""

    type: ClassVar[str] = "helpdesk.satisfaction.rated"
    description: ClassVar[Any] = _("The customer rated how a ticket was handled")
    template: ClassVar[Any] = _("Ticket %(number)s was rated %(rating)s of 5")

    rating: int
    previous_rating: int | None
    queue_id: int
    has_comment: bool

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext(str(cls.template)) % {
            "number": payload.get("number", ""),
            "rating": payload.get("rating", ""),
        }
