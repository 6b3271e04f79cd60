"""API twins of the operations pages: the event outbox (list, detail, replay) and the
audit log. Lists are paginated and run a fixed number of queries whatever the page size."""

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from samspill.platform import queries, services
from samspill.platform.chatter_api import router as chatter_router
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.filters import AuditFilterSet, EventFilterSet
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["platform"])


class EventOut(Schema):
    id: UUID
    type: str
    version: int
    occurred_at: datetime
    actor: str | None = Field(None, description="Username of who caused the event.")
    channel: str
    subjects: dict[str, list[str]]
    payload: dict[str, Any]
    status: Literal["pending", "delivered", "failed", "dead"]
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None


class EventQuery(Schema):
    status: Literal["undelivered", "pending", "delivered", "failed", "dead"] | None = Field(
        None, description="`undelivered` is pending, failed and dead together."
    )
    type: str | None = Field(None, description="Event type, e.g. `parties.party.created`.")
    subject: str | None = Field(None, description="Id of a record the event is about.")


class AuditEntryOut(Schema):
    id: int
    at: datetime
    actor: str = Field(description="Username, or `system`.")
    actor_id: int | None
    channel: str
    action: str
    record_type: str = Field(description="`app_label.model`, e.g. `parties.party`.")
    object_id: str
    object_repr: str
    changes: dict[str, Any] = Field(description="field -> [before, after]")

    @staticmethod
    def resolve_actor(obj) -> str:
        return obj.actor_repr

    @staticmethod
    def resolve_record_type(obj) -> str:
        return f"{obj.content_type.app_label}.{obj.content_type.model}"


class AuditQuery(Schema):
    actor: int | None = Field(None, description="User id.")
    record_type: str | None = Field(None, description="`app_label.model`.")
    action: (
        Literal["create", "update", "delete", "merge", "erase", "export", "view", "read"] | None
    ) = None
    channel: Literal["ui", "api", "import", "automation", "system"] | None = None
    since: date | None = Field(None, description="From this day (user's time zone).")
    until: date | None = Field(None, description="To and including this day.")


def filtered(filterset_class, params: Schema, queryset):
    """Apply the list page's filterset to API query parameters (the same rules)."""
    data = {k: str(v) for k, v in params.model_dump().items() if v not in (None, "")}
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationFailed(
            _("Some filters are not valid"),
            errors={name: [str(m) for m in msgs] for name, msgs in filterset.errors.items()},
        )
    return filterset.qs


@router.get("/events", response=list[EventOut], summary="List events")
@paginate
def list_events(request, filters: Query[EventQuery]):
    require(request.auth, "platform.view_outboxevent")
    return filtered(EventFilterSet, filters, queries.events(request.auth))


@router.get("/events/{event_id}", response=EventOut, summary="Get an event")
def get_event(request, event_id: UUID):
    require(request.auth, "platform.view_outboxevent")
    event = queries.event(request.auth, event_id)
    if event is None:
        raise NotFound(_("There is no such event."))
    return event


@router.post(
    "/events/{event_id}/replay",
    response={202: EventOut},
    summary="Retry or replay an undelivered event",
)
def replay_event(request, event_id: UUID):
    return Status(202, services.replay_event(event_id, actor=request.auth))


@router.get("/audit", response=list[AuditEntryOut], summary="List audit entries")
@paginate
def list_audit_entries(request, filters: Query[AuditQuery]):
    require(request.auth, "platform.view_auditentry")
    return filtered(AuditFilterSet, filters, queries.audit_entries(request.auth))


# Comments, attachments, followers and notifications of any record.
router.add_router("", chatter_router)
