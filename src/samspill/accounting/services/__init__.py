"""Commands of the general ledger: the only code that writes its tables. One transaction
per command, permission checked when an actor is given, validated before anything is
written, audited, events published in the same transaction."""

from samspill.accounting.services.entries import (
    create_entry,
    delete_entry,
    post_entries,
    post_entry,
    preview_lines,
    reverse_entry,
    update_entry,
)
from samspill.accounting.services.matching import auto_match, match_lines, unmatch_lines
from samspill.accounting.services.periods import close_period, close_year, reopen_period
from samspill.accounting.services.setup import (
    create_account,
    create_journal,
    create_project,
    load_chart,
    open_fiscal_year,
    update_account,
    vat_allowed,
)

__all__ = [
    "auto_match",
    "close_period",
    "close_year",
    "create_account",
    "create_entry",
    "create_journal",
    "create_project",
    "delete_entry",
    "load_chart",
    "match_lines",
    "open_fiscal_year",
    "post_entries",
    "post_entry",
    "preview_lines",
    "reopen_period",
    "reverse_entry",
    "unmatch_lines",
    "update_account",
    "update_entry",
    "vat_allowed",
]
