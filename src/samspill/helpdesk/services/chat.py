"""The web chat channel: the widget's visitor starts a conversation (a ticket of channel
chat), writes and polls for the agents' replies; agents answer from the ticket page. The
visitor is known only by a signed token of the conversation's random `public_id` (kept in
the browser's localStorage), never by a ticket id. Outside the queue's opening hours, or when
no agent was seen for a while, the widget asks for an e-mail address and replies go by
e-mail; so do replies to a visitor who has left. When the chat ends (the visitor ends it, or
the ticket is resolved or closed) `helpdesk.chat.ended` carries a summary of the transcript
to the customer's timeline."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.helpdesk import events
from samspill.helpdesk.businesshours import OpeningHours
from samspill.helpdesk.models import (
    CHAT_LIVE_SECONDS,
    Channel,
    ChatChannel,
    ChatConversation,
    Message,
    Queue,
    Ticket,
)
from samspill.helpdesk.services.common import check, raise_if
from samspill.helpdesk.services.tickets import add_customer_message, open_ticket
from samspill.parties import services as party_services
from samspill.platform import audit
from samspill.platform.errors import Conflict, DomainError, NotFound
from samspill.platform.events import publish

TOKEN_SALT = "samspill.helpdesk.chat"  # noqa: S105 - a signing salt
MAX_MESSAGE = 4000
MAX_NAME = 100
MAX_PAGE_URL = 500
MAX_GREETING = 1000
MAX_ORIGINS = 20
LIVE_SECONDS = CHAT_LIVE_SECONDS
# visitor_seen_at is written at most this often (polls are frequent).
SEEN_EVERY = timedelta(seconds=10)
AGENT_SEEN_EVERY = timedelta(seconds=30)
# Rate limits (per window): new conversations per address, messages and polls per chat.
LIMITS = {
    "start": (5, 600),
    "message": (20, 60),
    "poll": (90, 60),
}
TRANSCRIPT_CHARS = 4000
VISITOR_KINDS = (Message.Kind.CUSTOMER, Message.Kind.REPLY)


class ChatTokenInvalid(DomainError):
    """The token is not ours, belongs to another chat channel or its chat is gone."""

    status = 403
    code = "chat_token_invalid"
    title = gettext_lazy("Unknown chat")


class OriginNotAllowed(DomainError):
    status = 403
    code = "origin_not_allowed"
    title = gettext_lazy("Website not allowed")


class ChatEnded(Conflict):
    code = "chat_ended"


class ChatRateLimited(DomainError):
    status = 429
    code = "rate_limited"
    title = gettext_lazy("Too many requests")

    def __init__(self, message=None, *, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)

    @property
    def extra(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after}


# --- Setup (management) -------------------------------------------------------------------------


def _clean_origins(value, errors) -> str:
    lines = [o.strip().rstrip("/") for o in str(value or "").split() if o.strip()]
    cleaned: list[str] = []
    for origin in lines:
        scheme, sep, rest = origin.partition("://")
        if scheme not in ("http", "https") or not sep or not rest or "/" in rest:
            errors.setdefault("allowed_origins", []).append(
                _("%(origin)s is not a website address like https://www.firma.no.")
                % {"origin": origin[:100]}
            )
            continue
        if origin.lower() not in cleaned:
            cleaned.append(origin.lower())
    if len(cleaned) > MAX_ORIGINS:
        errors.setdefault("allowed_origins", []).append(
            _("At most %(max)s websites.") % {"max": MAX_ORIGINS}
        )
    return "\n".join(cleaned)


CHANNEL_FIELDS = (
    "name",
    "queue",
    "allowed_origins",
    "greeting",
    "offline_message",
    "require_email",
    "follow_opening_hours",
    "agent_idle_minutes",
    "is_active",
)


def _apply(channel: ChatChannel, data: dict[str, Any]) -> None:
    errors: dict[str, list[str]] = {}
    unknown = sorted(set(data) - set(CHANNEL_FIELDS))
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(names)s") % {"names": ", ".join(unknown)}]
    if "name" in data:
        channel.name = " ".join(str(data["name"] or "").split())[:100]
        if not channel.name:
            errors.setdefault("name", []).append(_("Give the chat a name."))
    if "queue" in data:
        pk = getattr(data["queue"], "pk", data["queue"])
        queue = Queue.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
        if queue is None:
            errors.setdefault("queue", []).append(_("There is no queue with this id."))
        else:
            channel.queue = queue
    if "allowed_origins" in data:
        channel.allowed_origins = _clean_origins(data["allowed_origins"], errors)
    for field in ("greeting", "offline_message"):
        if field in data:
            text = str(data[field] or "").strip()
            if len(text) > MAX_GREETING:
                errors.setdefault(field, []).append(_("The text is too long."))
            setattr(channel, field, text)
    for field in ("require_email", "follow_opening_hours", "is_active"):
        if field in data and data[field] is not None:
            setattr(channel, field, bool(data[field]))
    if "agent_idle_minutes" in data and data["agent_idle_minutes"] is not None:
        try:
            minutes = int(data["agent_idle_minutes"])
        except (TypeError, ValueError):
            minutes = -1
        if not 0 <= minutes <= 24 * 60:
            errors.setdefault("agent_idle_minutes", []).append(
                _("Give a number of minutes from 0 to 1440.")
            )
        else:
            channel.agent_idle_minutes = minutes
    if not channel.queue_id and "queue" not in errors:
        errors.setdefault("queue", []).append(_("Choose a queue."))
    raise_if(errors)


@transaction.atomic
def create_chat_channel(*, actor, **data) -> ChatChannel:
    """A chat widget for one or more websites; its key goes in the script tag."""
    check(actor, "helpdesk.add_chatchannel")
    channel = ChatChannel(key=secrets.token_urlsafe(18))
    data.setdefault("name", "")
    data.setdefault("queue", None)
    _apply(channel, data)
    channel.save()
    audit.record("create", channel, actor=actor, changes=audit.diff({}, audit.snapshot(channel)))
    return channel


@transaction.atomic
def update_chat_channel(channel: ChatChannel, *, actor, **changes) -> ChatChannel:
    check(actor, "helpdesk.change_chatchannel")
    channel = ChatChannel.objects.select_for_update().get(pk=channel.pk)
    before = audit.snapshot(channel)
    _apply(channel, changes)
    channel.save()
    diff = audit.diff(before, audit.snapshot(channel))
    audit.record("update", channel, actor=actor, changes=diff)
    return channel


# --- The widget's side (public, no login) -------------------------------------------------------


def active_channel(key: str) -> ChatChannel:
    channel = (
        ChatChannel.objects.select_related("queue").filter(key=key or "", is_active=True).first()
        if key and len(key) <= 40
        else None
    )
    if channel is None:
        raise NotFound(_("There is no active chat with this key."), code="unknown_chat")
    return channel


def origin_allowed(channel: ChatChannel, origin: str, own_origin: str = "") -> bool:
    """A request without Origin (not from a browser page) is allowed; a page's origin must be
    one of the channel's websites or Samspill itself (the preview page)."""
    if not origin:
        return True
    origin = origin.rstrip("/").lower()
    return origin in channel.origins or bool(own_origin and origin == own_origin.lower())


