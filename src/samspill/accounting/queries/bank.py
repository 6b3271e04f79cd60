"""Read side of bank statements: the list with its line counts per state, one statement
with its lines (the proposed invoice and payment joined, no query per line)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from samspill.accounting.models import BankStatement, BankStatementLine
from samspill.platform.errors import NotFound
from samspill.platform.permissions import restrict


def statements(user=None) -> Any:
    return restrict(
        BankStatement.objects.defer("source")
        .order_by("-imported_at", "-id")
        .annotate(
            line_count=Count("lines"),
            matched_count=Count("lines", filter=Q(lines__state="matched")),
            proposed_count=Count("lines", filter=Q(lines__state="proposed")),
            unmatched_count=Count("lines", filter=Q(lines__state="unmatched")),
        ),
        user,
    )


def statement(pk, user=None) -> BankStatement:
    row = statements(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(_("The bank statement does not exist."))
    return row


def statement_lines(statement: BankStatement) -> Any:
    return (
        BankStatementLine.objects.filter(statement=statement)
        .select_related(
            "proposed_invoice", "proposed_invoice__party", "entry", "proposed_bill__party"
        )
        .order_by("position")
    )


def line(pk, user=None) -> BankStatementLine:
    """A line of a statement the user may see (lines follow their statement's rights)."""
    visible = statements(user).values("pk")
    row = (
        BankStatementLine.objects.select_related("statement")
        .filter(pk=pk, statement__in=visible)
        .first()
        if str(pk).isdigit()
        else None
    )
    if row is None:
        raise NotFound(_("The bank statement line does not exist."))
    return row


def search(user, query: str, limit: int):
    """Bank statements by statement id, or by a line's KID or bank reference."""
    from django.urls import reverse

    from samspill.platform.registry import SearchHit

    text = query.strip()
    if len(text) < 3:
        return []
    lines = BankStatementLine.objects.filter(Q(kid=text) | Q(bank_reference=text))
    rows = statements(user).filter(
        Q(statement_id__istartswith=text) | Q(pk__in=lines.values("statement_id"))
    )[:limit]
    return [
        SearchHit(
            kind=_("Bank statement"),
            title=row.statement_id,
            url=reverse("accounting:bank_statement_detail", args=[row.pk]),
            subtitle=f"{row.account} · {row.period_end or ''}",
        )
        for row in rows
    ]
