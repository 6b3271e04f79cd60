"""Money out on the bank statement against supplier bills: proposals only, never booked
without a person accepting them (conservative). An outgoing (DBIT) line in the base currency
is proposed against the one approved, open bill whose open amount equals what left the
account and that is recognised by its KID (95), its supplier's bank account (90), its
supplier's invoice number in the text (85), or the supplier's name with exactly one such
bill (75). Accepting it registers the supplier payment (services.bill_payments)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from samspill.accounting.models import BankStatementLine, SupplierBill
from samspill.accounting.queries.bills import OPEN_STATES, with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.parties.models import Party

KID = 95
ACCOUNT = 90
NUMBER_IN_TEXT = 85
NAME = 75


def _normal(text: str) -> str:
    return " ".join((text or "").casefold().split())


def _digits(text: str) -> str:
    return "".join(c for c in (text or "") if c.isalnum()).upper()


def propose_bills(lines: list[BankStatementLine], *, base_currency: str) -> int:
    """Propose open bills for the unmatched outgoing lines; returns how many were proposed.
    Reads the open bills of the amounts in question in one query, the payees' parties in
    one more."""
    debits = [
        line
        for line in lines
        if line.amount < 0
        and line.currency == base_currency
        and line.state == BankStatementLine.State.UNMATCHED
    ]
    if not debits:
        return 0
    amounts = {-line.amount for line in debits}
    candidates: dict[Any, list[SupplierBill]] = defaultdict(list)
    rows = (
        with_open_amount(
            SupplierBill.objects.select_related("party").filter(
                kind=SupplierBill.Kind.BILL, state__in=OPEN_STATES
            )
        )
        .filter(open_amount__in=amounts)
        .order_by("due_date", "id")
    )
    for bill in rows:
        candidates[cents(bill.open_amount)].append(bill)
    if not candidates:
        return 0
    names = {_normal(line.counterparty_name) for line in debits if line.counterparty_name}
    by_name: dict[str, set[int]] = defaultdict(set)
    if names:
        query = Q()
        for name in names:
            query |= Q(name__iexact=name)
        for party in Party.objects.filter(query, erased_at__isnull=True).only("pk", "name"):
            by_name[_normal(party.name)].add(party.pk)
    taken: set[int] = set()
    proposed = 0
    for line in debits:
        fitting = [b for b in candidates.get(-line.amount, []) if b.pk not in taken]
        if not fitting:
            continue
        choice, score = _choose(line, fitting, by_name)
        if choice is None:
            continue
        taken.add(choice.pk)
        line.state = BankStatementLine.State.PROPOSED
        line.proposed_bill = choice
        line.confidence = score
        line.save(update_fields=["state", "proposed_bill", "confidence"])
        proposed += 1
    return proposed


def _choose(line, bills: list[SupplierBill], by_name) -> tuple[SupplierBill | None, int]:
    text = _normal(f"{line.text} {line.kid} {line.bank_reference}")
    rules = (
        (KID, lambda b: bool(b.kid) and b.kid in (line.kid.strip(), *text.split())),
        (
            ACCOUNT,
            lambda b: (
                bool(b.bank_account)
                and _digits(b.bank_account) == _digits(line.counterparty_account)
            ),
        ),
        (
            NUMBER_IN_TEXT,
            lambda b: len(b.supplier_number) >= 3 and _normal(b.supplier_number) in text,
        ),
        (NAME, lambda b: b.party_id in by_name.get(_normal(line.counterparty_name), set())),
    )
    for score, test in rules:
        found = [bill for bill in bills if test(bill)]
        if len(found) == 1:
            return found[0], score
        if len(found) > 1 and score != NAME:
            return found[0], score - 10  # the oldest due of several equal candidates
    return None, 0
