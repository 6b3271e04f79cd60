"""What customer service does when its own events arrive: a resolved ticket sends the
customer the satisfaction survey (after the resolution is committed, once per ticket)."""

from __future__ import annotations

from samspill.helpdesk.services import csat
from samspill.platform.events import subscribe


@subscribe("helpdesk.ticket.resolved", name="helpdesk.csat_survey")
def ticket_resolved(event) -> None:
    ticket_id = event.payload.get("ticket_id")
    if isinstance(ticket_id, int):
        csat.request_survey(ticket_id)
