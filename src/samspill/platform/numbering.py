"""Gapless document numbers per series and year ("SO-2026-00001"), as Norwegian bookkeeping
rules expect of sales documents: one way for every domain.

`next_number` must be called inside the transaction that creates the document. It locks the
series' row for the year (SELECT ... FOR UPDATE) until that transaction ends, so a rolled-back
document gives its number back and two transactions never get the same number; concurrent
callers of the same series wait for each other, other series are not affected. Series names
are namespaced by their domain: "sales.quote", "purchasing.order", "helpdesk.ticket".
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from samspill.platform.models import NumberSeries


def next_value(series: str, year: int) -> int:
    """The next value (1, 2, 3 ...) of `series` in `year`, for a document that formats its
    number its own way (invoice numbers "202600001")."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("document numbers must be drawn inside the document's transaction")
    row = NumberSeries.objects.select_for_update().filter(series=series, year=year).first()
    if row is None:  # the first number of the year; a concurrent first waits on the insert
        NumberSeries.objects.get_or_create(series=series, year=year)
        row = NumberSeries.objects.select_for_update().get(series=series, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last


def next_number(series: str, prefix: str, on: date, digits: int = 5) -> str:
    """The next number of `series` in the year of `on`, formatted "PREFIX-YEAR-00001"."""
    return f"{prefix}-{on.year}-{next_value(series, on.year):0{digits}d}"