def check_origin(channel: ChatChannel, origin: str, own_origin: str = "") -> None:
    if not origin_allowed(channel, origin, own_origin):
        raise OriginNotAllowed(_("This website may not use this chat."))


def is_online(channel: ChatChannel, now: datetime | None = None) -> bool:
    """Open (within the queue's opening hours, unless the channel ignores them) and an agent
    was seen in the service inbox within `agent_idle_minutes` (0: not checked)."""
    now = now or timezone.now()
    if channel.follow_opening_hours:
        hours = OpeningHours.of(channel.queue)
        local = now.astimezone(hours.tz)
        interval = hours.interval(local.date())
        if interval is None or not interval[0] <= now < interval[1]:
            return False
    if channel.agent_idle_minutes:
        seen = channel.agent_seen_at
        if seen is None or now - seen > timedelta(minutes=channel.agent_idle_minutes):
            return False
    return True


def widget_config(channel: ChatChannel) -> dict[str, Any]:
    return {
        "name": channel.name,
        "greeting": channel.greeting,
        "offline_message": channel.offline_message,
        "online": is_online(channel),
        "require_email": channel.require_email,
        "max_length": MAX_MESSAGE,
    }


def _limit(kind: str, who: str) -> None:
    limit, window = getattr(settings, "HELPDESK_CHAT_LIMITS", {}).get(kind, LIMITS[kind])
    key = f"helpdesk:chat:{kind}:{who or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise ChatRateLimited(
            _("Too many messages in a short time. Wait a moment and try again."),
            retry_after=window,
        )


def token_for(conversation: ChatConversation) -> str:
    return signing.dumps(
        {"c": str(conversation.public_id), "k": conversation.channel.key}, salt=TOKEN_SALT
    )


