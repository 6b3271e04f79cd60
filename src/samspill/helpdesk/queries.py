"""Read side of customer service: the inbox, a ticket with its conversation, the customer's
summary beside it, canned responses, search and the figures of the 360-degree view."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import queries as accounting
from samspill.helpdesk.models import (
    CHAT_LIVE_SECONDS,
    OPEN_STATUSES,
    CallLog,
    CannedResponse,
    ChatChannel,
    ChatConversation,
    InboundDelivery,
    InboundEndpoint,
    Mailbox,
    Message,
    Queue,
    SlaPolicy,
    Ticket,
)
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, restrict
from samspill.sales import queries as sales

BREACHING_SOON = timedelta(hours=4)
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\.([a-z_]+)\s*\}\}")


def ticket_list(user=None) -> QuerySet[Ticket]:
    return restrict(
        Ticket.objects.select_related("party", "queue", "assignee").defer("party__notes"),
        user,
        VIEW,
    )


INBOX_COLUMNS = (
    "number",
    "subject",
    "channel",
    "status",
    "priority",
    "next_due",
    "last_message_at",
    "party__name",
    "party__erased_at",
    "queue__name",
    "assignee__username",
    "assignee__first_name",
    "assignee__last_name",
)


def inbox_rows(user=None) -> QuerySet[Ticket]:
    """The inbox table's rows: only the columns it shows (a wide party row costs); a chat
    whose visitor is still connected is `chat_live`."""
    return ticket_list(user).only(*INBOX_COLUMNS).annotate(chat_live=chat_live_annotation())


def get_ticket(user, pk) -> Ticket:
    row = (
        ticket_list(user)
        .select_related("contact", "sla_policy", "merged_into")
        .filter(pk=pk)
        .first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise NotFound(_("There is no ticket with this id."), code="ticket_not_found")
    return row


def get_ticket_by_number(user, number: str) -> Ticket:
    row = ticket_list(user).filter(number=number).first()
    if row is None:
        raise NotFound(_("There is no ticket with this id."), code="ticket_not_found")
    return row


def conversation(ticket: Ticket) -> dict[str, list[Message]]:
    """Customer messages and replies (what the customer sees) apart from internal notes."""
    rows = list(ticket.messages.select_related("author").order_by("created_at", "id"))
    return {
        "all": rows,
        "customer": [m for m in rows if m.kind != Message.Kind.NOTE],
        "notes": [m for m in rows if m.kind == Message.Kind.NOTE],
    }


def last_customer_text(ticket: Ticket, limit: int = 2000) -> str:
    """What the customer wrote last (the question the knowledge base may answer)."""
    body = (
        ticket.messages.filter(kind=Message.Kind.CUSTOMER)
        .order_by("-created_at", "-id")
        .values_list("body", flat=True)
        .first()
    )
    return (body or "")[:limit]


def last_message_id(ticket: Ticket) -> int:
    return ticket.messages.order_by("-id").values_list("id", flat=True).first() or 0


def customer_summary(user, ticket: Ticket) -> dict[str, Any]:
    """Beside the conversation: the customer's other open tickets, recent orders (when the
    agent may see orders) and ledger balance (when the agent may see accounting)."""
    party = ticket.party
    summary: dict[str, Any] = {
        "party": party,
        "open_tickets": list(
            ticket_list(user)
            .filter(party=party, status__in=OPEN_STATUSES)
            .exclude(pk=ticket.pk)
            .order_by("-id")[:5]
        ),
        "orders": None,
        "balance": None,
    }
    if user is None or user.has_perm("sales.view_order"):
        summary["orders"] = sales.recent_orders(party, limit=5)
    if user is None or user.has_perm("accounting.view_journalentry"):
        summary["balance"] = accounting.party_balance(party.pk)
    return summary


def queues():
    return Queue.objects.select_related("team").order_by("name")


def sla_policies():
    return SlaPolicy.objects.select_related("queue", "party").order_by("name")


def canned_responses():
    return CannedResponse.objects.order_by("title")


def fill_placeholders(text: str, ticket: Ticket, agent=None) -> str:
    """`{{ customer.name }}`, `{{ contact.name }}`, `{{ ticket.number }}`,
    `{{ ticket.subject }}`, `{{ agent.name }}`; an unknown placeholder stays as it is."""
    contact = ticket.contact or ticket.party
    values = {
        ("customer", "name"): ticket.party.display_name,
        ("contact", "name"): contact.display_name,
        ("ticket", "number"): ticket.number,
        ("ticket", "subject"): ticket.subject,
        ("agent", "name"): (agent.get_full_name() or agent.get_username()) if agent else "",
    }
    return PLACEHOLDER.sub(lambda m: str(values.get((m.group(1), m.group(2)), m.group(0))), text)


def search(user, q: str, limit: int = 10) -> list[Ticket]:
    """Global search: by ticket number (its start, on the number's index) or subject."""
    from samspill.helpdesk.filters import TICKET_NUMBER

    q = (q or "").strip()
    if not q:
        return []
    rows = ticket_list(user)
    if TICKET_NUMBER.match(q):
        rows = rows.filter(number__startswith=q.upper())
    else:
        rows = rows.filter(subject__icontains=q)
    return list(rows.order_by("-id")[:limit])


def party_figures(party) -> dict[str, int]:
    row = Ticket.objects.filter(party=party).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        breached=Count("pk", filter=Q(status__in=OPEN_STATUSES, next_due__lt=timezone.now())),
    )
    return {"open": row["open"], "breached": row["breached"]}


