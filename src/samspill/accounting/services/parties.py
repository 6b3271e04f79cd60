"""What the ledger does when the parties domain merges two parties (a hook registered in
AccountingConfig.ready(); it runs inside the merge transaction). An erased person keeps
their anonymised row, so the vouchers that name them stay as the Bookkeeping Act wants."""

from __future__ import annotations

from samspill.accounting.models import JournalLine
from samspill.platform import audit


def move_party_lines(survivor, duplicate, actor) -> None:
    """A merge keeps the books whole: the duplicate's ledger lines name the survivor.
    The amounts and accounts of posted vouchers do not change."""
    from samspill.accounting.models import Invoice, Payment

    Invoice.objects.filter(party=duplicate).update(party=survivor)
    Payment.objects.filter(party=duplicate).update(party=survivor)
    lines = JournalLine.objects.filter(party=duplicate)
    entry_ids = sorted(set(lines.values_list("entry_id", flat=True)))
    if not entry_ids:
        return
    lines.update(party=survivor)
    from samspill.accounting.models import JournalEntry

    for entry in JournalEntry.objects.filter(pk__in=entry_ids):
        audit.record(
            "update",
            entry,
            actor=actor,
            changes={"party": [duplicate.pk, survivor.pk]},
            object_repr=entry.voucher or str(entry),
        )