def conversation_for(channel: ChatChannel, token: str) -> ChatConversation:
    """The visitor's conversation on this channel, by their token; anything else: 403."""
    invalid = ChatTokenInvalid(_("This chat is unknown. Start a new one."))
    if not token or len(token) > 500:
        raise invalid
    try:
        data = signing.loads(token, salt=TOKEN_SALT)
        public_id = uuid.UUID(str(data["c"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    if data.get("k") != channel.key:
        raise invalid
    conversation = (
        ChatConversation.objects.select_related("ticket", "channel")
        .filter(public_id=public_id, channel=channel)
        .first()
    )
    if conversation is None:
        raise invalid
    return conversation


def _clean_text(value: str, errors) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if not text:
        errors.setdefault("message", []).append(_("Write a message."))
    elif len(text) > MAX_MESSAGE:
        errors.setdefault("message", []).append(
            _("The message is too long (at most %(max)s characters).") % {"max": MAX_MESSAGE}
        )
    return text


def _subject(text: str) -> str:
    first = " ".join(text.split("\n", 1)[0].split())
    return first[:80] + ("…" if len(first) > 80 else "")


@dataclass
class Started:
    conversation: ChatConversation
    token: str
    message: Message


@transaction.atomic
def start_conversation(
    channel: ChatChannel,
    *,
    message: str,
    name: str = "",
    email: str = "",
    page_url: str = "",
    language: str = "",
    client: str = "",
) -> Started:
    """The visitor's first message opens a ticket (channel chat) in the channel's queue; the
    customer is found or created by e-mail as for mail. Offline (or when the channel asks for
    it) the e-mail address is required: the answer may come by e-mail."""
    _limit("start", f"{channel.pk}:{client}")
    errors: dict[str, list[str]] = {}
    text = _clean_text(message, errors)
    name = " ".join((name or "").split())[:MAX_NAME]
    email = (email or "").strip().lower()
    now = timezone.now()
    online = is_online(channel, now)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault("email", []).append(_("Enter a valid email address."))
    elif channel.require_email or not online:
        errors.setdefault("email", []).append(_("Give your e-mail address, so we can answer you."))
    raise_if(errors)
    party = None
    if not email:
        party = party_services.create_person(
            actor=None,
            first_name=name or _("Chat visitor"),
            roles=["customer"],
            force=True,
        )
    ticket = open_ticket(
        actor=None,
        subject=_subject(text),
        body=text,
        channel=Channel.CHAT,
        party=party,
        email=email,
        name=name,
        queue=channel.queue,
        at=now,
    )
    conversation = ChatConversation.objects.create(
        public_id=uuid.uuid4(),
        channel=channel,
        ticket=ticket,
        visitor_name=name,
        visitor_email=email,
        page_url=(page_url or "")[:MAX_PAGE_URL],
        language=(language or "")[:10],
        offline=not online,
        started_at=now,
        visitor_seen_at=now,
    )
    return Started(conversation, token_for(conversation), ticket.first_message)  # type: ignore[attr-defined]


def _open(conversation: ChatConversation) -> None:
    if conversation.ended_at is not None or conversation.ticket.status == Ticket.Status.CLOSED:
        raise ChatEnded(_("This chat has ended. Write again to start a new one."))


@transaction.atomic
def visitor_write(conversation: ChatConversation, *, message: str) -> Message:
    """A further message of the visitor: the ticket's next customer message."""
    _limit("message", str(conversation.public_id))
    errors: dict[str, list[str]] = {}
    text = _clean_text(message, errors)
    raise_if(errors)
    _open(conversation)
    now = timezone.now()
    written = add_customer_message(
        conversation.ticket,
        actor=None,
        body=text,
        channel=Channel.CHAT,
        from_email=conversation.visitor_email,
        at=now,
    )
    ChatConversation.objects.filter(pk=conversation.pk).update(visitor_seen_at=now)
    return written


def visitor_messages(conversation: ChatConversation, after: int = 0) -> list[dict[str, Any]]:
    """What the visitor may see: their own messages and the replies, never internal notes."""
    rows = (
        Message.objects.filter(
            ticket=conversation.ticket, kind__in=VISITOR_KINDS, pk__gt=max(int(after or 0), 0)
        )
        .select_related("author")
        .order_by("id")[:200]
    )
    return [
        {
            "id": m.pk,
            "who": "visitor" if m.kind == Message.Kind.CUSTOMER else "agent",
            "name": (
                conversation.visitor_name
                if m.kind == Message.Kind.CUSTOMER
                else (m.author.first_name or m.author.get_username())
                if m.author
                else ""
            ),
            "text": m.body,
            "at": m.created_at,
        }
        for m in rows
    ]


def visitor_poll(conversation: ChatConversation, *, after: int = 0) -> dict[str, Any]:
    """New messages after the cursor; the visitor counts as connected (a "live" chat)."""
    _limit("poll", str(conversation.public_id))
    now = timezone.now()
    if conversation.ended_at is None and now - conversation.visitor_seen_at > SEEN_EVERY:
        ChatConversation.objects.filter(pk=conversation.pk).update(visitor_seen_at=now)
    return {
        "messages": visitor_messages(conversation, after),
        "ended": conversation.ended_at is not None
        or conversation.ticket.status == Ticket.Status.CLOSED,
    }


def is_connected(conversation: ChatConversation, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return conversation.ended_at is None and (
        now - conversation.visitor_seen_at < timedelta(seconds=LIVE_SECONDS)
    )


def reply_by_email(ticket: Ticket) -> bool:
    """A reply on a chat ticket goes by e-mail when the visitor is no longer in the chat and
    gave an address (offline messages, a visitor who left)."""
    if ticket.channel != Channel.CHAT or not ticket.customer_email:
        return False
    conversation = ChatConversation.objects.filter(ticket=ticket).first()
    return conversation is not None and not is_connected(conversation)


# --- The end of a chat --------------------------------------------------------------------------


def _transcript(conversation: ChatConversation) -> tuple[str, int, int]:
    lines, visitor, agent = [], 0, 0
    for m in visitor_messages(conversation):
        if m["who"] == "visitor":
            visitor += 1
            who = m["name"] or _("Visitor")
        else:
            agent += 1
            who = m["name"] or _("Agent")
        at = timezone.localtime(m["at"]).strftime("%H:%M")
        lines.append(f"[{at}] {who}: {m['text']}")
    text = "\n".join(lines)
    if len(text) > TRANSCRIPT_CHARS:
        text = text[: TRANSCRIPT_CHARS - 1] + "…"
    return text, visitor, agent


@transaction.atomic
def end_conversation(conversation: ChatConversation, *, by: str, actor=None) -> ChatConversation:
    """The chat is over (the visitor ended it, or the agent resolved or closed the ticket):
    `helpdesk.chat.ended` with the transcript. Ending twice changes nothing."""
    conversation = (
        ChatConversation.objects.select_for_update(of=("self",))
        .select_related("ticket", "channel")
        .get(pk=conversation.pk)
    )
    if conversation.ended_at is not None:
        return conversation
    now = timezone.now()
    conversation.ended_at = now
    conversation.ended_by = by
    conversation.save(update_fields=["ended_at", "ended_by"])
    transcript, visitor, agent = _transcript(conversation)
    ticket = conversation.ticket
    publish(
        events.ChatEnded(
            ticket_id=ticket.pk,
            number=ticket.number,
            party_id=ticket.party_id,
            conversation_id=conversation.pk,
            channel_id=conversation.channel_id,
            ended_by=by,
            started_at=conversation.started_at.isoformat(),
            ended_at=now.isoformat(),
            duration_seconds=int((now - conversation.started_at).total_seconds()),
            visitor_messages=visitor,
            agent_messages=agent,
            transcript=transcript,
        ),
        actor=actor,
    )
    return conversation


def visitor_end(conversation: ChatConversation) -> ChatConversation:
    return end_conversation(conversation, by=ChatConversation.EndedBy.VISITOR)


def ticket_done(ticket: Ticket, actor) -> None:
    """Called when a chat ticket is resolved, closed or merged into another: its live chat
    ends (a merged ticket's history is not shown to a visitor of the other one)."""
    conversation = ChatConversation.objects.filter(ticket_id=ticket.pk, ended_at=None).first()
    if conversation is not None:
        end_conversation(conversation, by=ChatConversation.EndedBy.AGENT, actor=actor)


# --- Agents -------------------------------------------------------------------------------------


def agent_seen(user, now: datetime | None = None) -> None:
    """An agent has the service inbox or a chat open: the chat channels are staffed. Written
    at most every 30 seconds."""
    if user is None or not user.has_perm("helpdesk.reply_ticket"):
        return
    now = now or timezone.now()
    from django.db.models import Q

    ChatChannel.objects.filter(
        Q(agent_seen_at__isnull=True) | Q(agent_seen_at__lt=now - AGENT_SEEN_EVERY)
    ).update(agent_seen_at=now)
