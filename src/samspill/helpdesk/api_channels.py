"""/api/v1/helpdesk, the channels and the setup: phone calls from telephony systems, the
inbound webhook for SMS / messaging providers (no login: the HMAC signature is the proof),
the public contact form's token, and managing queues, mailboxes, SLA policies, canned
responses and webhook endpoints. Registered on the helpdesk router (imported by api.py)."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.responses import Status

from samspill.helpdesk import queries, services
from samspill.helpdesk.api import (
    CannedResponseOut,
    HelpdeskQueueOut,
    HelpdeskSlaPolicyOut,
    router,
)
from samspill.helpdesk.mail.imap import test_login
from samspill.helpdesk.models import CannedResponse, InboundEndpoint, Mailbox, Queue, SlaPolicy
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require


def _ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


# --- Phone -----------------------------------------------------------------------------------


class CallIn(Schema):
    phone: str = Field(..., max_length=40, description="The caller's (or called) number")
    direction: Literal["inbound", "outbound"] = "inbound"
    outcome: Literal["answered", "voicemail", "missed", "callback"] = "answered"
    started_at: datetime | None = Field(None, description="Default: now")
    duration_seconds: int = Field(0, ge=0, le=86400)
    notes: str = Field("", max_length=20_000)
    ticket_id: int | None = Field(None, description="Log on this ticket; none: a new ticket")
    subject: str = Field("", max_length=300, description="Of the new ticket")
    name: str = Field("", max_length=200, description="The caller's name, for a new person")
    queue_id: int | None = None
    agent_id: int | None = None
    external_id: str = Field(
        "", max_length=200, description="The telephony system's call id: posting it again updates"
    )


class CallOut(Schema):
    id: int
    ticket_id: int
    ticket_number: str = Field(..., alias="ticket.number")
    direction: str
    phone: str
    party_id: int | None
    started_at: datetime
    duration_seconds: int
    outcome: str
    notes: str
    agent_id: int | None
    external_id: str


@router.get("/calls", response=list[CallOut], summary="Logged phone calls")
@paginate
def list_calls(request, ticket: int | None = None):
    require(request.user, "helpdesk.view_calllog")
    rows = queries.calls(request.user)
    if ticket is not None:
        rows = rows.filter(ticket_id=ticket)
    return rows


@router.post(
    "/calls",
    response={201: CallOut, 200: CallOut},
    summary="Log a call (creates a phone ticket, or updates the ticket or the call)",
)
def post_call(request, payload: CallIn):
    """For telephony integrations: without `ticket_id` a new phone ticket is opened (the
    caller matched by number, else created); with it the call is logged on that ticket. A
    call whose `external_id` is known already is updated (200)."""
    require(request.user, "helpdesk.add_calllog")
    data = payload.model_dump()
    ticket = (
        queries.get_ticket(request.user, data.pop("ticket_id"))
        if data.get("ticket_id")
        else data.pop("ticket_id")
    )
    known = (
        bool(data["external_id"])
        and queries.calls().filter(external_id=data["external_id"]).exists()
    )
    queue_id, agent_id = data.pop("queue_id"), data.pop("agent_id")
    call = services.log_call(
        actor=request.user,
        ticket=ticket,
        queue=queue_id,
        agent=_agent(agent_id),
        **data,
    )
    row = queries.calls(request.user).get(pk=call.pk)
    return Status(200 if known else 201, row)


def _agent(agent_id):
    if agent_id is None:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=agent_id, is_active=True).first()
    if user is None:
        raise NotFound(code="agent_not_found")
    return user


# --- Inbound webhook (public, signed) ----------------------------------------------------------


class InboundResultOut(Schema):
    result: Literal["accepted", "duplicate"]
    ticket_number: str
    created: bool


@router.post(
    "/inbound/{slug}",
    response={200: InboundResultOut, 201: InboundResultOut},
    auth=None,
    summary="Receive a message from an SMS or messaging provider (signed, public)",
)
def inbound(request, slug: str):
    """The raw body is JSON in the provider's own shape; the endpoint's field mapping says
    where sender, text, message id and thread id are. The header named by the endpoint
    carries the HMAC-SHA256 of the body (hex, `sha256=<hex>` or base64). 401 when it does
    not match, 422 when the body cannot be read (both kept in the endpoint's log), 200 for
    a message already received (by its id) or added to an open ticket, 201 for a new
    ticket."""
    endpoint = queries.inbound_endpoints().filter(slug=slug, is_active=True).first()
    header = endpoint.signature_header if endpoint is not None else "X-Signature"
    delivered = services.receive_webhook(
        slug, request.body, request.headers.get(header, ""), ip=_ip(request)
    )
    return Status(
        201 if delivered.created else 200,
        {
            "result": "duplicate" if delivered.duplicate else "accepted",
            "ticket_number": delivered.ticket.number,
            "created": delivered.created,
        },
    )


# --- Setup: queues, mailboxes, SLA policies, canned responses, webhook endpoints ---------------


class QueueIn(Schema):
    name: str = Field(..., max_length=100)
    email: str = Field("", max_length=254)
    team_id: int | None = None
    opens_at: time = time(8, 0)
    closes_at: time = time(16, 0)
    workdays: str = Field("12345", max_length=7, description="ISO weekdays, 1 = Monday")
    is_default: bool = False


class QueuePatch(Schema):
    name: str | None = Field(None, max_length=100)
    email: str | None = Field(None, max_length=254)
    team_id: int | None = None
    opens_at: time | None = None
    closes_at: time | None = None
    workdays: str | None = Field(None, max_length=7)
    is_default: bool | None = None


class MailboxIn(Schema):
    queue_id: int
    host: str = Field(..., max_length=200)
    port: int = Field(993, ge=1, le=65535)
    use_ssl: bool = True
    username: str = Field(..., max_length=200)
    password: str = Field(..., max_length=500, description="Stored encrypted, never returned")
    folder: str = Field("INBOX", max_length=100)
    is_active: bool = True


class MailboxPatch(Schema):
    queue_id: int | None = None
    host: str | None = Field(None, max_length=200)
    port: int | None = Field(None, ge=1, le=65535)
    use_ssl: bool | None = None
    username: str | None = Field(None, max_length=200)
    password: str | None = Field(None, max_length=500, description="Empty: keep")
    folder: str | None = Field(None, max_length=100)
    is_active: bool | None = None


class MailboxOut(Schema):
    id: int
    queue_id: int
    host: str
    port: int
    use_ssl: bool
    username: str
    folder: str
    is_active: bool
    last_polled_at: datetime | None
    last_error: str


class MailboxTestOut(Schema):
    ok: bool
    message: str


class SlaPolicyIn(Schema):
    name: str = Field(..., max_length=100)
    priority: Literal["", "low", "normal", "high", "urgent"] = ""
    queue_id: int | None = None
    party_id: int | None = None
    first_response_hours: Decimal
    resolution_hours: Decimal
    warning_percent: int = Field(80, ge=1, le=100)


class SlaPolicyPatch(Schema):
    name: str | None = Field(None, max_length=100)
    priority: Literal["", "low", "normal", "high", "urgent"] | None = None
    queue_id: int | None = None
    party_id: int | None = None
    first_response_hours: Decimal | None = None
    resolution_hours: Decimal | None = None
    warning_percent: int | None = Field(None, ge=1, le=100)


class CannedResponseIn(Schema):
    title: str = Field(..., max_length=100)
    body: str = Field(..., max_length=20_000)


class CannedResponsePatch(Schema):
    title: str | None = Field(None, max_length=100)
    body: str | None = Field(None, max_length=20_000)


class InboundMappingSchema(Schema):
    phone: str = Field("", max_length=200, description="Dotted path, e.g. from or sender.msisdn")
    email: str = Field("", max_length=200)
    name: str = Field("", max_length=200)
    text: str = Field("", max_length=200)
    external_id: str = Field("", max_length=200)
    thread_id: str = Field("", max_length=200)


class InboundEndpointIn(Schema):
    name: str = Field(..., max_length=100)
    slug: str = Field(..., max_length=50)
    secret: str = Field("", max_length=500, description="Empty: one is generated (returned once)")
    signature_header: str = Field("X-Signature", max_length=100)
    mapping: InboundMappingSchema
    channel: Literal["sms", "messaging", "api"] = "sms"
    queue_id: int | None = None
    is_active: bool = True


class InboundEndpointPatch(Schema):
    name: str | None = Field(None, max_length=100)
    slug: str | None = Field(None, max_length=50)
    secret: str | None = Field(None, max_length=500, description="Empty: keep")
    signature_header: str | None = Field(None, max_length=100)
    mapping: InboundMappingSchema | None = None
    channel: Literal["sms", "messaging", "api"] | None = None
    queue_id: int | None = None
    is_active: bool | None = None


class InboundEndpointOut(Schema):
    id: int
    name: str
    slug: str
    signature_header: str
    mapping: dict[str, str]
    channel: str
    queue_id: int | None
    is_active: bool
    last_received_at: datetime | None
    url: str = ""


class InboundEndpointCreatedOut(InboundEndpointOut):
    secret: str = Field(..., description="Shown this once: configure it at the provider")


def _values(payload: Schema, *, partial: bool) -> dict:
    """Schema fields to service fields (queue_id -> queue ...)."""
    data = payload.model_dump(exclude_unset=partial)
    renamed = {}
    for key, value in data.items():
        if key.endswith("_id"):
            key = key[:-3]
        renamed[key] = value
    return renamed


def _fk(values: dict) -> dict:
    from samspill.organization.models import Team
    from samspill.parties.models import Party

    models_for: dict[str, Any] = {"queue": Queue, "team": Team, "party": Party}
    for key, model in models_for.items():
        if values.get(key) is not None:
            row = model.objects.filter(pk=values[key]).first()
            if row is None:
                raise ValidationFailed(errors={f"{key}_id": [str(NotFound.title)]})
            values[key] = row
    return values


def _url(request, endpoint) -> str:
    return request.build_absolute_uri(f"/api/v1/helpdesk/inbound/{endpoint.slug}")


def _endpoint_out(request, endpoint, secret: str | None = None) -> dict:
    data = {
        "id": endpoint.pk,
        "name": endpoint.name,
        "slug": endpoint.slug,
        "signature_header": endpoint.signature_header,
        "mapping": endpoint.mapping,
        "channel": endpoint.channel,
        "queue_id": endpoint.queue_id,
        "is_active": endpoint.is_active,
        "last_received_at": endpoint.last_received_at,
        "url": _url(request, endpoint),
    }
    if secret is not None:
        data["secret"] = secret
    return data


def _get(model: Any, pk):
    row = model.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(code=f"{model._meta.model_name}_not_found")
    return row


@router.post("/queues", response={201: HelpdeskQueueOut}, summary="Create a queue")
def create_queue(request, payload: QueueIn):
    row = services.create_setting(Queue, actor=request.user, **_fk(_values(payload, partial=False)))
    return Status(201, row)


@router.patch("/queues/{int:queue_id}", response=HelpdeskQueueOut, summary="Change a queue")
def update_queue(request, queue_id: int, payload: QueuePatch):
    require(request.user, "helpdesk.change_queue")
    values = _fk(_values(payload, partial=True))
    return services.update_setting(_get(Queue, queue_id), actor=request.user, **values)


@router.delete("/queues/{int:queue_id}", response={204: None}, summary="Remove a queue")
def delete_queue(request, queue_id: int):
    require(request.user, "helpdesk.delete_queue")
    services.delete_setting(_get(Queue, queue_id), actor=request.user)
    return Status(204, None)


@router.get("/mailboxes", response=list[MailboxOut], summary="IMAP mailboxes (no passwords)")
@paginate
def list_mailboxes(request):
    require(request.user, "helpdesk.view_mailbox")
    return queries.mailboxes()


@router.post("/mailboxes", response={201: MailboxOut}, summary="Add an IMAP mailbox")
def create_mailbox(request, payload: MailboxIn):
    values = _fk(_values(payload, partial=False))
    return Status(201, services.create_setting(Mailbox, actor=request.user, **values))


@router.patch("/mailboxes/{int:mailbox_id}", response=MailboxOut, summary="Change a mailbox")
def update_mailbox(request, mailbox_id: int, payload: MailboxPatch):
    require(request.user, "helpdesk.change_mailbox")
    values = _fk(_values(payload, partial=True))
    return services.update_setting(_get(Mailbox, mailbox_id), actor=request.user, **values)


@router.delete("/mailboxes/{int:mailbox_id}", response={204: None}, summary="Remove a mailbox")
def delete_mailbox(request, mailbox_id: int):
    require(request.user, "helpdesk.delete_mailbox")
    services.delete_setting(_get(Mailbox, mailbox_id), actor=request.user)
    return Status(204, None)


@router.post(
    "/mailboxes/{int:mailbox_id}/test",
    response=MailboxTestOut,
    summary="Log in to the mailbox over IMAP and report the result",
)
def test_mailbox(request, mailbox_id: int):
    require(request.user, "helpdesk.change_mailbox")
    ok, message = test_login(_get(Mailbox, mailbox_id))
    return {"ok": ok, "message": message}


@router.post("/sla-policies", response={201: HelpdeskSlaPolicyOut}, summary="Create an SLA policy")
def create_policy(request, payload: SlaPolicyIn):
    values = _fk(_values(payload, partial=False))
    return Status(201, services.create_setting(SlaPolicy, actor=request.user, **values))


@router.patch(
    "/sla-policies/{int:policy_id}", response=HelpdeskSlaPolicyOut, summary="Change an SLA policy"
)
def update_policy(request, policy_id: int, payload: SlaPolicyPatch):
    require(request.user, "helpdesk.change_slapolicy")
    values = _fk(_values(payload, partial=True))
    return services.update_setting(_get(SlaPolicy, policy_id), actor=request.user, **values)


@router.delete(
    "/sla-policies/{int:policy_id}", response={204: None}, summary="Remove an SLA policy"
)
def delete_policy(request, policy_id: int):
    require(request.user, "helpdesk.delete_slapolicy")
    services.delete_setting(_get(SlaPolicy, policy_id), actor=request.user)
    return Status(204, None)


@router.post(
    "/canned-responses", response={201: CannedResponseOut}, summary="Create a canned response"
)
def create_canned(request, payload: CannedResponseIn):
    values = _values(payload, partial=False)
    return Status(201, services.create_setting(CannedResponse, actor=request.user, **values))


@router.patch(
    "/canned-responses/{int:canned_id}",
    response=CannedResponseOut,
    summary="Change a canned response",
)
def update_canned(request, canned_id: int, payload: CannedResponsePatch):
    require(request.user, "helpdesk.change_cannedresponse")
    values = _values(payload, partial=True)
    return services.update_setting(_get(CannedResponse, canned_id), actor=request.user, **values)


@router.delete(
    "/canned-responses/{int:canned_id}", response={204: None}, summary="Remove a canned response"
)
def delete_canned(request, canned_id: int):
    require(request.user, "helpdesk.delete_cannedresponse")
    services.delete_setting(_get(CannedResponse, canned_id), actor=request.user)
    return Status(204, None)


@router.get("/inbound-endpoints", response=list[InboundEndpointOut], summary="Webhook endpoints")
def list_endpoints(request):
    require(request.user, "helpdesk.view_inboundendpoint")
    return [_endpoint_out(request, e) for e in queries.inbound_endpoints()]


@router.post(
    "/inbound-endpoints",
    response={201: InboundEndpointCreatedOut},
    summary="Create a webhook endpoint (the secret is returned this once)",
)
def create_endpoint(request, payload: InboundEndpointIn):
    values = _fk(_values(payload, partial=False))
    row = services.create_setting(InboundEndpoint, actor=request.user, **values)
    return Status(201, _endpoint_out(request, row, secret=row.secret))


@router.patch(
    "/inbound-endpoints/{int:endpoint_id}",
    response=InboundEndpointOut,
    summary="Change a webhook endpoint",
)
def update_endpoint(request, endpoint_id: int, payload: InboundEndpointPatch):
    require(request.user, "helpdesk.change_inboundendpoint")
    values = _fk(_values(payload, partial=True))
    row = services.update_setting(_get(InboundEndpoint, endpoint_id), actor=request.user, **values)
    return _endpoint_out(request, row)


@router.delete(
    "/inbound-endpoints/{int:endpoint_id}",
    response={204: None},
    summary="Remove a webhook endpoint",
)
def delete_endpoint(request, endpoint_id: int):
    require(request.user, "helpdesk.delete_inboundendpoint")
    services.delete_setting(_get(InboundEndpoint, endpoint_id), actor=request.user)
    return Status(204, None)
