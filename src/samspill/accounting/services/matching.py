"""Open items: matching lines on a reconcilable account (customers 1500, suppliers 2400)
that settle each other, such as an invoice and its payments.

A match is the set of lines carrying the same `match` number, the lowest line id among
them. All its lines are posted and on the same account and party. It is *settled* when its
lines sum to zero; until then the remainder is still open (a partial payment). Matching more
lines to a line that is already matched joins the existing match, so paying an invoice in
three parts is three calls. Unmatching releases every line of the match.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import ZERO, JournalLine
from samspill.accounting.services.common import fail
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish
from samspill.platform.permissions import require


def _check(lines: list[JournalLine]) -> None:
    if len(lines) < 2:
        raise fail(_("Choose at least two lines to match."), "lines")
    first = lines[0]
    for line in lines:
        if not line.posted:
            raise Conflict(_("Only posted lines can be matched."), code="not_posted")
        if not line.account.reconcilable:
            raise fail(
                _("Account %(number)s does not keep open items.") % {"number": line.account.number},
                "lines",
            )
        if line.account_id != first.account_id:
            raise fail(_("Matched lines must be on the same account."), "lines")
        if line.party_id != first.party_id:
            raise fail(_("Matched lines must belong to the same party."), "lines")


def match(lines: Iterable[JournalLine], *, actor=None) -> int:
    """Match locked, loaded lines (and every line already matched with any of them).
    For other ledger commands that match in their own transaction (reversal, payments)."""
    lines = list(lines)
    _check(lines)
    existing = {line.match for line in lines if line.match is not None}
    if existing:
        joined = (
            JournalLine.objects.select_for_update()
            .select_related("account")
            .filter(match__in=existing)
            .exclude(pk__in=[line.pk for line in lines])
        )
        lines += list(joined)
        _check(lines)
    number = min(line.pk for line in lines)
    JournalLine.objects.filter(pk__in=[line.pk for line in lines]).update(match=number)
    residual = sum((line.debit - line.credit for line in lines), ZERO)
    first = lines[0]
    audit.record(
        "update",
        first,
        actor=actor,
        changes={
            "match": [sorted(existing) or None, number],
            "lines": sorted(line.pk for line in lines),
        },
    )
    publish(
        events.LinesMatched(
            match=number,
            account=first.account.number,
            party_id=first.party_id,
            line_ids=sorted(line.pk for line in lines),
            residual=residual,
        ),
        actor=actor,
    )
    return number


@transaction.atomic
def match_lines(line_ids: Iterable[int], *, actor) -> int:
    """Match posted lines on one reconcilable account and party; returns the match number."""
    if actor is not None:
        require(actor, "accounting.change_journalline")
    ids = sorted({int(pk) for pk in line_ids})
    lines = list(
        JournalLine.objects.select_for_update().select_related("account").filter(pk__in=ids)
    )
    if len(lines) != len(ids):
        raise fail(_("Choose existing lines."), "lines")
    return match(lines, actor=actor)


@transaction.atomic
def unmatch_lines(match_number: int, *, actor) -> int:
    """Release every line of a match; returns how many lines were released."""
    if actor is not None:
        require(actor, "accounting.change_journalline")
    lines = list(
        JournalLine.objects.select_for_update().select_related("account").filter(match=match_number)
    )
    if not lines:
        raise fail(_("There is no such match."), "match")
    JournalLine.objects.filter(match=match_number).update(match=None)
    first = lines[0]
    audit.record(
        "update",
        first,
        actor=actor,
        changes={"match": [match_number, None], "lines": sorted(line.pk for line in lines)},
    )
    publish(
        events.LinesUnmatched(
            match=match_number,
            account=first.account.number,
            party_id=first.party_id,
            line_ids=sorted(line.pk for line in lines),
        ),
        actor=actor,
    )
    return len(lines)


def residual(match_number: int):
    """What a match still leaves open (debit - credit)."""
    total = JournalLine.objects.filter(match=match_number).aggregate(
        total=Sum("debit") - Sum("credit")
    )["total"]
    return total or ZERO


@transaction.atomic
def auto_match(account, party_id: int | None = None, *, actor) -> list[int]:
    """Match each payment with the oldest unmatched invoice of exactly the same amount, on a
    reconcilable account, for one party or every party. An invoice is a line on the
    account's normal side (a debit on customers, a credit on suppliers), a payment one on
    the other side; payments are taken oldest first. Returns the new match numbers (one
    event each, as match_lines)."""
    if actor is not None:
        require(actor, "accounting.change_journalline")
    if not account.reconcilable:
        raise fail(
            _("Account %(number)s does not keep open items.") % {"number": account.number},
            "account",
        )
    scope = (
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(account=account, posted=True, match__isnull=True, party__isnull=False)
        .order_by("date", "id")
    )
    if party_id is not None:
        scope = scope.filter(party_id=party_id)
    credit_normal = account.normal_side == account.Side.CREDIT
    invoices: dict[tuple, list[JournalLine]] = {}
    payments: list[JournalLine] = []
    for line in scope:
        is_invoice = (line.credit > 0) if credit_normal else (line.debit > 0)
        amount = line.credit or line.debit
        if is_invoice:
            invoices.setdefault((line.party_id, amount), []).append(line)
        else:
            payments.append(line)
    numbers = []
    for pay in payments:
        candidates = invoices.get((pay.party_id, pay.debit or pay.credit))
        if candidates:
            numbers.append(match([candidates.pop(0), pay], actor=actor))
    return numbers
