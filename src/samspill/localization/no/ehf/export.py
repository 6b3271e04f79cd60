"""Write the EHF files of posted invoices and credit notes into a directory (the
`samspill export-ehf` command)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from samspill.accounting.models import Invoice
from samspill.localization.no.ehf.writer import NoEhf, ehf_filename, invoice_xml
from samspill.platform.errors import NotFound


@dataclass
class ExportResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (number, why)


def export_files(numbers: list[str] | None, directory: Path) -> ExportResult:
    """The documents with these numbers, or every posted one when `numbers` is None."""
    rows = Invoice.objects.exclude(state=Invoice.State.DRAFT).select_related(
        "party", "credited_invoice"
    )
    if numbers is not None:
        rows = rows.filter(number__in=numbers)
        missing = sorted(set(numbers) - {row.number for row in rows})
        if missing:
            raise NotFound(
                _("No posted invoice with number: %(numbers)s") % {"numbers": ", ".join(missing)}
            )
    directory.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    for invoice in rows.order_by("number"):
        try:
            xml = invoice_xml(invoice)
        except NoEhf as exc:
            result.skipped.append((invoice.number or "", str(exc.message)))
            continue
        path = directory / ehf_filename(invoice)
        path.write_bytes(xml)
        result.written.append(path)
    return result
