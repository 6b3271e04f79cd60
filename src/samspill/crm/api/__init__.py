"""/api/v1/crm: leads (with the public web form endpoint), the pipeline, the forecast and
activities. Thin adapters over `services` and `queries`; every write is one service call."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from samspill.crm import queries, services
from samspill.crm.api.schemas import (
    ActivityFilters,
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    CloseIn,
    CompleteIn,
    ConvertIn,
    ConvertOut,
    DuplicateOut,
    ForecastRowOut,
    LeadFilters,
    LeadImportOut,
    LeadIn,
    LeadOut,
    LeadPatch,
    MoveIn,
    OpportunityFilters,
    OpportunityIn,
    OpportunityOut,
    OpportunityPatch,
    ReasonIn,
    ScoreRuleIn,
    ScoreRuleOut,
    ScoreRulePatch,
    StageIn,
    StageOut,
    StagePatch,
    WebFormIn,
    WebFormOut,
    WebFormPatch,
    WebFormTokenOut,
    WebLeadIn,
    WebLeadOut,
)
from samspill.crm.services.leads import WEB_FORM_MIN_SECONDS
from samspill.platform.errors import ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["crm"])

RENAMES = {
    "owner_id": "owner",
    "party_id": "party",
    "contact_id": "contact",
    "team_id": "team",
    "opportunity_id": "opportunity",
    "lead_id": "lead",
    "stage_id": "stage",
    "default_owner_id": "default_owner",
}


def _renamed(data: dict) -> dict:
    return {RENAMES.get(k, k): v for k, v in data.items()}


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


# --- Leads -----------------------------------------------------------------------------------


@router.get("/leads", response=list[LeadOut], summary="List leads")
@paginate
def list_leads(request, filters: Query[LeadFilters]):
    require(request.user, "crm.view_lead")
    rows = queries.leads(request.user)
    if filters.q:
        rows = rows.filter(
            Q(name__icontains=filters.q)
            | Q(company_name__icontains=filters.q)
            | Q(email__icontains=filters.q)
        )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.source:
        rows = rows.filter(source=filters.source)
    if filters.owner_id:
        rows = rows.filter(owner_id=filters.owner_id)
    if filters.min_score is not None:
        rows = rows.filter(score__gte=filters.min_score)
    return _by_day(rows, filters, created="created_at")


@router.post("/leads", response={201: LeadOut}, summary="Create a lead")
def create_lead(request, payload: LeadIn):
    lead = services.create_lead(actor=request.user, **_renamed(payload.model_dump()))
    return Status(201, lead)


@router.post("/leads/import", response=LeadImportOut, summary="Import leads from a CSV file")
def import_leads(request, file: File[UploadedFile], all_or_nothing: Form[bool] = False):
    """Columns: name (required), company_name, email, phone, orgnr, source, message
    (Norwegian headers work too). Every bad row is reported; bad rows are never written."""
    if file.size and file.size > 5 * 1024 * 1024:
        raise ValidationFailed(
            _("The file is larger than 5 MB."),
            errors={"file": [_("The file is larger than 5 MB.")]},
        )
    report = services.import_leads(
        actor=request.user, content=file.read(), all_or_nothing=all_or_nothing
    )
    return {
        "rows": report.rows,
        "created": len(report.created),
        "skipped": len(report.skipped),
        "errors": [{"row": r, "field": f, "message": m} for r, f, m in report.errors],
        "lead_ids": [lead.pk for lead in report.created],
    }


@router.get("/leads/{lead_id}", response=LeadOut, summary="One lead")
def get_lead(request, lead_id: int):
    require(request.user, "crm.view_lead")
    return queries.lead(request.user, lead_id)


@router.patch("/leads/{lead_id}", response=LeadOut, summary="Change a lead")
def patch_lead(request, lead_id: int, payload: LeadPatch):
    lead = queries.lead(request.user, lead_id)
    return services.update_lead(
        lead, actor=request.user, **_renamed(payload.model_dump(exclude_unset=True))
    )


@router.get(
    "/leads/{lead_id}/duplicates",
    response=list[DuplicateOut],
    summary="Parties with the lead's orgnr, email, phone or company name",
)
def lead_duplicates(request, lead_id: int):
    require(request.user, "parties.view_party")
    return queries.lead_duplicates(queries.lead(request.user, lead_id))


@router.post("/leads/{lead_id}/qualify", response=LeadOut, summary="Qualify a new lead")
def qualify_lead(request, lead_id: int):
    return services.qualify_lead(queries.lead(request.user, lead_id), actor=request.user)


@router.post("/leads/{lead_id}/disqualify", response=LeadOut, summary="Disqualify a lead")
def disqualify_lead(request, lead_id: int, payload: ReasonIn):
    return services.disqualify_lead(
        queries.lead(request.user, lead_id), actor=request.user, reason=payload.reason
    )


@router.post(
    "/leads/{lead_id}/convert",
    response={201: ConvertOut},
    summary="Convert a lead into organisation, contact person and opportunity",
)
def convert_lead(request, lead_id: int, payload: ConvertIn):
    from samspill.parties import queries as party_queries

    data = payload.model_dump()
    organization = contact = None
    if data.pop("organization_id"):
        organization = party_queries.get_party(request.user, payload.organization_id)
    if data.pop("contact_id"):
        contact = party_queries.get_party(request.user, payload.contact_id)
    result = services.convert_lead(
        queries.lead(request.user, lead_id),
        actor=request.user,
        organization=organization,
        contact=contact,
        **_renamed(data),
    )
    return Status(
        201,
        {
            "lead_id": result.lead.pk,
            "party_id": result.party.pk,
            "contact_id": result.contact.pk if result.contact else None,
            "opportunity_id": result.opportunity.pk,
        },
    )


# --- Scoring rules and web forms ------------------------------------------------------------


@router.get("/score-rules", response=list[ScoreRuleOut], summary="Lead scoring rules")
@paginate
def list_score_rules(request):
    require(request.user, "crm.view_scorerule")
    return queries.score_rules(request.user)


@router.post("/score-rules", response={201: ScoreRuleOut}, summary="Add a scoring rule")
def create_score_rule(request, payload: ScoreRuleIn):
    """Open leads are scored again at once."""
    return Status(201, services.create_score_rule(actor=request.user, **payload.model_dump()))


@router.patch("/score-rules/{rule_id}", response=ScoreRuleOut, summary="Change a scoring rule")
def patch_score_rule(request, rule_id: int, payload: ScoreRulePatch):
    rule = queries.score_rule(request.user, rule_id)
    return services.update_score_rule(
        rule, actor=request.user, **payload.model_dump(exclude_unset=True)
    )


@router.delete("/score-rules/{rule_id}", response={204: None}, summary="Delete a scoring rule")
def delete_score_rule(request, rule_id: int):
    services.delete_score_rule(queries.score_rule(request.user, rule_id), actor=request.user)
    return Status(204, None)


@router.get("/web-forms", response=list[WebFormOut], summary="Web forms")
@paginate
def list_web_forms(request):
    require(request.user, "crm.view_webform")
    return queries.web_forms(request.user)


@router.post("/web-forms", response={201: WebFormOut}, summary="Add a web form")
def create_web_form(request, payload: WebFormIn):
    form = services.create_web_form(actor=request.user, **_renamed(payload.model_dump()))
    return Status(201, queries.web_form(request.user, form.pk))


@router.patch("/web-forms/{form_id}", response=WebFormOut, summary="Change a web form")
def patch_web_form(request, form_id: int, payload: WebFormPatch):
    services.update_web_form(
        queries.web_form(request.user, form_id),
        actor=request.user,
        **_renamed(payload.model_dump(exclude_unset=True)),
    )
    return queries.web_form(request.user, form_id)


# --- Public web form ---------------------------------------------------------------------------


@router.get(
    "/web-leads/token",
    response=WebFormTokenOut,
    auth=None,
    summary="A form token for a web form (public)",
)
def web_lead_token(request, form_key: str):
    """Fetch when the form is shown and send it back with the lead; a lead sent sooner than
    `min_seconds` after the token was issued is refused."""
    form = services.active_web_form(form_key)
    return {"token": services.form_token(form.key), "min_seconds": WEB_FORM_MIN_SECONDS}


@router.post(
    "/web-leads",
    response={201: WebLeadOut},
    auth=None,
    summary="Submit a lead from a website's form (public)",
)
def submit_web_lead(request, payload: WebLeadIn):
    """No login: the form key identifies the website's form. Spam protection: `website`
    must be empty, the token must be at least a few seconds old, and one address may send a
    few leads in ten minutes (then 429 with `retry_after`)."""
    data = payload.model_dump()
    lead = services.capture_web_lead(
        form_key=data.pop("form_key"),
        token=data.pop("token"),
        honeypot=data.pop("website"),
        ip=client_ip(request),
        **data,
    )
    message = lead.web_form.thank_you if lead.web_form and lead.web_form.thank_you else ""
    return Status(201, {"id": lead.pk, "message": message or _("Thank you! We will be in touch.")})


# --- Pipeline ------------------------------------------------------------------------------------


@router.get("/stages", response=list[StageOut], summary="Pipeline stages in order")
def list_stages(request):
    require(request.user, "crm.view_stage")
    return list(queries.stages(request.user))


@router.post("/stages", response={201: StageOut}, summary="Add a pipeline stage")
def create_stage(request, payload: StageIn):
    return Status(201, services.create_stage(actor=request.user, **payload.model_dump()))


@router.patch("/stages/{stage_id}", response=StageOut, summary="Change a pipeline stage")
def patch_stage(request, stage_id: int, payload: StagePatch):
    stage = queries.stage(request.user, stage_id)
    return services.update_stage(
        stage, actor=request.user, **payload.model_dump(exclude_unset=True)
    )


@router.delete("/stages/{stage_id}", response={204: None}, summary="Delete an empty stage")
def delete_stage(request, stage_id: int):
    services.delete_stage(queries.stage(request.user, stage_id), actor=request.user)
    return Status(204, None)


@router.get("/opportunities", response=list[OpportunityOut], summary="List opportunities")
@paginate
def list_opportunities(request, filters: Query[OpportunityFilters]):
    require(request.user, "crm.view_opportunity")
    rows = queries.opportunities(request.user).order_by("close_date", "id")
    if filters.q:
        rows = rows.filter(Q(name__icontains=filters.q) | Q(party__name__icontains=filters.q))
    for name in ("status", "stage_id", "owner_id", "team_id", "party_id"):
        value = getattr(filters, name)
        if value:
            rows = rows.filter(**{name: value})
    return _by_day(rows, filters, created="created_at", closed="closed_at")


def _by_day(rows, filters, **columns):
    """The created_from/_to (closed_from/_to) filters: local calendar days of a timestamp."""
    for prefix, column in columns.items():
        start, end = getattr(filters, f"{prefix}_from"), getattr(filters, f"{prefix}_to")
        if start:
            rows = rows.filter(**{f"{column}__date__gte": start})
        if end:
            rows = rows.filter(**{f"{column}__date__lte": end})
    return rows


@router.post("/opportunities", response={201: OpportunityOut}, summary="Open an opportunity")
def create_opportunity(request, payload: OpportunityIn):
    opportunity = services.create_opportunity(actor=request.user, **_renamed(payload.model_dump()))
    return Status(201, queries.opportunity(request.user, opportunity.pk))


@router.get("/opportunities/{opportunity_id}", response=OpportunityOut, summary="One opportunity")
def get_opportunity(request, opportunity_id: int):
    require(request.user, "crm.view_opportunity")
    return queries.opportunity(request.user, opportunity_id)


@router.patch(
    "/opportunities/{opportunity_id}", response=OpportunityOut, summary="Change an opportunity"
)
def patch_opportunity(request, opportunity_id: int, payload: OpportunityPatch):
    services.update_opportunity(
        queries.opportunity(request.user, opportunity_id),
        actor=request.user,
        **_renamed(payload.model_dump(exclude_unset=True)),
    )
    return queries.opportunity(request.user, opportunity_id)


@router.post(
    "/opportunities/{opportunity_id}/move",
    response=OpportunityOut,
    summary="Move an opportunity to another stage",
)
def move_opportunity(request, opportunity_id: int, payload: MoveIn):
    services.move_opportunity(
        queries.opportunity(request.user, opportunity_id),
        actor=request.user,
        stage=payload.stage_id,
        reason=payload.reason,
    )
    return queries.opportunity(request.user, opportunity_id)


@router.post("/opportunities/{opportunity_id}/won", response=OpportunityOut, summary="Mark won")
def win_opportunity(request, opportunity_id: int, payload: CloseIn):
    services.mark_won(
        queries.opportunity(request.user, opportunity_id), actor=request.user, reason=payload.reason
    )
    return queries.opportunity(request.user, opportunity_id)


@router.post("/opportunities/{opportunity_id}/lost", response=OpportunityOut, summary="Mark lost")
def lose_opportunity(request, opportunity_id: int, payload: CloseIn):
    services.mark_lost(
        queries.opportunity(request.user, opportunity_id), actor=request.user, reason=payload.reason
    )
    return queries.opportunity(request.user, opportunity_id)


@router.get(
    "/forecast",
    response=list[ForecastRowOut],
    summary="Weighted pipeline by close month, owner or team",
)
def get_forecast(
    request,
    group: str = "month",
    owner_id: int | None = None,
    team_id: int | None = None,
):
    require(request.user, "crm.view_opportunity")
    if group not in queries.FORECAST_GROUPS:
        message = _("Group by month, owner or team.")
        raise ValidationFailed(message, errors={"group": [message]})
    rows = queries.forecast(request.user, group=group, owner=owner_id, team=team_id)
    return [
        {
            "key": None if r.key is None else str(r.key),
            "label": r.label,
            "count": r.count,
            "total": r.total,
            "weighted": r.weighted,
        }
        for r in rows
    ]


# --- Activities ----------------------------------------------------------------------------------


@router.get("/activities", response=list[ActivityOut], summary="List activities")
@paginate
def list_activities(request, filters: Query[ActivityFilters]):
    require(request.user, "crm.view_activity")
    rows = queries.activities(request.user).order_by("due_at", "id")
    if filters.mine:
        rows = rows.filter(owner=request.user)
    if filters.state == "open":
        rows = rows.filter(completed_at__isnull=True)
    elif filters.state == "overdue":
        rows = rows.filter(completed_at__isnull=True, due_at__lt=timezone.now())
    elif filters.state == "done":
        rows = rows.filter(completed_at__isnull=False)
    for name in ("kind", "party_id", "opportunity_id", "lead_id"):
        value = getattr(filters, name)
        if value:
            rows = rows.filter(**{name: value})
    return rows


@router.post("/activities", response={201: ActivityOut}, summary="Plan an activity")
def create_activity(request, payload: ActivityIn):
    return Status(
        201, services.create_activity(actor=request.user, **_renamed(payload.model_dump()))
    )


@router.get("/activities/{activity_id}", response=ActivityOut, summary="One activity")
def get_activity(request, activity_id: int):
    require(request.user, "crm.view_activity")
    return queries.activity(request.user, activity_id)


@router.patch("/activities/{activity_id}", response=ActivityOut, summary="Change an activity")
def patch_activity(request, activity_id: int, payload: ActivityPatch):
    return services.update_activity(
        queries.activity(request.user, activity_id),
        actor=request.user,
        **_renamed(payload.model_dump(exclude_unset=True)),
    )


@router.post(
    "/activities/{activity_id}/complete", response=ActivityOut, summary="Mark an activity done"
)
def complete_activity(request, activity_id: int, payload: CompleteIn):
    return services.complete_activity(
        queries.activity(request.user, activity_id), actor=request.user, outcome=payload.outcome
    )


@router.delete("/activities/{activity_id}", response={204: None}, summary="Delete an activity")
def delete_activity(request, activity_id: int):
    services.delete_activity(queries.activity(request.user, activity_id), actor=request.user)
    return Status(204, None)
