"""Read side of dunning: overdue invoices with their last reminder, and the reminders."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting.models import Invoice, Reminder
from samspill.accounting.queries.invoices import overdue_q, with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict


def overdue_invoices(
    user=None,
    *,
    today: date | None = None,
    party_id: int | None = None,
    level: str | int | None = None,
) -> Any:
    """Posted invoices past their due date with money still open, oldest due first,
    annotated with their last reminder: `last_level`, `last_reminder_date`,
    `reminder_due_date` (one subquery each, no query per row). `level`: 0 for the ones
    never reminded, 1 or 2 for those whose last reminder has that level."""
    last = Reminder.objects.filter(invoice=OuterRef("pk")).order_by("-level")
    rows = (
        with_open_amount(
            Invoice.objects.select_related("party").filter(overdue_q(today or timezone.localdate()))
        )
        .filter(open_amount__gt=0)
        .annotate(
            last_level=Subquery(last.values("level")[:1]),
            last_reminder_date=Subquery(last.values("date")[:1]),
            reminder_due_date=Subquery(last.values("due_date")[:1]),
        )
        .order_by("due_date", "id")
    )
    if party_id:
        rows = rows.filter(party_id=party_id)
    if level not in (None, ""):
        value = int(level) if str(level).isdigit() else -1
        rows = rows.filter(last_level__isnull=True) if value == 0 else rows.filter(last_level=value)
    return restrict(rows, user)


def reminders(user=None) -> QuerySet[Reminder]:
    return restrict(
        Reminder.objects.select_related("invoice", "party", "fee_entry").order_by("-date", "-id"),
        user,
    )


def reminder(pk, user=None) -> Reminder:
    row = reminders(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(_("The reminder does not exist."))
    return row


def filter_reminders(
    rows: QuerySet[Reminder],
    *,
    party_id: int | None = None,
    invoice_id: int | None = None,
    level: int | None = None,
) -> QuerySet[Reminder]:
    if party_id:
        rows = rows.filter(party_id=party_id)
    if invoice_id:
        rows = rows.filter(invoice_id=invoice_id)
    if level:
        rows = rows.filter(level=level)
    return rows


def party_dunning(party_id: int) -> dict:
    """The customer's overdue amount and its latest reminders (two queries)."""
    overdue = with_open_amount(
        Invoice.objects.filter(party_id=party_id).filter(overdue_q())
    ).aggregate(total=Sum("open_amount", filter=Q(open_amount__gt=0)))["total"]
    latest = list(
        Reminder.objects.filter(party_id=party_id)
        .select_related("invoice")
        .order_by("-date", "-id")[:10]
    )
    return {"overdue": cents(overdue), "reminders": latest}
