"""Customer service: queues (per team, with opening hours and mailboxes), SLA policies, tickets
with their conversation (customer messages, agent replies, internal notes) and links to other
records. Status, due times and numbers are written by the services only."""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Bootstrap colours of the status and priority badges.
BADGES = {
    "new": "primary",
    "open": "info",
    "pending_customer": "warning",
    "pending_internal": "secondary",
    "resolved": "success",
    "closed": "dark",
    "low": "light",
    "normal": "secondary",
    "high": "warning",
    "urgent": "danger",
}


class Queue(models.Model):
    """Where tickets wait for a team: its opening hours are the business hours of the SLA."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    team = models.ForeignKey(
        "organization.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(
        _("email"), blank=True, help_text=_("The address customers write to.")
    )
    opens_at = models.TimeField(_("opens at"), default=time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=time(16, 0))
    # ISO weekdays the team works, 1 = Monday ... 7 = Sunday, e.g. "12345".
    workdays = models.CharField(_("working days"), max_length=7, default="12345")
    is_default = models.BooleanField(_("default queue"), default=False)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="helpdesk_queue_opens_before_closing",
                violation_error_message=_("The queue must open before it closes."),
            ),
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="helpdesk_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Mailbox(models.Model):
    """An IMAP mailbox polled for a queue. `last_uid` (with `uid_validity`) remembers what
    has been imported, so nothing is imported twice."""

    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.CASCADE, related_name="mailboxes"
    )
    host = models.CharField(_("server"), max_length=200)
    port = models.PositiveIntegerField(_("port"), default=993)
    use_ssl = models.BooleanField(_("TLS"), default=True)
    username = models.CharField(_("user name"), max_length=200)
    # Fernet-encrypted (helpdesk.crypto); read and write it through `password`.
    password_encrypted = models.TextField(_("password"), blank=True)
    folder = models.CharField(_("folder"), max_length=100, default="INBOX")
    is_active = models.BooleanField(_("active"), default=True)
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["queue", "username"]

    def __str__(self) -> str:
        return f"{self.username}@{self.host}/{self.folder}"

    @property
    def password(self) -> str:
        from samspill.helpdesk.crypto import decrypt

        return decrypt(self.password_encrypted)

    @password.setter
    def password(self, value: str) -> None:
        from samspill.helpdesk.crypto import encrypt

        self.password_encrypted = encrypt(value or "")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class SlaPolicy(models.Model):
    """Targets in business hours. The most specific matching policy applies: customer before
    queue before priority; an empty field matches anything."""

    name = models.CharField(_("name"), max_length=100)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), null=True, blank=True, on_delete=models.CASCADE
    )
    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    first_response_hours = models.DecimalField(
        _("first response (business hours)"), max_digits=6, decimal_places=2
    )
    resolution_hours = models.DecimalField(
        _("resolution (business hours)"), max_digits=6, decimal_places=2
    )
    warning_percent = models.PositiveIntegerField(_("warning at percent of the target"), default=80)

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(first_response_hours__gt=0) & Q(resolution_hours__gt=0),
                name="helpdesk_sla_positive_targets",
                violation_error_message=_("Targets must be more than zero hours."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    WEB_FORM = "web_form", _("Web form")
    PHONE = "phone", _("Phone")
    API = "api", _("API")
    SMS = "sms", _("SMS")
    MESSAGING = "messaging", _("Messaging")


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        OPEN = "open", _("Open")
        PENDING_CUSTOMER = "pending_customer", _("Pending customer")
        PENDING_INTERNAL = "pending_internal", _("Pending internal")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    number = models.CharField(_("number"), max_length=20, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "parties.Party",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    customer_email = models.EmailField(_("customer email"), blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="tickets"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    sla_policy = models.ForeignKey(
        SlaPolicy,
        verbose_name=_("SLA policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    # The earliest open target: what "breaching soon" sorts and filters on.
    next_due = models.DateTimeField(_("next due"), null=True, blank=True)
    # When the housekeeping job warns that the next target is near (warning_percent of it).
    warn_at = models.DateTimeField(null=True, blank=True)
    sla_warned_at = models.DateTimeField(null=True, blank=True)
    sla_breached_at = models.DateTimeField(_("SLA breached"), null=True, blank=True)
    # The resolution clock stops while the ticket waits for the customer: since when, and
    # the business seconds of earlier waits (the resolution target moves out by them).
    sla_paused_at = models.DateTimeField(_("SLA paused since"), null=True, blank=True)
    sla_paused_seconds = models.PositiveIntegerField(_("SLA paused (business seconds)"), default=0)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-id"]
        permissions = [
            ("reply_ticket", "Can answer customers on tickets"),
            ("merge_ticket", "Can merge and split tickets"),
        ]
        indexes = [
            models.Index(fields=["status", "-id"], name="helpdesk_ticket_status"),
            models.Index(fields=["assignee", "status"], name="helpdesk_ticket_assignee"),
            models.Index(fields=["queue", "status"], name="helpdesk_ticket_queue"),
            models.Index(fields=["party", "status"], name="helpdesk_ticket_party"),
            models.Index(fields=["next_due"], name="helpdesk_ticket_next_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:ticket_detail", args=[self.pk])

    @property
    def status_badge(self) -> str:
        return BADGES.get(self.status, "secondary")

    @property
    def priority_badge(self) -> str:
        return BADGES.get(self.priority, "secondary")

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.RESOLVED, self.Status.CLOSED)


OPEN_STATUSES = (
    Ticket.Status.NEW,
    Ticket.Status.OPEN,
    Ticket.Status.PENDING_CUSTOMER,
    Ticket.Status.PENDING_INTERNAL,
)


class Message(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", _("From the customer")
        REPLY = "reply", _("Reply to the customer")
        NOTE = "note", _("Internal note")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="messages"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    to = models.CharField(_("to"), max_length=1000, blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"))
    body_html = models.TextField(_("HTML (sanitised)"), blank=True)
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=300, blank=True)
    references = models.TextField(blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="helpdesk_message_ticket")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.get_kind_display()}"


class TicketLink(models.Model):
    """A ticket is about another record: an order, an invoice, a delivery ..."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="links"
    )
    record = models.CharField(_("record"), max_length=120)  # "sales.order:12"
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("linked record")
        verbose_name_plural = _("linked records")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "record"], name="helpdesk_link_unique")
        ]

    def __str__(self) -> str:
        return self.record


