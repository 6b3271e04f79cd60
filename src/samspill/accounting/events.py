"""Events of the general ledger. A posted entry names every party on its lines as a
subject, so the party's 360-degree timeline shows the posting."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class EntryPosted(Event):
    type = "accounting.entry.posted"
    description = _("A journal entry was posted")
    subject_fields = {"entry_id": "journal_entry", "party_ids": "party"}

    entry_id: int
    voucher: str
    journal: str
    date: str
    text: str
    total: Decimal
    party_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Voucher %(voucher)s posted: %(text)s (%(total)s)") % payload


@dataclass(frozen=True, kw_only=True)
class EntryReversed(Event):
    type = "accounting.entry.reversed"
    description = _("A journal entry was reversed")
    subject_fields = {"entry_id": "journal_entry", "party_ids": "party"}

    entry_id: int
    voucher: str
    reversal_id: int
    reversal_voucher: str
    date: str
    party_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Voucher %(voucher)s reversed by %(reversal_voucher)s") % payload


@dataclass(frozen=True, kw_only=True)
class PeriodClosed(Event):
    type = "accounting.period.closed"
    description = _("An accounting period was closed")
    subject_fields = {"period_id": "period"}

    period_id: int
    period: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Period %(period)s closed") % payload


@dataclass(frozen=True, kw_only=True)
class PeriodReopened(Event):
    type = "accounting.period.reopened"
    description = _("An accounting period was reopened")
    subject_fields = {"period_id": "period"}

    period_id: int
    period: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Period %(period)s reopened") % payload


@dataclass(frozen=True, kw_only=True)
class FiscalYearOpened(Event):
    type = "accounting.year.opened"
    description = _("A fiscal year was opened")
    subject_fields = {"fiscal_year_id": "fiscal_year"}

    fiscal_year_id: int
    name: str
    start: str
    end: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Fiscal year %(name)s opened") % payload


@dataclass(frozen=True, kw_only=True)
class YearClosed(Event):
    type = "accounting.year.closed"
    description = _("A fiscal year was closed and its result transferred to equity")
    subject_fields = {"fiscal_year_id": "fiscal_year"}

    fiscal_year_id: int
    name: str
    result: Decimal
    closing_entry_id: int | None
    opening_entry_id: int | None

    @classmethod
    def summarize(cls, payload):
        return gettext("Fiscal year %(name)s closed, result %(result)s") % payload


@dataclass(frozen=True, kw_only=True)
class AccountUpdated(Event):
    type = "accounting.account.updated"
    description = _("An account was changed")
    subject_fields = {"account_id": "account"}

    account_id: int
    number: str
    changed: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Account %(number)s changed: %(fields)s") % {
            "number": payload["number"],
            "fields": ", ".join(payload.get("changed", [])),
        }


@dataclass(frozen=True, kw_only=True)
class LinesMatched(Event):
    type = "accounting.lines.matched"
    description = _("Open items were matched")
    subject_fields = {"party_id": "party"}

    match: int
    account: str
    party_id: int | None
    line_ids: list[int]
    residual: Decimal

    @classmethod
    def summarize(cls, payload):
        return gettext("Open items on %(account)s matched (remaining %(residual)s)") % payload


@dataclass(frozen=True, kw_only=True)
class LinesUnmatched(Event):
    type = "accounting.lines.unmatched"
    description = _("A match of open items was released")
    subject_fields = {"party_id": "party"}

    match: int
    account: str
    party_id: int | None
    line_ids: list[int]

    @classmethod
    def summarize(cls, payload):
        return gettext("Match %(match)s on %(account)s released") % payload


@dataclass(frozen=True, kw_only=True)
class InvoicePosted(Event):
    """A customer invoice or credit note was posted. `amount` is the gross total incl. VAT
    as a decimal string in the invoice currency, negative for a credit note; `order_id` is
    the sales order it bills, or null."""

    type = "accounting.invoice.posted"
    description = _("A customer invoice or credit note was posted")
    subject_fields = {"invoice_id": "invoice", "party_id": "party"}

    invoice_id: int
    number: str
    kind: str
    party_id: int
    order_id: int | None
    amount: str
    currency: str
    due_date: str
    kid: str = ""
    credited_invoice_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Invoice %(number)s posted (%(amount)s %(currency)s)") % payload


@dataclass(frozen=True, kw_only=True)
class PaymentReceived(Event):
    """A customer payment was registered. `allocations`: `invoice_id`, `order_id` (or
    null) and `amount` (decimal string) per invoice it pays; `prepayment` is what went to
    customer prepayments."""

    type = "accounting.payment.received"
    description = _("A customer payment was received")
    subject_fields = {"payment_id": "payment", "party_id": "party"}

    payment_id: int
    party_id: int
    date: str
    amount: str
    prepayment: str = "0.00"
    allocations: list[dict] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Payment of %(amount)s received") % payload


@dataclass(frozen=True, kw_only=True)
class InvoicePaid(Event):
    type = "accounting.invoice.paid"
    description = _("A customer invoice was paid in full")
    subject_fields = {"invoice_id": "invoice", "party_id": "party"}

    invoice_id: int
    number: str
    party_id: int
    order_id: int | None

    @classmethod
    def summarize(cls, payload):
        return gettext("Invoice %(number)s paid") % payload


@dataclass(frozen=True, kw_only=True)
class BankStatementImported(Event):
    """A camt.053 bank statement was imported: `lines` booked entries, of which `matched`
    paid an invoice by KID and `proposed` wait for acceptance; `party_ids` are the
    customers whose invoices were paid."""

    type = "accounting.bank_statement.imported"
    description = _("A bank statement was imported")
    subject_fields = {"statement_id": "bank_statement", "party_ids": "party"}

    statement_id: int
    reference: str
    account: str
    lines: int
    matched: int
    proposed: int
    party_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return (
            gettext("Bank statement %(reference)s imported: %(lines)s lines, %(matched)s matched")
            % payload
        )


@dataclass(frozen=True, kw_only=True)
class ReminderSent(Event):
    """A reminder (level 1, purring) or a collection notice (level 2, inkassovarsel) of an
    overdue invoice was issued. `claim` is what was open before it, `fee` the fee charged
    on it (decimal strings, base currency); `due_date` the new deadline."""

    type = "accounting.reminder.sent"
    description = _("A reminder of an overdue invoice was sent")
    subject_fields = {"reminder_id": "reminder", "invoice_id": "invoice", "party_id": "party"}

    reminder_id: int
    invoice_id: int
    number: str
    party_id: int
    level: int
    date: str
    due_date: str
    claim: str
    fee: str = "0.00"

    @classmethod
    def summarize(cls, payload):
        if payload.get("level") == 2:
            text = gettext(
                "Collection notice for invoice %(number)s: %(claim)s, pay by %(due_date)s"
            )
        else:
            text = gettext("Reminder for invoice %(number)s: %(claim)s, pay by %(due_date)s")
        return text % payload


# --- Supplier bills ---------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class BillReceived(Event):
    """A supplier bill or credit note was registered (by hand, from EHF or from a purchase
    order) as a draft. `amount` is the total incl. VAT in the bill's currency."""

    type = "accounting.bill.received"
    description = _("A supplier bill was received")
    subject_fields = {"bill_id": "supplier_bill", "party_id": "party"}

    bill_id: int
    number: str
    kind: str
    party_id: int
    supplier_number: str
    source: str
    amount: str
    currency: str
    purchase_order_id: int | None = None

    @classmethod
    def summarize(cls, payload):
        return gettext("Supplier bill %(number)s received (%(amount)s %(currency)s)") % payload


