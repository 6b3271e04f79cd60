"""/api/v1/helpdesk: thin adapters over `services` and `queries`. Every write is one service
call (one transaction), so a failed request writes nothing; errors are problem+json
(a reply that collides with a newer message: 409 `reply_collision`)."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from samspill.helpdesk import queries, services
from samspill.helpdesk.filters import TicketFilterSet
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["helpdesk"])

StatusName = Literal["new", "open", "pending_customer", "pending_internal", "resolved", "closed"]
ChannelName = Literal["email", "chat", "web_form", "phone", "api", "sms", "messaging"]
PriorityName = Literal["low", "normal", "high", "urgent"]


class TicketOut(Schema):
    id: int
    number: str
    subject: str
    channel: str
    status: str
    priority: str
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    contact_id: int | None
    customer_email: str
    queue_id: int
    assignee_id: int | None
    tags: list[str] = []
    first_response_due: datetime | None
    resolution_due: datetime | None
    next_due: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    merged_into_id: int | None
    last_message_at: datetime | None
    created_at: datetime


class TicketMessageOut(Schema):
    id: int
    kind: str
    author_id: int | None
    from_email: str
    to: str
    subject: str
    body: str
    body_html: str = Field(..., description="Sanitised with nh3; show it in a sandbox anyway.")
    message_id: str
    in_reply_to: str
    channel: str
    created_at: datetime


class TicketFilters(Schema):
    q: str | None = Field(None, description="Number, subject, customer or e-mail")
    view: Literal["open", "mine", "unassigned", "breaching", "all"] | None = Field(
        None, description="Nothing narrowing given: the open tickets."
    )
    status: StatusName | None = None
    queue: int | None = None
    channel: ChannelName | None = None
    priority: PriorityName | None = None
    party: int | None = None
    tag: str | None = None


class TicketIn(Schema):
    subject: str = Field(..., max_length=300)
    body: str = Field(..., max_length=200_000)
    channel: ChannelName = "api"
    party_id: int | None = None
    contact_id: int | None = None
    email: str = Field("", max_length=254, description="Finds or creates the customer.")
    name: str = Field("", max_length=200)
    queue_id: int | None = None
    priority: PriorityName = "normal"
    assignee_id: int | None = None
    tags: list[str] = Field(default_factory=list, max_length=20)


class TicketPatch(Schema):
    subject: str | None = Field(None, max_length=300)
    priority: PriorityName | None = None
    tags: list[str] | None = Field(None, max_length=20)
    party_id: int | None = None


class TicketReplyIn(Schema):
    body: str = Field(..., max_length=200_000)
    last_seen_message_id: int | None = Field(
        None, description="The newest message you saw; a newer one gives 409 reply_collision."
    )
    status: Literal["open", "pending_customer", "pending_internal", "resolved"] = "pending_customer"


class TicketNoteIn(Schema):
    body: str = Field(..., max_length=200_000)


class TicketAssignIn(Schema):
    assignee_id: int | None = None
    queue_id: int | None = None


class TicketLinkIn(Schema):
    record: str = Field(..., description="<app>.<model>:<id>, e.g. sales.order:12")


class TicketLinkOut(Schema):
    id: int
    record: str
    title: str


class TicketMergeIn(Schema):
    into_id: int = Field(..., description="The ticket that is kept.")


class TicketSplitIn(Schema):
    subject: str = Field("", max_length=300)


class HelpdeskQueueOut(Schema):
    id: int
    name: str
    email: str
    team_id: int | None
    opens_at: str
    closes_at: str
    workdays: str

    @staticmethod
    def resolve_opens_at(obj) -> str:
        return obj.opens_at.strftime("%H:%M")

    @staticmethod
    def resolve_closes_at(obj) -> str:
        return obj.closes_at.strftime("%H:%M")


class HelpdeskSlaPolicyOut(Schema):
    id: int
    name: str
    priority: str
    queue_id: int | None
    party_id: int | None
    first_response_hours: float
    resolution_hours: float
    warning_percent: int


class CannedResponseOut(Schema):
    id: int
    title: str
    body: str


def _ticket(request, ticket_id: int):
    return queries.get_ticket(request.user, ticket_id)


@router.get("/tickets", response=list[TicketOut], summary="The inbox: tickets across channels")
@paginate
def list_tickets(request, filters: Query[TicketFilters]):
    require(request.user, "helpdesk.view_ticket")
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = TicketFilterSet(data, queryset=queries.ticket_list(request.user), request=request)
    if not filterset.is_valid():
        raise ValidationFailed(errors={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.order_by("-id")


@router.post("/tickets", response={201: TicketOut}, summary="Open a ticket")
def create_ticket(request, payload: TicketIn):
    ticket = services.open_ticket(
        actor=request.user,
        subject=payload.subject,
        body=payload.body,
        channel=payload.channel,
        party=payload.party_id,
        contact=payload.contact_id,
        email=payload.email,
        name=payload.name,
        queue=payload.queue_id,
        priority=payload.priority,
        assignee=payload.assignee_id,
        tags=payload.tags,
    )
    return Status(201, _ticket(request, ticket.pk))


@router.get("/tickets/{int:ticket_id}", response=TicketOut, summary="A ticket")
def get_ticket(request, ticket_id: int):
    require(request.user, "helpdesk.view_ticket")
    return _ticket(request, ticket_id)


@router.patch("/tickets/{int:ticket_id}", response=TicketOut, summary="Change a ticket")
def update_ticket(request, ticket_id: int, payload: TicketPatch):
    ticket = _ticket(request, ticket_id)
    data = payload.dict(exclude_unset=True)
    services.update_ticket(
        ticket,
        actor=request.user,
        subject=data.get("subject"),
        priority=data.get("priority"),
        tags=data.get("tags"),
        party=data.get("party_id"),
    )
    return _ticket(request, ticket_id)


@router.get(
    "/tickets/{int:ticket_id}/messages",
    response=list[TicketMessageOut],
    summary="The conversation (kind: customer, reply, note)",
)
@paginate
def list_messages(
    request, ticket_id: int, kind: Literal["customer", "reply", "note"] | None = None
):
    require(request.user, "helpdesk.view_ticket")
    ticket = _ticket(request, ticket_id)
    rows = ticket.messages.order_by("created_at", "id")
    return rows.filter(kind=kind) if kind else rows


@router.post(
    "/tickets/{int:ticket_id}/reply",
    response={201: TicketMessageOut},
    summary="Answer the customer (e-mail tickets: sent by e-mail)",
)
def reply(request, ticket_id: int, payload: TicketReplyIn):
    ticket = _ticket(request, ticket_id)
    message = services.reply_to_customer(
        ticket,
        actor=request.user,
        body=payload.body,
        last_seen_message_id=payload.last_seen_message_id,
        status=payload.status,
    )
    return Status(201, message)


@router.post(
    "/tickets/{int:ticket_id}/notes",
    response={201: TicketMessageOut},
    summary="Add an internal note (never shown to the customer)",
)
def add_note(request, ticket_id: int, payload: TicketNoteIn):
    ticket = _ticket(request, ticket_id)
    return Status(201, services.add_note(ticket, actor=request.user, body=payload.body))


@router.post("/tickets/{int:ticket_id}/assign", response=TicketOut, summary="Assign or move")
def assign(request, ticket_id: int, payload: TicketAssignIn):
    ticket = _ticket(request, ticket_id)
    services.assign_ticket(
        ticket, actor=request.user, assignee=payload.assignee_id, queue=payload.queue_id
    )
    return _ticket(request, ticket_id)


@router.post(
    "/tickets/{int:ticket_id}/links", response={201: TicketLinkOut}, summary="Link a record"
)
def link(request, ticket_id: int, payload: TicketLinkIn):
    ticket = _ticket(request, ticket_id)
    return Status(201, services.link_record(ticket, actor=request.user, record=payload.record))


@router.post(
    "/tickets/{int:ticket_id}/merge", response=TicketOut, summary="Merge into another ticket"
)
def merge(request, ticket_id: int, payload: TicketMergeIn):
    duplicate = _ticket(request, ticket_id)
    survivor = _ticket(request, payload.into_id)
    services.merge_tickets(actor=request.user, survivor=survivor, duplicate=duplicate)
    return _ticket(request, survivor.pk)


@router.post(
    "/tickets/{int:ticket_id}/messages/{int:message_id}/split",
    response={201: TicketOut},
    summary="Make a customer message a ticket of its own",
)
def split(request, ticket_id: int, message_id: int, payload: TicketSplitIn):
    ticket = _ticket(request, ticket_id)
    message = ticket.messages.filter(pk=message_id).first()
    if message is None:
        raise NotFound(code="message_not_found")
    new = services.split_message(message, actor=request.user, subject=payload.subject)
    return Status(201, _ticket(request, new.pk))


@router.get("/queues", response=list[HelpdeskQueueOut], summary="Queues")
@paginate
def list_queues(request):
    require(request.user, "helpdesk.view_queue")
    return queries.queues()


@router.get("/sla-policies", response=list[HelpdeskSlaPolicyOut], summary="SLA policies")
@paginate
def list_policies(request):
    require(request.user, "helpdesk.view_slapolicy")
    return queries.sla_policies()


@router.get(
    "/canned-responses",
    response=list[CannedResponseOut],
    summary="Canned responses; with ticket, placeholders filled in",
)
@paginate
def list_canned(request, ticket: int | None = None):
    require(request.user, "helpdesk.view_cannedresponse")
    rows = list(queries.canned_responses())
    if ticket is not None:
        target = _ticket(request, ticket)
        for row in rows:
            row.body = queries.fill_placeholders(row.body, target, request.user)
    return rows


# Last: its {action} segment would otherwise shadow /assign, /links and /merge.
ACTIONS = {
    "start": services.start_ticket,
    "wait-customer": services.wait_for_customer,
    "wait-internal": services.wait_internally,
    "resolve": services.resolve_ticket,
    "close": services.close_ticket,
    "reopen": services.reopen_ticket,
}


@router.post(
    "/tickets/{int:ticket_id}/{action}",
    response=TicketOut,
    summary="Move a ticket: start, wait-customer, wait-internal, resolve, close, reopen",
)
def move(
    request,
    ticket_id: int,
    action: Literal["start", "wait-customer", "wait-internal", "resolve", "close", "reopen"],
):
    ticket = _ticket(request, ticket_id)
    ACTIONS[action](ticket, actor=request.user)
    return _ticket(request, ticket_id)


from samspill.helpdesk import api_channels  # noqa: E402, F401  (registers its endpoints)

# The web chat: the widget's public endpoints and the chat channels (helpdesk/chat_api.py).
from samspill.helpdesk.chat_api import router as chat_router  # noqa: E402

router.add_router("/chat", chat_router)


# --- Satisfaction (CSAT) and the service dashboard -----------------------------------------


class TicketSatisfactionOut(Schema):
    ticket_id: int
    requested_at: datetime | None
    rating: int | None = Field(None, description="1 (bad) to 5 (very good); null: no answer yet")
    comment: str
    rated_at: datetime | None
    changed_at: datetime | None


@router.get(
    "/satisfaction/{int:ticket_id}",
    response=TicketSatisfactionOut,
    summary="The customer's satisfaction rating of a ticket",
)
def get_satisfaction(request, ticket_id: int):
    require(request.user, "helpdesk.view_satisfaction")
    ticket = _ticket(request, ticket_id)
    row = getattr(ticket, "satisfaction", None)
    if row is None:
        raise NotFound(code="satisfaction_not_found")
    return row


class HelpdeskDashboardCount(Schema):
    status: str | None = None
    priority: str | None = None
    queue_id: int | None = None
    label: str | None = None
    name: str | None = None
    count: int


class HelpdeskDashboardBacklog(Schema):
    total: int
    by_status: list[HelpdeskDashboardCount]
    by_priority: list[HelpdeskDashboardCount]
    by_queue: list[HelpdeskDashboardCount]


class HelpdeskDashboardTarget(Schema):
    measured: int = Field(description="Tickets whose target is decided (met, or due passed)")
    met: int
    percent: float | None
    average_hours: float | None
    median_hours: float | None


class HelpdeskDashboardSla(Schema):
    created: int
    resolved: int
    first_response: HelpdeskDashboardTarget
    resolution: HelpdeskDashboardTarget


class HelpdeskDashboardCsat(Schema):
    requested: int
    answers: int
    average: float | None
    response_percent: float | None
    satisfied_percent: float | None = Field(description="Answers of 4 or 5, percent")


class HelpdeskDashboardQueue(Schema):
    queue_id: int
    queue: str
    team: str
    created: int
    resolved: int
    first_response_percent: float | None
    resolution_percent: float | None
    first_response_hours: float | None
    resolution_hours: float | None
    csat_average: float | None
    csat_answers: int
    csat_requested: int
    csat_response_percent: float | None


class HelpdeskDashboardDay(Schema):
    day: date
    created: int
    resolved: int


class HelpdeskDashboardOut(Schema):
    date_from: date
    date_to: date
    backlog: HelpdeskDashboardBacklog
    sla: HelpdeskDashboardSla
    csat: HelpdeskDashboardCsat
    queues: list[HelpdeskDashboardQueue]
    days: list[HelpdeskDashboardDay]


@router.get(
    "/dashboard", response=HelpdeskDashboardOut, summary="Service dashboard figures for a period"
)
def service_dashboard(request, date_from: date, date_to: date):
    """Backlog now (by status, priority, queue); SLA attainment and median/average first
    response (tickets created in the period) and resolution (tickets resolved in it) times in
    hours; CSAT (surveys sent in the period); per queue and team; created and resolved per
    day. At most 366 days."""
    from django.utils.translation import gettext as _

    from samspill.helpdesk import dashboard

    require(request.user, "helpdesk.view_ticket")
    if date_from > date_to:
        raise ValidationFailed(
            errors={"date_from": [_("The start of the period is after its end.")]}
        )
    if (date_to - date_from).days >= dashboard.MAX_DAYS:
        message = _("Choose a period of at most %(days)s days.") % {"days": dashboard.MAX_DAYS}
        raise ValidationFailed(message, errors={"date_to": [message]})
    return dashboard.dashboard(request.user, date_from, date_to)
