"""Customer payments: money in on the bank account, allocated to one or many posted
invoices. One bank voucher (BNK): the bank on the debit side, the customer's receivable
(1500) credited per invoice and matched with the invoice's receivable line, and what is
beyond the allocations on customer prepayments (2900) when that is allowed. Amounts are in
the base currency, like the ledger. An allocation to a foreign-currency invoice may *settle*
it: the customer paid the invoice in full in its currency, the bank credited another NOK
amount than the invoice was posted at; the receivable is cleared in full and the difference
is a realised currency loss (8160) or gain (8060)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import ZERO, Invoice, JournalLine, Payment, PaymentAllocation
from samspill.accounting.queries.invoices import with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import entries, matching
from samspill.accounting.services.common import fail, money
from samspill.accounting.services.invoices import refresh_states
from samspill.localization.no import chart
from samspill.organization import queries as organization
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish
from samspill.platform.permissions import require


class Overpayment(Conflict):
    code = "overpayment"


# An exchange difference larger than this share of the invoice (in NOK) is not one.
MAX_EXCHANGE_DIFFERENCE = Decimal("0.15")


def base_currency() -> str:
    company = organization.company()
    return (company.base_currency if company else "") or "NOK"


def _amount(value, field: str) -> Decimal:
    amount = money(value, field)
    if amount <= 0:
        raise fail(_("The amount must be greater than zero."), field)
    return amount


@transaction.atomic
def register_payment(
    *,
    actor,
    party,
    amount,
    date: date | str | None = None,
    allocations: list[dict] | None = None,
    allow_prepayment: bool = False,
    bank_account: str = chart.BANK,
    reference: str = "",
) -> Payment:
    """Register a customer payment. `allocations`: [{"invoice": id, "amount": ...}]; when
    None, the payment pays the customer's open invoices, oldest due date first. A payment
    larger than what it is allocated to is refused unless `allow_prepayment`, then the rest
    goes to customer prepayments."""
    if actor is not None:
        require(actor, "accounting.add_payment")
        require(actor, "accounting.post_journalentry")
    pk = getattr(party, "pk", party)
    customer = Party.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if customer is None:
        raise fail(_("There is no customer with this id."), "party")
    total = _amount(amount, "amount")
    day = entries._date(date or timezone.localdate())
    open_invoices = {
        row.pk: row
        for row in with_open_amount(
            Invoice.objects.select_for_update(of=("self",)).filter(
                party=customer,
                kind=Invoice.Kind.INVOICE,
                state__in=[Invoice.State.POSTED, Invoice.State.PARTLY_PAID],
            )
        ).order_by("due_date", "id")
    }
    wanted: list[tuple[Invoice, Decimal]] = []
    # Invoices settled in full in their currency: the NOK difference to what is open.
    differences: dict[int, Decimal] = {}
    if allocations is None:
        rest = total
        for invoice in open_invoices.values():
            open_amount = cents(invoice.open_amount)
            if rest <= 0 or open_amount <= 0:
                continue
            share = min(rest, open_amount)
            wanted.append((invoice, share))
            rest -= share
    else:
        if not isinstance(allocations, list | tuple):
            raise fail(_("Give the invoices the payment pays."), "allocations")
        seen = set()
        for index, item in enumerate(allocations):
            field = f"allocations.{index}"
            raw = item.get("invoice") if isinstance(item, dict) else None
            invoice_id = getattr(raw, "pk", raw)
            found = open_invoices.get(int(str(invoice_id))) if str(invoice_id).isdigit() else None
            if found is None:
                raise fail(_("Choose an open invoice of this customer."), f"{field}.invoice")
            invoice = found
            if invoice.pk in seen:
                raise fail(_("Each invoice can be paid once per payment."), f"{field}.invoice")
            seen.add(invoice.pk)
            share = _amount(item.get("amount"), f"{field}.amount")
            open_amount = cents(invoice.open_amount)
            if item.get("settle"):
                if invoice.currency == base_currency():
                    raise fail(
                        _(
                            "Only an invoice in a foreign currency is settled with an exchange "
                            "difference."
                        ),
                        f"{field}.settle",
                    )
                difference = open_amount - share
                invoiced = cents(invoice.total * invoice.exchange_rate)  # NOK at posting
                if abs(difference) > invoiced * MAX_EXCHANGE_DIFFERENCE:
                    raise fail(
                        _(
                            "%(amount)s is too far from the %(open)s open on invoice %(number)s "
                            "to be an exchange difference."
                        )
                        % {"amount": share, "open": open_amount, "number": invoice.number},
                        f"{field}.amount",
                    )
                if difference:
                    differences[invoice.pk] = difference
            elif share > open_amount:
                raise Overpayment(
                    _("Invoice %(number)s has %(open)s open; %(amount)s is more than that.")
                    % {"number": invoice.number, "open": open_amount, "amount": share}
                )
            wanted.append((invoice, share))
    allocated = sum((share for _invoice, share in wanted), ZERO)
    if allocated > total:
        raise fail(_("The allocations add up to more than the payment."), "allocations")
    prepayment = total - allocated
    if prepayment > 0 and not allow_prepayment:
        raise Overpayment(
            _(
                "The payment (%(amount)s) is larger than what it pays (%(allocated)s). "
                "Allow a prepayment to keep the rest on the customer's account."
            )
            % {"amount": total, "allocated": allocated}
        )
    text = (reference or _("Payment from %(name)s") % {"name": customer.display_name})[:200]
    lines: list[dict] = [{"account": bank_account, "debit": total, "description": text}]
    for invoice, share in wanted:
        lines.append(
            {
                "account": chart.RECEIVABLE,
                "credit": share + differences.get(invoice.pk, ZERO),
                "party": customer,
                "description": f"{text} – {invoice.number}"[:200],
            }
        )
    for invoice, _share in wanted:
        difference = differences.get(invoice.pk, ZERO)
        if difference:
            lines.append(
                {
                    "account": chart.CURRENCY_LOSS if difference > 0 else chart.CURRENCY_GAIN,
                    "debit" if difference > 0 else "credit": abs(difference),
                    "description": _("Exchange difference %(currency)s, invoice %(number)s")
                    % {"currency": invoice.currency, "number": invoice.number},
                }
            )
    if prepayment > 0:
        lines.append(
            {
                "account": chart.CUSTOMER_PREPAYMENTS,
                "credit": prepayment,
                "party": customer,
                "description": text,
            }
        )
    entry = entries.create_entry(
        actor=None, journal="BNK", date=day, description=text, lines=lines, post=True
    )
    payment = Payment.objects.create(
        party=customer,
        date=day,
        amount=total,
        prepayment=prepayment,
        bank_account=str(bank_account),
        reference=(reference or "")[:100],
        entry=entry,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    credit_lines = list(
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(entry=entry, account__number=chart.RECEIVABLE)
        .order_by("line_no")
    )
    receivables = {
        line.pk: line
        for line in JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(pk__in=[invoice.receivable_line_id for invoice, _share in wanted])
    }
    for (invoice, share), credit in zip(wanted, credit_lines, strict=True):
        assert invoice.receivable_line_id is not None
        matching.match([receivables[invoice.receivable_line_id], credit], actor=actor)
        PaymentAllocation.objects.create(
            payment=payment, invoice=invoice, amount=share + differences.get(invoice.pk, ZERO)
        )
    audit.record(
        "create",
        payment,
        actor=actor,
        changes=audit.diff(
            {},
            {
                **audit.snapshot(payment),
                "allocations": [[i.number, str(a)] for i, a in wanted],
            },
        ),
    )
    publish(
        events.PaymentReceived(
            payment_id=payment.pk,
            party_id=customer.pk,
            date=day.isoformat(),
            amount=str(total),
            prepayment=str(prepayment),
            allocations=[
                {
                    "invoice_id": i.pk,
                    "order_id": i.order_id,
                    "amount": str(a + differences.get(i.pk, ZERO)),
                    # Only for a foreign-currency invoice settled with a difference.
                    **(
                        {"exchange_difference": str(differences[i.pk])}
                        if i.pk in differences
                        else {}
                    ),
                }
                for i, a in wanted
            ],
        ),
        actor=actor,
    )
    refresh_states([invoice.pk for invoice, _share in wanted], actor=actor)
    return payment
