"""/api/v1/automation: rules and their runs, webhooks and their deliveries, and the inbound
endpoint for other systems. Thin: writes go through automation.services, reads through
automation.queries; errors are problem+json from the services' DomainErrors."""

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Query, Router, Schema, Status

from samspill.automation import conditions, definitions, queries, services
from samspill.platform import audit
from samspill.platform.events import EVENT_TYPES
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require
from samspill.users.auth import TokenAuth

router = Router(tags=["automation"])


# --- Schemas ---------------------------------------------------------------------------------


class ConditionIn(Schema):
    field: str = Field("", description="payload.<name>, subjects.<kind> or event.<name>")
    operator: str = Field(..., description="One of the operators in GET /catalogue.")
    value: Any = Field(None, description="A value; a list for `in` and `changed_includes`.")


class ActionIn(Schema):
    action: str = Field(..., description="An action key from GET /catalogue.")
    params: dict[str, Any] = Field(
        default_factory=dict, description="Parameters; texts may hold {{ placeholders }}."
    )
    subject_field: str = Field(
        "", description="Payload field naming the record to act on (default: all subjects)."
    )


class RuleIn(Schema):
    name: str
    description: str = ""
    event_type: str
    match: str = Field("all", description="all or any")
    conditions: list[ConditionIn] = Field(default_factory=list)
    actions: list[ActionIn]
    is_active: bool = True


class RulePatch(Schema):
    name: str | None = None
    description: str | None = None
    event_type: str | None = None
    match: str | None = None
    conditions: list[ConditionIn] | None = None
    actions: list[ActionIn] | None = None
    is_active: bool | None = None


class RuleOut(Schema):
    id: int
    name: str
    description: str
    event_type: str
    match: str
    conditions: list[dict[str, Any]]
    actions: list[dict[str, Any]]
    is_active: bool
    run_as: str | None = Field(None, description="User whose permissions the actions use.")
    created_at: datetime
    updated_at: datetime
    last_outcome: str | None = None
    last_run_at: datetime | None = None

    @staticmethod
    def resolve_run_as(obj) -> str | None:
        return obj.run_as.get_username() if obj.run_as_id else None


class RuleRunOut(Schema):
    id: int
    rule_id: int
    event_id: UUID | None
    event_type: str
    outcome: str
    error: str
    duration_ms: int
    depth: int
    dry_run: bool
    details: list[Any]
    started_at: datetime


class RuleFilters(Schema):
    event_type: str | None = None
    is_active: bool | None = None


class RunFilters(Schema):
    outcome: str | None = None


class TestIn(Schema):
    event_id: UUID


class OperatorOut(Schema):
    key: str
    label: str
    needs_value: bool
    takes_list: bool


class ParamOut(Schema):
    name: str
    type: str
    label: str
    required: bool
    choices: list[list[str]] | None = None


class ActionOut(Schema):
    key: str
    label: str
    subject_kind: str
    params: list[ParamOut]


class EventTypeOut(Schema):
    type: str
    description: str
    fields: list[str]


class CatalogueOut(Schema):
    events: list[EventTypeOut]
    operators: list[OperatorOut]
    actions: list[ActionOut]


class WebhookIn(Schema):
    name: str
    url: str
    event_types: list[str] = Field(default_factory=list)
    all_events: bool = False
    is_active: bool = True


class WebhookPatch(Schema):
    name: str | None = None
    url: str | None = None
    event_types: list[str] | None = None
    all_events: bool | None = None
    is_active: bool | None = None


class WebhookOut(Schema):
    id: int
    name: str
    url: str
    event_types: list[str]
    all_events: bool
    is_active: bool
    secret_hint: str = Field(..., description="The first characters of the signing secret.")
    created_at: datetime
    updated_at: datetime


class WebhookSecretOut(WebhookOut):
    secret: str = Field(..., description="The signing secret. Shown here once; store it.")


class WebhookDeliveryOut(Schema):
    id: UUID
    webhook_id: int
    event_id: UUID
    event_type: str
    rule_id: int | None
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None


class WebhookDeliveryFilters(Schema):
    status: str | None = None


class InboundIn(Schema):
    type: str = Field(..., description="What the message is, e.g. `lead`.")
    idempotency_key: str = Field(..., description="Unique per message from this source.")
    data: dict[str, Any] = Field(default_factory=dict)


