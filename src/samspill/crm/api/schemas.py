"""Request and response schemas of /api/v1/crm."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema


class LeadOut(Schema):
    id: int
    name: str
    company_name: str
    email: str
    phone: str = Field(..., description="E.164, e.g. +4741234567")
    orgnr: str
    source: str
    message: str
    status: str = Field(..., description="new, qualified, converted or disqualified")
    disqualify_reason: str
    owner_id: int | None
    score: int
    web_form_id: int | None
    party_id: int | None = Field(None, description="The organisation (or person) it became")
    contact_id: int | None
    created_at: datetime
    converted_at: datetime | None


class LeadIn(Schema):
    name: str
    company_name: str = ""
    email: str = ""
    phone: str = ""
    orgnr: str = ""
    source: str = "manual"
    message: str = ""
    owner_id: int | None = None


class LeadPatch(Schema):
    name: str | None = None
    company_name: str | None = None
    email: str | None = None
    phone: str | None = None
    orgnr: str | None = None
    source: str | None = None
    message: str | None = None
    owner_id: int | None = None


class LeadFilters(Schema):
    q: str | None = Field(None, description="Name, company or email contains")
    status: str | None = None
    source: str | None = None
    owner_id: int | None = None
    min_score: int | None = None
    created_from: date | None = Field(None, description="Created on or after (local day)")
    created_to: date | None = Field(None, description="Created on or before (local day)")


class ReasonIn(Schema):
    reason: str


class ConvertIn(Schema):
    opportunity_name: str = ""
    expected_revenue: Decimal = Decimal("0")
    close_date: date | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    organization_id: int | None = Field(None, description="Use this existing organisation")
    contact_id: int | None = Field(None, description="Use this existing person")
    force: bool = Field(False, description="Create the parties even if they look like duplicates")


class ConvertOut(Schema):
    lead_id: int
    party_id: int
    contact_id: int | None
    opportunity_id: int


class DuplicateOut(Schema):
    id: int
    kind: str
    name: str
    orgnr: str


class ImportErrorOut(Schema):
    row: int
    field: str
    message: str


class LeadImportOut(Schema):
    rows: int
    created: int
    skipped: int
    errors: list[ImportErrorOut]
    lead_ids: list[int]


class WebLeadIn(Schema):
    form_key: str = Field(..., description="The web form's public key")
    token: str = Field(..., description="From GET /crm/web-leads/token, when the form was shown")
    name: str
    company_name: str = ""
    email: str = ""
    phone: str = ""
    orgnr: str = ""
    message: str = ""
    website: str = Field("", description="Honeypot: leave empty (people never see it)")


class WebLeadOut(Schema):
    id: int
    message: str


class WebFormTokenOut(Schema):
    token: str
    min_seconds: int


class StageOut(Schema):
    id: int
    name: str
    position: int
    probability: int
    is_won: bool
    is_lost: bool


class StageIn(Schema):
    name: str
    probability: int
    position: int | None = None
    is_won: bool = False
    is_lost: bool = False


class StagePatch(Schema):
    name: str | None = None
    probability: int | None = None
    position: int | None = None
    is_won: bool | None = None
    is_lost: bool | None = None


class OpportunityOut(Schema):
    id: int
    name: str
    party_id: int
    party_name: str = Field(..., alias="party.name")
    contact_id: int | None
    lead_id: int | None
    stage_id: int
    stage_name: str = Field(..., alias="stage.name")
    probability: int = Field(..., alias="stage.probability")
    status: str = Field(..., description="open, won or lost")
    expected_revenue: Decimal
    currency: str
    close_date: date
    owner_id: int | None
    team_id: int | None
    reason: str
    closed_at: datetime | None
    created_at: datetime


class OpportunityIn(Schema):
    name: str
    party_id: int
    contact_id: int | None = None
    stage_id: int | None = Field(None, description="Default: the first open stage")
    expected_revenue: Decimal = Decimal("0")
    close_date: date
    owner_id: int | None = None
    team_id: int | None = None


class OpportunityPatch(Schema):
    name: str | None = None
    party_id: int | None = None
    contact_id: int | None = None
    expected_revenue: Decimal | None = None
    close_date: date | None = None
    owner_id: int | None = None
    team_id: int | None = None


class OpportunityFilters(Schema):
    q: str | None = None
    status: str | None = None
    stage_id: int | None = None
    owner_id: int | None = None
    team_id: int | None = None
    party_id: int | None = None
    created_from: date | None = Field(None, description="Created on or after (local day)")
    created_to: date | None = Field(None, description="Created on or before (local day)")
    closed_from: date | None = Field(None, description="Won or lost on or after (local day)")
    closed_to: date | None = Field(None, description="Won or lost on or before (local day)")


class MoveIn(Schema):
    stage_id: int
    reason: str = ""


class CloseIn(Schema):
    reason: str = ""


class ForecastRowOut(Schema):
    key: str | None
    label: str
    count: int
    total: Decimal
    weighted: Decimal


class ActivityOut(Schema):
    id: int
    kind: str
    subject: str
    notes: str
    due_at: datetime
    duration_minutes: int
    owner_id: int
    party_id: int | None
    opportunity_id: int | None
    lead_id: int | None
    outcome: str
    completed_at: datetime | None
    is_overdue: bool


class ActivityIn(Schema):
    kind: str = "task"
    subject: str
    notes: str = ""
    due_at: datetime
    duration_minutes: int = 30
    owner_id: int | None = None
    party_id: int | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None


class ActivityPatch(Schema):
    kind: str | None = None
    subject: str | None = None
    notes: str | None = None
    due_at: datetime | None = None
    duration_minutes: int | None = None
    owner_id: int | None = None
    party_id: int | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None


class ActivityFilters(Schema):
    mine: bool = Field(False, description="Only the caller's activities")
    state: str | None = Field(None, description="open, overdue or done")
    kind: str | None = None
    party_id: int | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None


class CompleteIn(Schema):
    outcome: str = ""


class ScoreRuleOut(Schema):
    id: int
    field: str
    operator: str = Field(..., description="is_set, is_empty, equals, contains or ends_with")
    value: str
    points: int
    is_active: bool


class ScoreRuleIn(Schema):
    field: str
    operator: str
    value: str = ""
    points: int
    is_active: bool = True


class ScoreRulePatch(Schema):
    field: str | None = None
    operator: str | None = None
    value: str | None = None
    points: int | None = None
    is_active: bool | None = None


class WebFormOut(Schema):
    id: int
    name: str
    key: str = Field(..., description="The public form key the website sends")
    default_owner_id: int | None
    thank_you: str
    is_active: bool
    lead_count: int


class WebFormIn(Schema):
    name: str
    default_owner_id: int | None = None
    thank_you: str = ""
    is_active: bool = True


class WebFormPatch(Schema):
    name: str | None = None
    default_owner_id: int | None = None
    thank_you: str | None = None
    is_active: bool | None = None
