"""Offsetting a customer's open credit note against one of their open invoices (motregning).

A credit note is matched with its own invoice when posted; it stays open (negative) when
that invoice was already paid. Its credit can then pay another invoice of the customer: one
general voucher (GEN) with two lines on the receivable (1500) for the customer, a debit
matched with the credit note's receivable and a credit matched with the invoice's. Each
document keeps its own match, so their open amounts stay their own."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting.models import Invoice, JournalEntry, JournalLine
from samspill.accounting.queries.invoices import with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import entries, matching
from samspill.accounting.services.common import fail, money
from samspill.accounting.services.invoices import refresh_states
from samspill.accounting.services.payments import Overpayment
from samspill.localization.no import chart
from samspill.platform import audit
from samspill.platform.permissions import require

OPEN_STATES = (Invoice.State.POSTED, Invoice.State.PARTLY_PAID)


def _locked(value, field: str):
    pk = getattr(value, "pk", value)
    row = (
        with_open_amount(
            Invoice.objects.select_for_update(of=("self",))
            .select_related("party")
            .filter(pk=int(str(pk)))
        ).first()
        if str(pk or "").isdigit()
        else None
    )
    if row is None:
        raise fail(_("Choose an existing document."), field)
    return row


@transaction.atomic
def offset_credit_note(credit_note, invoice, *, actor, amount=None, date=None) -> JournalEntry:
    """Use (part of) an open credit note to pay an open invoice of the same customer.
    `amount` defaults to the smaller of the credit left and what the invoice has open."""
    if actor is not None:
        require(actor, "accounting.add_payment")
        require(actor, "accounting.post_journalentry")
    credit = _locked(credit_note, "credit_note")
    target = _locked(invoice, "invoice")
    if credit.kind != Invoice.Kind.CREDIT_NOTE or credit.is_draft:
        raise fail(_("Choose a posted credit note."), "credit_note")
    if target.kind != Invoice.Kind.INVOICE or target.state not in OPEN_STATES:
        raise fail(_("Choose an open invoice."), "invoice")
    if credit.party_id != target.party_id:
        raise fail(_("The credit note and the invoice must be of the same customer."), "invoice")
    left = -cents(credit.open_amount)
    open_amount = cents(target.open_amount)
    if left <= 0:
        raise fail(_("Credit note %(number)s has no credit left.") % {"number": credit.number},
                   "credit_note")  # fmt: skip
    if open_amount <= 0:
        raise fail(_("Invoice %(number)s is paid.") % {"number": target.number}, "invoice")
    value: Decimal = min(left, open_amount) if amount in (None, "") else money(amount, "amount")
    if value <= 0:
        raise fail(_("The amount must be greater than zero."), "amount")
    if value > left or value > open_amount:
        raise Overpayment(
            _(
                "%(amount)s is more than the credit left (%(left)s) or what invoice %(number)s "
                "has open (%(open)s)."
            )
            % {"amount": value, "left": left, "number": target.number, "open": open_amount}
        )
    text = (
        _("Credit note %(credit)s offset against invoice %(invoice)s")
        % {"credit": credit.number, "invoice": target.number}
    )[:200]
    entry = entries.create_entry(
        actor=None,
        journal="GEN",
        date=entries._date(date or timezone.localdate()),
        description=text,
        lines=[
            {
                "account": chart.RECEIVABLE,
                "debit": value,
                "party": credit.party,
                "description": text,
            },
            {
                "account": chart.RECEIVABLE,
                "credit": value,
                "party": credit.party,
                "description": text,
            },
        ],
        post=True,
    )
    debit, credit_line = list(
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(entry=entry)
        .order_by("line_no")
    )
    originals = {
        line.pk: line
        for line in JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(pk__in=[credit.receivable_line_id, target.receivable_line_id])
    }
    assert credit.receivable_line_id is not None and target.receivable_line_id is not None
    matching.match([originals[credit.receivable_line_id], debit], actor=actor)
    matching.match([originals[target.receivable_line_id], credit_line], actor=actor)
    audit.record(
        "update",
        target,
        actor=actor,
        changes={"offset": [None, f"{credit.number}: {value}"]},
        object_repr=target.number,
    )
    refresh_states([credit.pk, target.pk], actor=actor)
    return entry
