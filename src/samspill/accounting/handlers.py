"""What accounting does on its own events: an invoice's state (posted, partly paid, paid)
follows its open amount when open items are matched or released from the ledger's pages
(matching by hand, a reversal), not only through payments and credit notes."""

from __future__ import annotations

from samspill.accounting.models import Invoice
from samspill.accounting.services.invoices import refresh_states
from samspill.platform.events import subscribe


@subscribe("accounting.lines.matched", name="accounting.invoice_state_on_match")
@subscribe("accounting.lines.unmatched", name="accounting.invoice_state_on_unmatch")
def lines_matched(event) -> None:
    ids = list(
        Invoice.objects.filter(receivable_line_id__in=event.payload.get("line_ids") or [])
        .exclude(state=Invoice.State.DRAFT)
        .values_list("pk", flat=True)
    )
    if ids:
        refresh_states(ids, actor=None)