class InboundOut(Schema):
    id: int
    source: str
    type: str = Field(..., alias="message_type")
    idempotency_key: str
    data: dict[str, Any]
    received_at: datetime
    event_id: UUID | None


# --- Rules -------------------------------------------------------------------------------------


def _dump(items) -> list[dict]:
    return [item.model_dump() for item in items]


@router.get("/catalogue", response=CatalogueOut, summary="What rules can react to and do")
def catalogue(request):
    require(request.user, "automation.view_rule")
    return {
        "events": [
            {
                "type": key,
                "description": str(cls.description),
                "fields": [path for path, _kind in conditions.field_suggestions(key)],
            }
            for key, cls in sorted(EVENT_TYPES.items())
        ],
        "operators": [
            {
                "key": op.key,
                "label": str(op.label),
                "needs_value": op.needs_value,
                "takes_list": op.takes_list,
            }
            for op in conditions.OPERATORS.values()
        ],
        "actions": [
            {
                "key": action.key,
                "label": str(action.label),
                "subject_kind": action.subject_kind,
                "params": [
                    {
                        "name": name,
                        "type": param.type.__name__,
                        "label": str(param.label),
                        "required": param.required,
                        "choices": [list(c) for c in param.choice_list()] or None,
                    }
                    for name, param in action.param_specs().items()
                ],
            }
            for action in definitions.step_types()
        ],
    }


@router.get("/rules", response=list[RuleOut], summary="List automation rules")
@paginate
def list_rules(request, filters: Query[RuleFilters]):
    require(request.user, "automation.view_rule")
    rows = queries.rules(request.user)
    if filters.event_type:
        rows = rows.filter(event_type=filters.event_type)
    if filters.is_active is not None:
        rows = rows.filter(is_active=filters.is_active)
    return rows


@router.post("/rules", response={201: RuleOut}, summary="Create an automation rule")
def create_rule(request, payload: RuleIn):
    rule = services.create_rule(
        actor=request.user,
        name=payload.name,
        description=payload.description,
        event_type=payload.event_type,
        match=payload.match,
        conditions=_dump(payload.conditions),
        actions=_dump(payload.actions),
        is_active=payload.is_active,
    )
    return Status(201, queries.rule(rule.pk))


@router.get("/rules/{rule_id}", response=RuleOut, summary="One automation rule")
def get_rule(request, rule_id: int):
    require(request.user, "automation.view_rule")
    rule = queries.rule(rule_id, request.user)
    audit.record_read(rule, actor=request.user)
    return rule


@router.patch("/rules/{rule_id}", response=RuleOut, summary="Change an automation rule")
def patch_rule(request, rule_id: int, payload: RulePatch):
    require(request.user, "automation.change_rule")
    rule = queries.rule(rule_id, request.user)
    changes = payload.model_dump(exclude_unset=True)
    for key in ("conditions", "actions"):
        if key in changes and changes[key] is not None:
            changes[key] = _dump(getattr(payload, key))
    services.update_rule(rule, actor=request.user, **changes)
    return queries.rule(rule_id, request.user)


@router.post("/rules/{rule_id}/activate", response=RuleOut, summary="Switch a rule on")
def activate_rule(request, rule_id: int):
    require(request.user, "automation.change_rule")
    services.set_rule_active(queries.rule(rule_id, request.user), True, actor=request.user)
    return queries.rule(rule_id, request.user)


@router.post("/rules/{rule_id}/deactivate", response=RuleOut, summary="Switch a rule off")
def deactivate_rule(request, rule_id: int):
    require(request.user, "automation.change_rule")
    services.set_rule_active(queries.rule(rule_id, request.user), False, actor=request.user)
    return queries.rule(rule_id, request.user)


@router.delete("/rules/{rule_id}", response={204: None}, summary="Delete a rule and its log")
def delete_rule(request, rule_id: int):
    require(request.user, "automation.delete_rule")
    services.delete_rule(queries.rule(rule_id, request.user), actor=request.user)
    return Status(204, None)