class CannedResponse(models.Model):
    """A prepared answer; `{{ customer.name }}`, `{{ ticket.number }}`, `{{ agent.name }}` are
    filled in when it is used."""

    title = models.CharField(_("title"), max_length=100, unique=True)
    body = models.TextField(_("text"))

    class Meta:
        verbose_name = _("canned response")
        verbose_name_plural = _("canned responses")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CallLog(models.Model):
    """A phone call about a ticket: inbound or outbound, how it went and what was said."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound")
        OUTBOUND = "outbound", _("Outbound")

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Answered")
        VOICEMAIL = "voicemail", _("Voicemail")
        MISSED = "missed", _("Missed")
        CALLBACK = "callback", _("Callback requested")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="calls"
    )
    message = models.ForeignKey(
        Message,
        verbose_name=_("message"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="calls",
    )
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    phone = models.CharField(_("phone number"), max_length=40)
    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("caller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    notes = models.TextField(_("notes"), blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The telephony system's id of the call: posting it again updates this log.
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="helpdesk_call_external_id_unique",
            )
        ]
        indexes = [models.Index(fields=["ticket", "started_at"], name="helpdesk_call_ticket")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.phone}"

    @property
    def duration_display(self) -> str:
        minutes, seconds = divmod(self.duration_seconds, 60)
        return f"{minutes}:{seconds:02d}"


class InboundEndpoint(models.Model):
    """An inbound webhook for an SMS or messaging provider: POST
    /api/v1/helpdesk/inbound/<slug>, signed with HMAC-SHA256 of the body under `secret`.
    `mapping` names where the fields are in the provider's JSON (dotted paths)."""

    MAPPING_KEYS = ("phone", "email", "name", "text", "external_id", "thread_id")

    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("address name"), max_length=50, unique=True)
    # Fernet-encrypted (helpdesk.crypto); read and write it through `secret`.
    secret_encrypted = models.TextField(_("secret"), blank=True)
    signature_header = models.CharField(
        _("signature header"), max_length=100, default="X-Signature"
    )
    mapping = models.JSONField(_("field mapping"), default=dict, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default="sms")
    queue = models.ForeignKey(
        Queue,
        verbose_name=_("queue"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_received_at = models.DateTimeField(_("last received"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def secret(self) -> str:
        from samspill.helpdesk.crypto import decrypt

        return decrypt(self.secret_encrypted)

    @secret.setter
    def secret(self, value: str) -> None:
        from samspill.helpdesk.crypto import encrypt

        self.secret_encrypted = encrypt(value or "")


class InboundDelivery(models.Model):
    """What an endpoint received: accepted (with the ticket it landed on), or rejected and
    why (bad signature, unreadable body ...). Accepted external ids are unique per endpoint."""

    class Result(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        DUPLICATE = "duplicate", _("Duplicate")
        REJECTED = "rejected", _("Rejected")

    endpoint = models.ForeignKey(
        InboundEndpoint,
        verbose_name=_("webhook endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    result = models.CharField(_("result"), max_length=10, choices=Result.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    external_id = models.CharField(_("external id"), max_length=200, blank=True)
    thread_id = models.CharField(_("thread id"), max_length=200, blank=True)
    sender = models.CharField(_("sender"), max_length=254, blank=True)
    ticket = models.ForeignKey(
        Ticket,
        verbose_name=_("ticket"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    remote_addr = models.CharField(_("address"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["endpoint", "external_id"],
                condition=Q(result="accepted") & ~Q(external_id=""),
                name="helpdesk_delivery_external_id_unique",
            )
        ]
        indexes = [
            models.Index(fields=["endpoint", "thread_id"], name="helpdesk_delivery_thread"),
            models.Index(fields=["endpoint", "sender"], name="helpdesk_delivery_sender"),
        ]

    def __str__(self) -> str:
        return f"{self.endpoint_id}: {self.result}"


# --- Web chat ----------------------------------------------------------------------------------


class ChatChannel(models.Model):
    """The chat widget of one website: one script tag with the channel's `key`. Messages go
    to `queue`; only pages on `allowed_origins` may talk to it (CORS)."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(_("key"), max_length=40, unique=True, editable=False)
    queue = models.ForeignKey(
        Queue, verbose_name=_("queue"), on_delete=models.PROTECT, related_name="chat_channels"
    )
    allowed_origins = models.TextField(
        _("allowed websites"),
        blank=True,
        help_text=_("One address per line, e.g. https://www.firma.no"),
    )
    greeting = models.TextField(_("greeting"), blank=True)
    offline_message = models.TextField(_("message outside opening hours"), blank=True)
    require_email = models.BooleanField(_("ask for the e-mail address"), default=True)
    follow_opening_hours = models.BooleanField(
        _("offline outside the queue's opening hours"), default=True
    )
    # No agent seen on a page of the service inbox in this many minutes: offline. 0: ignore.
    agent_idle_minutes = models.PositiveIntegerField(
        _("offline after minutes without an agent"), default=15
    )
    is_active = models.BooleanField(_("active"), default=True)
    agent_seen_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat channel")
        verbose_name_plural = _("chat channels")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:chat_channel", args=[self.pk])

    @property
    def origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.allowed_origins.split() if o.strip()]


# The widget polls every 2-3 s: a visitor unseen this long has left the chat.
CHAT_LIVE_SECONDS = 45


class ChatConversation(models.Model):
    """A visitor's chat: one ticket (channel chat). The visitor holds a signed token of
    `public_id`; ticket ids are never shown to them."""

    class EndedBy(models.TextChoices):
        VISITOR = "visitor", _("The visitor")
        AGENT = "agent", _("An agent")

    public_id = models.UUIDField(unique=True, editable=False)
    channel = models.ForeignKey(
        ChatChannel, verbose_name=_("chat channel"), on_delete=models.PROTECT, related_name="+"
    )
    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="chat"
    )
    visitor_name = models.CharField(_("name"), max_length=100, blank=True)
    visitor_email = models.EmailField(_("email"), blank=True)
    page_url = models.CharField(_("page"), max_length=500, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    offline = models.BooleanField(_("left outside opening hours"), default=False)
    started_at = models.DateTimeField(_("started"))
    # The visitor's widget asks for news every few seconds: connected while this is recent.
    visitor_seen_at = models.DateTimeField(_("visitor last seen"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.CharField(_("ended by"), max_length=10, choices=EndedBy.choices, blank=True)

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.channel}: {self.ticket_id}"


CSAT_SCALE = (1, 2, 3, 4, 5)


class Satisfaction(models.Model):
    """The customer's answer to the satisfaction survey (CSAT) of a resolved ticket: one per
    ticket, asked when it is resolved, changeable for a few days after it is first given.
    Written by helpdesk.services.csat only."""

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="satisfaction"
    )
    requested_at = models.DateTimeField(_("survey sent"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="helpdesk_satisfaction_rating_1_to_5",
                violation_error_message=_("A rating is from 1 to 5."),
            )
        ]
        indexes = [models.Index(fields=["rated_at"], name="helpdesk_satisfaction_rated")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating or '-'}"
