"""The SAF-T export as a command: check the permission and the range, write the file,
record who exported which range in the audit log and publish `localization.saft.exported`
- in one transaction, which on PostgreSQL reads one snapshot of the ledger (REPEATABLE
READ), so postings made while a large file is written cannot make it inconsistent."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import timezone

from samspill.localization.no.saft import exporter, queries
from samspill.localization.no.saft.events import SaftExported
from samspill.localization.no.saft.selection import Selection, resolve
from samspill.platform import audit
from samspill.platform.events import publish
from samspill.platform.permissions import require

PERMISSION = "accounting.view_journalline"


@dataclass(frozen=True)
class ExportResult:
    file_name: str
    selection: Selection
    totals: queries.Totals
    created: datetime


def export(
    *, actor, date_from: date, date_to: date, out, progress: exporter.Progress | None = None
) -> ExportResult:
    """Write the SAF-T Financial 1.30 file of `date_from`..`date_to` (one fiscal year) to
    `out`, a path or a binary file object. Raises ValidationFailed for a bad range,
    Conflict when the company is not set up, PermissionDenied without finance or
    management rights."""
    if actor is not None:
        require(actor, PERMISSION)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        selection = resolve(date_from, date_to)
        company = exporter.company_or_fail()
        created = timezone.now()
        name = exporter.file_name(company.org_number, created)
        totals = exporter.write(selection, out, created=created, user=actor, progress=progress)
        audit.record(
            "export",
            selection.fiscal_year,
            actor=actor,
            changes={
                "saft": [
                    None,
                    {
                        "from": selection.date_from.isoformat(),
                        "to": selection.date_to.isoformat(),
                        "file": name,
                        "entries": totals.entries,
                        "lines": totals.lines,
                    },
                ]
            },
            object_repr=f"SAF-T {selection.fiscal_year.name} {selection}",
        )
        publish(
            SaftExported(
                fiscal_year=selection.fiscal_year.name,
                date_from=selection.date_from.isoformat(),
                date_to=selection.date_to.isoformat(),
                file_name=name,
                entries=totals.entries,
                lines=totals.lines,
                total_debit=str(totals.debit),
            ),
            actor=actor,
        )
    return ExportResult(file_name=name, selection=selection, totals=totals, created=created)


def export_to_temporary_file(*, actor, date_from: date, date_to: date):
    """(ExportResult, an open temporary file positioned at its start) for a download: the
    file is on disk, not in memory, and disappears when closed."""
    handle = tempfile.TemporaryFile(suffix=".xml")  # noqa: SIM115 - the response closes it
    try:
        result = export(actor=actor, date_from=date_from, date_to=date_to, out=handle)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return result, handle


def preview(*, actor, date_from: date, date_to: date) -> tuple[Selection, queries.Totals]:
    """What a file for the range would hold (counts and sums), without writing it."""
    if actor is not None:
        require(actor, PERMISSION)
    selection = resolve(date_from, date_to)
    return selection, queries.totals(selection)
