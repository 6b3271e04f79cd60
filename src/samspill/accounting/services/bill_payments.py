"""Supplier payments: money out of the bank to a supplier, allocated to one or many
approved bills (in full or in part). One bank voucher (BNK): the supplier's payable (2400)
debited per bill and matched with the bill's payable line, the bank credited. A payment
larger than what it pays is refused unless a prepayment is allowed: the rest is then debited
to the supplier's payable (2400) as an open item of its own, the supplier's prepayment, to
be matched with a later bill (open items). Amounts are in the base currency, like the
ledger."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import (
    ZERO,
    JournalLine,
    SupplierBill,
    SupplierPayment,
    SupplierPaymentAllocation,
)
from samspill.accounting.queries.bills import OPEN_STATES, with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import entries, matching
from samspill.accounting.services.bills import refresh_states
from samspill.accounting.services.common import fail, money
from samspill.accounting.services.payments import Overpayment
from samspill.localization.no import chart
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.events import publish
from samspill.platform.permissions import require


def _amount(value, field: str) -> Decimal:
    amount = money(value, field)
    if amount <= 0:
        raise fail(_("The amount must be greater than zero."), field)
    return amount


@transaction.atomic
def pay_bills(
    *,
    actor,
    party,
    amount=None,
    date: date | str | None = None,
    allocations: list[dict] | None = None,
    bank_account: str = chart.BANK,
    reference: str = "",
    allow_prepayment: bool = False,
) -> SupplierPayment:
    """Pay a supplier. `allocations`: [{"bill": id, "amount": ...}]; when None, `amount`
    pays the supplier's open bills, oldest due date first. Without `amount` the allocations'
    sum is paid. More than what the bills still ask is refused unless `allow_prepayment`:
    then the rest stays on the supplier's payable as a prepayment."""
    if actor is not None:
        require(actor, "accounting.add_supplierpayment")
        require(actor, "accounting.post_journalentry")
    pk = getattr(party, "pk", party)
    supplier = Party.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if supplier is None:
        raise fail(_("There is no supplier with this id."), "party")
    day = entries._date(date or timezone.localdate())
    open_bills = {
        row.pk: row
        for row in with_open_amount(
            SupplierBill.objects.select_for_update(of=("self",)).filter(
                party=supplier, kind=SupplierBill.Kind.BILL, state__in=OPEN_STATES
            )
        ).order_by("due_date", "id")
    }
    wanted: list[tuple[SupplierBill, Decimal]] = []
    if allocations is None:
        if amount in (None, ""):
            raise fail(_("Enter the amount to pay."), "amount")
        rest = _amount(amount, "amount")
        for bill in open_bills.values():
            open_amount = cents(bill.open_amount)
            if rest <= 0 or open_amount <= 0:
                continue
            share = min(rest, open_amount)
            wanted.append((bill, share))
            rest -= share
    else:
        if not isinstance(allocations, list | tuple) or not allocations:
            raise fail(_("Choose the bills the payment pays."), "allocations")
        seen = set()
        for index, item in enumerate(allocations):
            field = f"allocations.{index}"
            raw = item.get("bill") if isinstance(item, dict) else None
            bill_id = getattr(raw, "pk", raw)
            found = open_bills.get(int(str(bill_id))) if str(bill_id).isdigit() else None
            if found is None:
                raise fail(_("Choose an approved, unpaid bill of this supplier."), f"{field}.bill")
            if found.pk in seen:
                raise fail(_("Each bill can be paid once per payment."), f"{field}.bill")
            seen.add(found.pk)
            open_amount = cents(found.open_amount)
            share = (
                open_amount
                if item.get("amount") in (None, "")
                else _amount(item.get("amount"), f"{field}.amount")
            )
            if share > open_amount:
                raise Overpayment(
                    _("Bill %(number)s has %(open)s open; %(amount)s is more than that.")
                    % {"number": found.number, "open": open_amount, "amount": share}
                )
            wanted.append((found, share))
    allocated = sum((share for _bill, share in wanted), ZERO)
    total = allocated if amount in (None, "") else _amount(amount, "amount")
    if (not wanted or allocated <= 0) and not (allow_prepayment and total > 0):
        raise fail(_("The supplier has no approved bill left to pay."), "allocations")
    if total < allocated:
        raise Overpayment(
            _("The payment (%(amount)s) is less than what it is allocated (%(allocated)s).")
            % {"amount": total, "allocated": allocated}
        )
    prepayment = total - allocated
    if prepayment > 0 and not allow_prepayment:
        raise Overpayment(
            _(
                "The payment (%(amount)s) is more than what the bills ask (%(allocated)s). "
                "Allow a prepayment to keep the rest on the supplier's account."
            )
            % {"amount": total, "allocated": allocated}
        )
    text = (reference or _("Payment to %(name)s") % {"name": supplier.display_name})[:200]
    lines: list[dict] = [
        {
            "account": chart.PAYABLE,
            "debit": share,
            "party": supplier,
            "description": f"{text} – {bill.supplier_number}"[:200],
        }
        for bill, share in wanted
    ]
    if prepayment > 0:
        lines.append(
            {
                "account": chart.PAYABLE,
                "debit": prepayment,
                "party": supplier,
                "description": f"{text} – {_('prepayment')}"[:200],
            }
        )
    lines.append({"account": bank_account, "credit": total, "description": text})
    entry = entries.create_entry(
        actor=None, journal="BNK", date=day, description=text, lines=lines, post=True
    )
    payment = SupplierPayment.objects.create(
        party=supplier,
        date=day,
        amount=total,
        bank_account=str(bank_account),
        reference=(reference or "")[:100],
        entry=entry,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    debit_lines = list(
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(entry=entry, account__number=chart.PAYABLE)
        .order_by("line_no")
    )[: len(wanted)]
    payables = {
        line.pk: line
        for line in JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(pk__in=[bill.payable_line_id for bill, _share in wanted])
    }
    for (bill, share), debit in zip(wanted, debit_lines, strict=True):
        assert bill.payable_line_id is not None
        matching.match([payables[bill.payable_line_id], debit], actor=actor)
        SupplierPaymentAllocation.objects.create(payment=payment, bill=bill, amount=share)
    audit.record(
        "create",
        payment,
        actor=actor,
        changes=audit.diff(
            {},
            {**audit.snapshot(payment), "allocations": [[b.number, str(a)] for b, a in wanted]},
        ),
    )
    publish(
        events.SupplierPaymentMade(
            payment_id=payment.pk,
            party_id=supplier.pk,
            date=day.isoformat(),
            amount=str(total),
            allocations=[{"bill_id": b.pk, "amount": str(a)} for b, a in wanted],
            prepayment=str(prepayment),
        ),
        actor=actor,
    )
    refresh_states([bill.pk for bill, _share in wanted], actor=actor)
    return payment
