"""Commands of the CRM: the only code that writes its tables.

Each command is one transaction, checks the actor's permission (when an actor is given),
validates before it writes, records the change in the audit trail and publishes its
event(s). Bad input raises ValidationFailed with field-keyed errors and writes nothing.
Parties (organisation and contact person) are created through the parties services.
"""

from samspill.crm.services.activities import (
    complete_activity,
    create_activity,
    create_follow_up,
    delete_activity,
    send_due_reminders,
    update_activity,
)
from samspill.crm.services.common import RateLimited
from samspill.crm.services.leads import (
    Conversion,
    ImportReport,
    active_web_form,
    capture_web_lead,
    convert_lead,
    create_lead,
    disqualify_lead,
    form_token,
    import_leads,
    qualify_lead,
    rescore_open_leads,
    score_of,
    update_lead,
)
from samspill.crm.services.pipeline import (
    create_opportunity,
    create_stage,
    delete_stage,
    ensure_default_stages,
    mark_lost,
    mark_won,
    money,
    move_opportunity,
    update_opportunity,
    update_stage,
)
from samspill.crm.services.setup import (
    calendar_feed,
    create_score_rule,
    create_web_form,
    delete_score_rule,
    regenerate_calendar_feed,
    regenerate_web_form_key,
    update_score_rule,
    update_web_form,
)

__all__ = [
    "Conversion",
    "ImportReport",
    "RateLimited",
    "active_web_form",
    "calendar_feed",
    "capture_web_lead",
    "complete_activity",
    "convert_lead",
    "create_activity",
    "create_follow_up",
    "create_lead",
    "create_opportunity",
    "create_score_rule",
    "create_stage",
    "create_web_form",
    "delete_activity",
    "delete_score_rule",
    "delete_stage",
    "disqualify_lead",
    "ensure_default_stages",
    "form_token",
    "import_leads",
    "mark_lost",
    "mark_won",
    "money",
    "move_opportunity",
    "qualify_lead",
    "regenerate_calendar_feed",
    "regenerate_web_form_key",
    "rescore_open_leads",
    "score_of",
    "send_due_reminders",
    "update_activity",
    "update_lead",
    "update_opportunity",
    "update_score_rule",
    "update_stage",
    "update_web_form",
]