@dataclass(frozen=True, kw_only=True)
class BillSubmitted(Event):
    type = "accounting.bill.submitted"
    description = _("A supplier bill was sent for approval")
    subject_fields = {"bill_id": "supplier_bill", "party_id": "party"}

    bill_id: int
    number: str
    party_id: int
    amount: str
    currency: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Supplier bill %(number)s sent for approval") % payload


@dataclass(frozen=True, kw_only=True)
class BillApproved(Event):
    """A supplier bill was approved and posted. `amount` is negative for a credit note;
    `lines` give `po_line_id` and the `quantity` billed (negative: credited) per purchase
    order line, for purchasing's billed quantities."""

    type = "accounting.bill.approved"
    description = _("A supplier bill was approved and posted")
    subject_fields = {"bill_id": "supplier_bill", "party_id": "party"}

    bill_id: int
    number: str
    kind: str
    party_id: int
    supplier_number: str
    amount: str
    currency: str
    due_date: str
    kid: str = ""
    entry_id: int | None = None
    purchase_order_id: int | None = None
    lines: list[dict] = field(default_factory=list)
    override_reason: str = ""

    @classmethod
    def summarize(cls, payload):
        return gettext("Supplier bill %(number)s approved (%(amount)s %(currency)s)") % payload


@dataclass(frozen=True, kw_only=True)
class BillRejected(Event):
    type = "accounting.bill.rejected"
    description = _("A supplier bill was rejected back to draft")
    subject_fields = {"bill_id": "supplier_bill", "party_id": "party"}

    bill_id: int
    number: str
    party_id: int
    reason: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Supplier bill %(number)s rejected: %(reason)s") % payload


@dataclass(frozen=True, kw_only=True)
class BillPaid(Event):
    type = "accounting.bill.paid"
    description = _("A supplier bill was paid in full")
    subject_fields = {"bill_id": "supplier_bill", "party_id": "party"}

    bill_id: int
    number: str
    party_id: int

    @classmethod
    def summarize(cls, payload):
        return gettext("Supplier bill %(number)s paid") % payload


@dataclass(frozen=True, kw_only=True)
class SupplierPaymentMade(Event):
    """Money was paid to a supplier: `allocations` give `bill_id` and `amount` per bill;
    `prepayment` what was paid beyond them."""

    type = "accounting.supplier_payment.made"
    description = _("A supplier payment was made")
    subject_fields = {"payment_id": "supplier_payment", "party_id": "party"}

    payment_id: int
    party_id: int
    date: str
    amount: str
    allocations: list[dict] = field(default_factory=list)
    # What was paid beyond the bills: the supplier's prepayment, open on 2400.
    prepayment: str = "0.00"

    @classmethod
    def summarize(cls, payload):
        return gettext("Payment of %(amount)s to a supplier") % payload
