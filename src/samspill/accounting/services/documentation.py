"""Documentation of vouchers (bokføringsloven): files attached to a journal entry through the
platform's chatter panel. A posted voucher's documentation is kept as long as the voucher:
its files cannot be deleted (the chatter's delete_attachment asks `locked`); a draft's can,
and deleting a draft deletes its files and comments."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samspill.accounting.models import JournalEntry


def locked(entry: JournalEntry) -> str:
    """Why the entry's files may not be deleted, or ""."""
    if entry.state == JournalEntry.State.POSTED:
        return _(
            "Voucher %(voucher)s is posted: its documentation must be kept and cannot be "
            "deleted. Attach a correction instead."
        ) % {"voucher": entry.voucher}
    return ""


def remove(entry: JournalEntry) -> None:
    """Delete a draft's files and comments (inside the transaction deleting it)."""
    from samspill.platform import records
    from samspill.platform.chatter import remove_chatter

    remove_chatter(records.content_type(entry), str(entry.pk))
