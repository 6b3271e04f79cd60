"""What accounting does on its own events for supplier bills: a bill's state (approved,
partly paid, paid) follows what its payable still leaves open when open items are matched or
released from the ledger's pages (matching by hand, a reversal), not only through payments."""

from __future__ import annotations

from samspill.accounting.models import SupplierBill
from samspill.accounting.services.bills import refresh_states
from samspill.platform.events import subscribe


@subscribe("accounting.lines.matched", name="accounting.bill_state_on_match")
@subscribe("accounting.lines.unmatched", name="accounting.bill_state_on_unmatch")
def lines_matched(event) -> None:
    ids = list(
        SupplierBill.objects.filter(
            payable_line_id__in=event.payload.get("line_ids") or []
        ).values_list("pk", flat=True)
    )
    if ids:
        refresh_states(ids, actor=None)
