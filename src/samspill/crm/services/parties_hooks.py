"""The CRM's part in the parties' merges, erasures and GDPR exports (registered with the
parties' hook registries in CrmConfig.ready(), so parties never imports the CRM)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samspill.crm.models import Activity, Lead, Opportunity
from samspill.platform import audit


def merge(survivor, duplicate, actor) -> None:
    """Move the duplicate's leads, opportunities and activities to the survivor (inside the
    merge transaction)."""
    Opportunity.objects.filter(party=duplicate).update(party=survivor)
    Opportunity.objects.filter(contact=duplicate).update(contact=survivor)
    Activity.objects.filter(party=duplicate).update(party=survivor)
    Lead.objects.filter(party=duplicate).update(party=survivor)
    Lead.objects.filter(contact=duplicate).update(contact=survivor)


def erase(person, actor) -> None:
    """Anonymise the leads a person came from: their name, e-mail, phone and message are
    copies of the person's data (inside the erase transaction)."""
    for lead in Lead.objects.filter(contact=person):
        before = audit.snapshot(lead, exclude=("created_at", "updated_at"))
        lead.name = str(_("Erased person"))
        lead.email = ""
        lead.phone = ""
        lead.message = ""
        lead.save(update_fields=["name", "email", "phone", "message", "updated_at"])
        after = audit.snapshot(lead, exclude=("created_at", "updated_at"))
        audit.record("update", lead, actor=actor, changes=audit.diff(before, after))
    Activity.objects.filter(party=person).update(notes="", outcome="")


def personal_data(person) -> dict[str, Any]:
    """What the CRM holds about a person, for the GDPR export."""
    return {
        "leads": [
            {
                "name": lead.name,
                "company_name": lead.company_name,
                "email": lead.email,
                "phone": lead.phone,
                "message": lead.message,
                "source": lead.source,
                "status": lead.status,
                "created_at": lead.created_at.isoformat(),
            }
            for lead in Lead.objects.filter(contact=person).order_by("id")
        ],
        "activities": [
            {
                "kind": a.kind,
                "subject": a.subject,
                "due_at": a.due_at.isoformat(),
                "notes": a.notes,
                "outcome": a.outcome,
            }
            for a in Activity.objects.filter(party=person).order_by("id")
        ],
    }