def recent_tickets(party, limit: int = 10) -> list[Ticket]:
    return list(Ticket.objects.filter(party=party).select_related("queue").order_by("-id")[:limit])


# --- Channels: calls, webhook endpoints; the settings pages -----------------------------------


def calls(user=None) -> QuerySet:
    return restrict(
        CallLog.objects.select_related("ticket", "agent", "party").order_by("-started_at", "-id"),
        user,
        VIEW,
    )


def ticket_calls(ticket: Ticket) -> list:
    return list(
        CallLog.objects.filter(ticket=ticket).select_related("agent").order_by("started_at", "id")
    )


def conversation_items(ticket: Ticket, talk: dict[str, list[Message]], calls_: list) -> list:
    """What the customer wrote, our replies and the phone calls, oldest first."""
    items: list[Any] = [*talk["customer"], *calls_]
    return sorted(
        items, key=lambda item: item.started_at if isinstance(item, CallLog) else item.created_at
    )


def mailboxes():
    return Mailbox.objects.select_related("queue").order_by("queue__name", "username", "id")


def inbound_endpoints():
    return InboundEndpoint.objects.select_related("queue").order_by("name")


def inbound_deliveries(limit: int = 20) -> list:
    return list(
        InboundDelivery.objects.select_related("endpoint", "ticket").order_by("-id")[:limit]
    )


# --- Web chat ----------------------------------------------------------------------------------


def chat_live_annotation():
    """True for a chat ticket whose visitor's widget polled recently (and the chat is on)."""
    since = timezone.now() - timedelta(seconds=CHAT_LIVE_SECONDS)
    return Case(
        When(Q(chat__ended_at__isnull=True, chat__visitor_seen_at__gte=since), then=True),
        default=False,
        output_field=BooleanField(),
    )


def chat_channels() -> QuerySet[ChatChannel]:
    return ChatChannel.objects.select_related("queue").order_by("name")


def chat_conversation(ticket: Ticket) -> ChatConversation | None:
    return ChatConversation.objects.filter(ticket=ticket).first()


def chat_messages_after(ticket: Ticket, after: int) -> list[Message]:
    """For the agent's ticket page: what was written since `after` (notes too)."""
    return list(
        ticket.messages.filter(pk__gt=max(after, 0)).select_related("author").order_by("id")
    )
