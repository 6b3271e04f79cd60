"""What the CRM does when another domain's event arrives.

`automation.inbound.received` with message type "lead" or "email" (another system, such as
a mail gateway or a shop, posting to /api/v1/automation/inbound/<source>) becomes a lead:
"lead" carries the lead's fields, "email" an e-mail's sender, subject and text. A message
that is not a valid lead is logged and skipped (retrying cannot make it valid)."""

from __future__ import annotations

import logging

from samspill.crm import services
from samspill.crm.models import Lead
from samspill.platform.errors import DomainError
from samspill.platform.events import subscribe

log = logging.getLogger(__name__)

LEAD_FIELDS = ("name", "company_name", "email", "phone", "orgnr", "message")


def _from_email(data: dict) -> dict:
    sender = data.get("from_name") or data.get("name") or ""
    address = data.get("from") or data.get("from_email") or data.get("email") or ""
    subject = (data.get("subject") or "").strip()
    body = (data.get("text") or data.get("body") or "").strip()
    return {
        "name": sender or address.split("@")[0],
        "email": address,
        "company_name": data.get("company_name") or "",
        "message": f"{subject}\n\n{body}".strip(),
    }


@subscribe("automation.inbound.received", name="crm.lead_from_inbound")
def lead_from_inbound(event) -> None:
    payload = event.payload
    kind = (payload.get("message_type") or "").lower()
    if kind not in ("lead", "email"):
        return
    data = payload.get("data") or {}
    if not isinstance(data, dict):
        return
    source: str
    if kind == "email":
        fields = _from_email(data)
        source = Lead.Source.EMAIL
    else:
        fields = {name: str(data.get(name) or "") for name in LEAD_FIELDS}
        wanted = str(data.get("source") or "")
        source = wanted if wanted in Lead.Source.values else Lead.Source.OTHER
    try:
        services.create_lead(actor=None, source=source, **fields)
    except DomainError as exc:
        log.warning(
            "inbound message is not a valid lead",
            extra={"message_id": payload.get("message_id"), "errors": exc.errors},
        )
