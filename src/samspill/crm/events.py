"""Events published by the CRM. Each names the party it is about (when there is one), so the
party's 360-degree timeline shows leads, opportunities and activities."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class LeadCreated(Event):
    type = "crm.lead.created"
    description = _("A lead came in")
    subject_fields = {"lead_id": "lead", "owner_id": "user"}

    lead_id: int
    name: str
    company_name: str = ""
    source: str = ""
    score: int = 0
    owner_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Lead %(name)s came in (score %(score)s)") % payload


@dataclass(frozen=True, kw_only=True)
class LeadUpdated(Event):
    type = "crm.lead.updated"
    description = _("A lead was changed")
    subject_fields = {"lead_id": "lead"}

    lead_id: int
    name: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Lead %(name)s changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class LeadQualified(Event):
    type = "crm.lead.qualified"
    description = _("A lead was qualified")
    subject_fields = {"lead_id": "lead"}

    lead_id: int
    name: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Lead %(name)s was qualified") % payload


@dataclass(frozen=True, kw_only=True)
class LeadDisqualified(Event):
    type = "crm.lead.disqualified"
    description = _("A lead was disqualified")
    subject_fields = {"lead_id": "lead"}

    lead_id: int
    name: str
    reason: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Lead %(name)s was disqualified: %(reason)s") % payload


@dataclass(frozen=True, kw_only=True)
class LeadConverted(Event):
    type = "crm.lead.converted"
    description = _("A lead was converted into a customer and an opportunity")
    subject_fields = {
        "lead_id": "lead",
        "party_id": "party",
        "contact_id": "party",
        "opportunity_id": "opportunity",
    }

    lead_id: int
    name: str
    party_id: int
    contact_id: int | None = None
    opportunity_id: int

    @classmethod
    def summarize(cls, payload):
        return gettext("Lead %(name)s was converted into a customer and an opportunity") % payload


@dataclass(frozen=True, kw_only=True)
class OpportunityCreated(Event):
    type = "crm.opportunity.created"
    description = _("An opportunity was opened")
    subject_fields = {"opportunity_id": "opportunity", "party_id": "party", "owner_id": "user"}

    opportunity_id: int
    name: str
    party_id: int
    stage: str
    expected_revenue: str
    close_date: str
    owner_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Opportunity %(name)s was opened (%(expected_revenue)s NOK)") % payload


@dataclass(frozen=True, kw_only=True)
class OpportunityUpdated(Event):
    type = "crm.opportunity.updated"
    description = _("An opportunity was changed")
    subject_fields = {"opportunity_id": "opportunity", "party_id": "party"}

    opportunity_id: int
    name: str
    party_id: int
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Opportunity %(name)s changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class OpportunityStageChanged(Event):
    type = "crm.opportunity.stage_changed"
    description = _("An opportunity moved to another stage")
    subject_fields = {"opportunity_id": "opportunity", "party_id": "party"}

    opportunity_id: int
    name: str
    party_id: int
    from_stage: str
    to_stage: str
    probability: int

    @classmethod
    def summarize(cls, payload):
        return gettext("Opportunity %(name)s moved from %(from_stage)s to %(to_stage)s") % payload


@dataclass(frozen=True, kw_only=True)
class OpportunityWon(Event):
    type = "crm.opportunity.won"
    description = _("An opportunity was won")
    subject_fields = {"opportunity_id": "opportunity", "party_id": "party"}

    opportunity_id: int
    name: str
    party_id: int
    expected_revenue: str
    reason: str = ""

    @classmethod
    def summarize(cls, payload):
        return gettext("Opportunity %(name)s was won (%(expected_revenue)s NOK)") % payload


@dataclass(frozen=True, kw_only=True)
class OpportunityLost(Event):
    type = "crm.opportunity.lost"
    description = _("An opportunity was lost")
    subject_fields = {"opportunity_id": "opportunity", "party_id": "party"}

    opportunity_id: int
    name: str
    party_id: int
    reason: str = ""

    @classmethod
    def summarize(cls, payload):
        return gettext("Opportunity %(name)s was lost: %(reason)s") % payload


@dataclass(frozen=True, kw_only=True)
class ActivityCreated(Event):
    type = "crm.activity.created"
    description = _("An activity was planned")
    subject_fields = {
        "activity_id": "activity",
        "party_id": "party",
        "opportunity_id": "opportunity",
        "lead_id": "lead",
        "owner_id": "user",
    }

    activity_id: int
    kind: str
    subject: str
    due_at: str
    owner_id: int
    party_id: int | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Activity planned: %(subject)s") % payload


@dataclass(frozen=True, kw_only=True)
class ActivityUpdated(Event):
    type = "crm.activity.updated"
    description = _("An activity was changed")
    subject_fields = {"activity_id": "activity", "party_id": "party"}

    activity_id: int
    subject: str
    party_id: int | None = None
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Activity %(subject)s changed: %(fields)s") % {
            "subject": payload["subject"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class ActivityCompleted(Event):
    type = "crm.activity.completed"
    description = _("An activity was completed")
    subject_fields = {
        "activity_id": "activity",
        "party_id": "party",
        "opportunity_id": "opportunity",
        "lead_id": "lead",
    }

    activity_id: int
    kind: str
    subject: str
    outcome: str = ""
    party_id: int | None = None
    opportunity_id: int | None = None
    lead_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        if payload.get("outcome"):
            return gettext("Activity done: %(subject)s — %(outcome)s") % payload
        return gettext("Activity done: %(subject)s") % payload
