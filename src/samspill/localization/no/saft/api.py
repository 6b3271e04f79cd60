"""GET /api/v1/accounting/saft?from=YYYY-MM-DD&to=YYYY-MM-DD: the SAF-T Financial 1.30
file of a range inside one fiscal year. Bad ranges answer problem+json (422)."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse
from ninja import Field, Query, Router, Schema

from samspill.localization.no.saft import services

router = Router(tags=["accounting"])


class SaftRange(Schema):
    date_from: dt.date = Field(..., alias="from", description="First day, e.g. 2026-01-01")
    date_to: dt.date = Field(..., alias="to", description="Last day, in the same fiscal year")


XML_RESPONSE = {
    "responses": {
        200: {
            "description": "The SAF-T Financial 1.30 XML file (attachment).",
            "content": {"application/xml": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


@router.get(
    "",
    summary="SAF-T Financial 1.30 export",
    description=(
        "The Norwegian standard audit file of the general ledger for one or more periods "
        "of one fiscal year. Roles finance and management. The export is recorded in the "
        "audit log and published as `localization.saft.exported`."
    ),
    openapi_extra=XML_RESPONSE,
)
def export_saft(request, selection: Query[SaftRange]):
    result, handle = services.export_to_temporary_file(
        actor=request.user, date_from=selection.date_from, date_to=selection.date_to
    )
    return FileResponse(
        handle, as_attachment=True, filename=result.file_name, content_type="application/xml"
    )