@router.post(
    "/rules/{rule_id}/test",
    response=RuleRunOut,
    summary="Check a rule's conditions against a stored event, without running its actions",
)
def dry_run_rule(request, rule_id: int, payload: TestIn):
    require(request.user, "automation.change_rule")
    rule = queries.rule(rule_id, request.user)
    return services.dry_run_rule(rule, queries.event(payload.event_id), actor=request.user)


@router.get("/rules/{rule_id}/runs", response=list[RuleRunOut], summary="A rule's run log")
@paginate
def list_runs(request, rule_id: int, filters: Query[RunFilters]):
    require(request.user, "automation.view_rulerun")
    queries.rule(rule_id, request.user)
    rows = queries.runs(request.user, rule_id=rule_id)
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    return rows


# --- Webhooks ----------------------------------------------------------------------------------


@router.get("/webhooks", response=list[WebhookOut], summary="List webhooks")
@paginate
def list_webhooks(request):
    require(request.user, "automation.view_webhook")
    return queries.webhooks(request.user)


@router.post(
    "/webhooks",
    response={201: WebhookSecretOut},
    summary="Subscribe a URL to events (the signing secret is in the response, once)",
)
def create_webhook(request, payload: WebhookIn):
    webhook = services.create_webhook(actor=request.user, **payload.model_dump())
    return Status(201, webhook)


@router.get("/webhooks/{webhook_id}", response=WebhookOut, summary="One webhook")
def get_webhook(request, webhook_id: int):
    require(request.user, "automation.view_webhook")
    return queries.webhook(webhook_id, request.user)


@router.patch("/webhooks/{webhook_id}", response=WebhookOut, summary="Change a webhook")
def patch_webhook(request, webhook_id: int, payload: WebhookPatch):
    require(request.user, "automation.change_webhook")
    webhook = queries.webhook(webhook_id, request.user)
    return services.update_webhook(
        webhook, actor=request.user, **payload.model_dump(exclude_unset=True)
    )


@router.post(
    "/webhooks/{webhook_id}/rotate-secret",
    response=WebhookSecretOut,
    summary="Give a webhook a new signing secret (in the response, once)",
)
def rotate_secret(request, webhook_id: int):
    require(request.user, "automation.change_webhook")
    webhook = queries.webhook(webhook_id, request.user)
    return services.rotate_webhook_secret(webhook, actor=request.user)


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Delete a webhook")
def delete_webhook(request, webhook_id: int):
    require(request.user, "automation.delete_webhook")
    services.delete_webhook(queries.webhook(webhook_id, request.user), actor=request.user)
    return Status(204, None)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    response=list[WebhookDeliveryOut],
    summary="A webhook's delivery log",
)
@paginate
def list_deliveries(request, webhook_id: int, filters: Query[WebhookDeliveryFilters]):
    require(request.user, "automation.view_webhookdelivery")
    queries.webhook(webhook_id, request.user)
    rows = queries.deliveries(request.user, webhook_id=webhook_id)
    if filters.status:
        rows = rows.filter(status=filters.status)
    return rows


@router.post(
    "/deliveries/{delivery_id}/retry",
    response=WebhookDeliveryOut,
    summary="Send a failed or dead-lettered delivery again",
)
def retry_delivery(request, delivery_id: UUID):
    require(request.user, "automation.retry_webhookdelivery")
    delivery = queries.delivery(delivery_id, request.user)
    return services.retry_delivery(delivery, actor=request.user)


# --- Inbound -----------------------------------------------------------------------------------


@router.post(
    "/inbound/{source}",
    auth=TokenAuth(),
    response={200: InboundOut, 201: InboundOut},
    summary="Receive a message from another system (personal access token only)",
    description=(
        "Records the message and publishes `automation.inbound.received`, to which rules "
        "and domains react. Idempotent on source + `idempotency_key`: a repeat answers 200 "
        "with the first message, a new message 201."
    ),
)
def receive_inbound(request, source: str, payload: InboundIn):
    message, created = services.receive_inbound(
        actor=request.user,
        source=source,
        message_type=payload.type,
        idempotency_key=payload.idempotency_key,
        data=payload.data,
    )
    return Status(201 if created else 200, message)


@router.get("/inbound", response=list[InboundOut], summary="List received messages")
@paginate
def list_inbound(request):
    require(request.user, "automation.view_inboundmessage")
    return queries.inbound_messages(request.user)
