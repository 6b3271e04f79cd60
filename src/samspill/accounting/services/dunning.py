"""Dunning (purring) of overdue customer invoices, by the Norwegian rules.

One reminder per invoice (claim): the fee rules of inkassoforskriften count per claim, and
the invoice's KID then collects the claim and the fee in one payment.

- Level 1, reminder (purring): from the day after the due date. Level 2, collection notice
  (inkassovarsel, inkassoloven § 9): only after the reminder's deadline has passed. Each
  level once per invoice; both give a new deadline of at least 14 days (the company's
  `reminder_days`).
- Fee (inkassoforskriften § 1-2 and § 1-3): the company's `reminder_fee`, at most 1/20 of the
  inkassosats (35 kr), only on a reminder or notice sent at least 14 days after the due
  date; at most one fee per level, so a claim carries at most the reminder fee and the
  collection notice fee, the second only after the customer let the reminder's deadline
  of at least 14 days pass. A fee is compensation, not a supply: outside VAT.
- The fee is its own SAL voucher: 1500 debit for the customer with the new due date,
  3900 (other operating income) credit without VAT code. Its receivable line joins the
  invoice's match, so the invoice's open amount includes the fee and a payment with the
  invoice's KID settles both.
- Refused, with nothing written: not an open posted invoice, not overdue yet, the level
  already sent, a collection notice before the reminder's deadline has passed, a fee
  earlier than 14 days after the due date.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import ZERO, Invoice, JournalLine, Reminder
from samspill.accounting.queries.invoices import with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import entries, matching
from samspill.accounting.services.common import fail
from samspill.accounting.services.invoices import _party_email, refresh_states
from samspill.localization.no import chart
from samspill.organization import queries as organization
from samspill.platform import audit
from samspill.platform.errors import Conflict, DomainError, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

FEE_ACCOUNT = "3900"  # Andre driftsinntekter: the fee compensates collection work
FEE_AFTER_DAYS = 14  # inkassoforskriften § 1-2: a fee only from 14 days after the due date
MIN_DAYS_TO_PAY = 14  # inkassoloven § 9: the deadline of a notice is at least 14 days
MAX_BATCH = 500
OPEN_STATES = (Invoice.State.POSTED, Invoice.State.PARTLY_PAID)


class DunningRefused(Conflict):
    code = "dunning_refused"


@dataclass(frozen=True)
class Step:
    """What the next dunning step of an invoice is on a day, or why there is none."""

    level: int | None
    earliest: date | None  # the first day it may be sent
    fee_from: date | None  # the first day it may carry a fee
    reason: str = ""


def next_step(invoice: Invoice, reminders: list[Reminder], day: date) -> Step:
    """The next level for an overdue invoice given its reminders (pure, no queries)."""
    levels = {r.level: r for r in reminders}
    fee_from = invoice.due_date + timedelta(days=FEE_AFTER_DAYS)
    if Reminder.Level.COLLECTION_NOTICE in levels:
        return Step(
            None,
            None,
            None,
            _(
                "A collection notice was sent for invoice %(number)s; the next step is a "
                "debt collection agency."
            )
            % {"number": invoice.number},
        )
    if Reminder.Level.REMINDER in levels:
        earliest = levels[Reminder.Level.REMINDER].due_date + timedelta(days=1)
        return Step(Reminder.Level.COLLECTION_NOTICE, earliest, max(fee_from, earliest))
    return Step(Reminder.Level.REMINDER, invoice.due_date + timedelta(days=1), fee_from)


def _day(value) -> date:
    if value in (None, ""):
        return timezone.localdate()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise fail(_("Enter a valid date."), "date") from exc


def _company_terms() -> tuple[Decimal, int]:
    from samspill.organization.models import MAX_REMINDER_FEE

    company = organization.company()
    fee = company.reminder_fee if company is not None else MAX_REMINDER_FEE
    days = company.reminder_days if company is not None else MIN_DAYS_TO_PAY
    return min(fee, MAX_REMINDER_FEE), max(days, MIN_DAYS_TO_PAY)


def _refuse(message: str, invoice: Invoice) -> DunningRefused:
    return DunningRefused(message, errors={f"invoices.{invoice.pk}": [message]})


def _check(invoice: Any, reminders: list[Reminder], day: date, with_fee: bool) -> Step:
    number = invoice.number or str(invoice.pk)
    if invoice.kind != Invoice.Kind.INVOICE:
        message = _("%(number)s is a credit note: it has nothing to remind.")
        raise _refuse(message % {"number": number}, invoice)
    if invoice.state == Invoice.State.PAID or (
        invoice.state in OPEN_STATES and cents(invoice.open_amount) <= 0
    ):
        raise _refuse(_("Invoice %(number)s is paid.") % {"number": number}, invoice)
    if invoice.state not in OPEN_STATES:
        raise _refuse(_("Invoice %(number)s is not posted.") % {"number": number}, invoice)
    if day <= invoice.due_date:
        raise _refuse(
            _(
                "Invoice %(number)s is not overdue: it falls due on %(due)s, a reminder can be "
                "sent from the day after."
            )
            % {"number": number, "due": invoice.due_date.isoformat()},
            invoice,
        )
    step = next_step(invoice, reminders, day)
    if step.level is None:
        raise _refuse(step.reason, invoice)
    assert step.earliest is not None and step.fee_from is not None
    if day < step.earliest:
        raise _refuse(
            _(
                "The reminder of invoice %(number)s gives the customer until %(until)s; a "
                "collection notice can be sent from %(from)s."
            )
            % {
                "number": number,
                "until": (step.earliest - timedelta(days=1)).isoformat(),
                "from": step.earliest.isoformat(),
            },
            invoice,
        )
    if with_fee and day < step.fee_from:
        raise _refuse(
            _(
                "A fee on invoice %(number)s can be charged from %(from)s, 14 days after the "
                "due date (inkassoforskriften § 1-2). Send it without a fee or wait."
            )
            % {"number": number, "from": step.fee_from.isoformat()},
            invoice,
        )
    return step


@transaction.atomic
def create_reminders(invoices, *, actor, date=None, fee: bool = True) -> list[Reminder]:
    """Write the next dunning level (reminder, then collection notice) for each invoice, all
    or nothing; with `fee` the company's reminder fee is posted on each. Returns the
    reminders; sending them is `send_reminder`."""
    if actor is not None:
        require(actor, "accounting.add_reminder")
        if fee:
            require(actor, "accounting.post_journalentry")
    ids: list[int] = []
    for value in invoices if isinstance(invoices, list | tuple | set) else []:
        pk = getattr(value, "pk", value)
        if not str(pk).isdigit():
            raise fail(_("Choose existing invoices."), "invoices")
        if int(str(pk)) in ids:
            raise fail(_("Each invoice can be reminded once at a time."), "invoices")
        ids.append(int(str(pk)))
    if not ids:
        raise fail(_("Choose the invoices to remind."), "invoices")
    if len(ids) > MAX_BATCH:
        raise fail(_("Remind at most %(max)s invoices at a time.") % {"max": MAX_BATCH}, "invoices")
    day = _day(date)
    found = {
        row.pk: row
        for row in with_open_amount(
            Invoice.objects.select_for_update(of=("self",))
            .select_related("party")
            .filter(pk__in=ids)
        )
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise fail(_("There is no invoice with id %(id)s.") % {"id": missing[0]}, "invoices")
    previous: dict[int, list[Reminder]] = {pk: [] for pk in ids}
    for reminder in Reminder.objects.filter(invoice_id__in=ids):
        previous[reminder.invoice_id].append(reminder)
    amount, days = _company_terms()
    with_fee = fee and amount > 0
    ordered = sorted((found[pk] for pk in ids), key=lambda i: (i.party_id, i.due_date, i.pk))
    steps = {i.pk: _check(i, previous[i.pk], day, with_fee) for i in ordered}
    created: list[Reminder] = []
    for invoice in ordered:
        step = steps[invoice.pk]
        assert step.level is not None
        due = day + timedelta(days=days)
        reminder = Reminder(
            invoice=invoice,
            party=invoice.party,
            level=step.level,
            date=day,
            due_date=due,
            claim=cents(invoice.open_amount),
            fee=amount if with_fee else ZERO,
            language=invoice.language or "nb",
            created_by=actor if actor is not None and actor.is_authenticated else None,
        )
        if with_fee:
            reminder.fee_entry = _post_fee(invoice, reminder, actor=actor)
        reminder.save()
        changes = audit.diff({}, audit.snapshot(reminder))
        audit.record("create", reminder, actor=actor, changes=changes, object_repr=str(reminder))
        publish(
            events.ReminderSent(
                reminder_id=reminder.pk,
                invoice_id=invoice.pk,
                number=invoice.number or "",
                party_id=invoice.party_id,
                level=reminder.level,
                date=day.isoformat(),
                due_date=due.isoformat(),
                claim=str(reminder.claim),
                fee=str(reminder.fee),
            ),
            actor=actor,
        )
        created.append(reminder)
    if with_fee:
        refresh_states([r.invoice_id for r in created], actor=actor)
    return created


def _post_fee(invoice: Invoice, reminder: Reminder, *, actor):
    label = (
        _("Reminder fee")
        if reminder.level == Reminder.Level.REMINDER
        else _("Collection notice fee")
    )
    text = f"{label} {invoice.number} {invoice.party.display_name}"[:200]
    entry = entries.create_entry(
        actor=None,
        journal="SAL",
        date=reminder.date,
        description=text,
        lines=[
            {
                "account": chart.RECEIVABLE,
                "debit": reminder.fee,
                "party": invoice.party,
                "due_date": reminder.due_date,
                "description": text,
            },
            {"account": FEE_ACCOUNT, "credit": reminder.fee, "description": text},
        ],
        post=True,
    )
    pair = list(
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(pk=invoice.receivable_line_id or 0)
    ) + list(
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(entry=entry, account__number=chart.RECEIVABLE)
    )
    matching.match(pair, actor=actor)
    return entry


# --- Output ------------------------------------------------------------------------------------


def reminder_document(reminder: Reminder) -> dict:
    from samspill.accounting.queries import invoices as invoice_queries

    invoice = invoice_queries.invoice(reminder.invoice_id)
    document = invoice_queries.invoice_document(invoice)
    earlier = list(
        Reminder.objects.filter(invoice_id=reminder.invoice_id, level__lt=reminder.level).order_by(
            "level"
        )
    )
    return {
        **document,
        "reminder": reminder,
        "earlier": earlier,
        "to_pay": reminder.claim + reminder.fee,
        "base_currency": organization.base_currency(),
    }


def reminder_html(reminder: Reminder) -> str:
    with translation.override(reminder.language or "nb"):
        return render_to_string("accounting/dunning_pdf.html", reminder_document(reminder))


def render_reminder_pdf(reminder: Reminder) -> bytes:
    from weasyprint import HTML

    return HTML(string=reminder_html(reminder)).write_pdf()


def reminder_filename(reminder: Reminder) -> str:
    kind = "purring" if reminder.level == Reminder.Level.REMINDER else "inkassovarsel"
    return f"{kind}-{reminder.invoice.number}.pdf"


@transaction.atomic
def send_reminder(reminder: Reminder, *, actor, to: str = "", connection=None) -> Reminder:
    """E-mail a reminder with its PDF to the customer (or `to`). Nothing is marked sent
    when the mail fails."""
    from django.core.mail import EmailMessage
    from django.core.validators import validate_email

    if actor is not None:
        require(actor, "accounting.change_reminder")
    reminder = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("invoice", "party")
        .get(pk=reminder.pk)
    )
    address = (to or "").strip() or _party_email(reminder.party)
    if not address:
        text = _("The customer has no email address. Enter the address to send to.")
        raise ValidationFailed(text, errors={"to": [text]})
    try:
        validate_email(address)
    except Exception as exc:
        raise ValidationFailed(errors={"to": [_("Enter a valid email address.")]}) from exc
    pdf = render_reminder_pdf(reminder)
    with translation.override(reminder.language or "nb"):
        subject = f"{reminder.get_level_display()}: {_('invoice')} {reminder.invoice.number}"
        body = render_to_string(
            "accounting/dunning_email.txt",
            {
                "reminder": reminder,
                "invoice": reminder.invoice,
                "to_pay": reminder.claim + reminder.fee,
            },
        )
    mail = EmailMessage(subject, body, to=[address], connection=connection)
    mail.attach(reminder_filename(reminder), pdf, "application/pdf")
    before = reminder.sent_to
    reminder.sent_at = timezone.now()
    reminder.sent_to = address[:254]
    reminder.save(update_fields=["sent_at", "sent_to"])
    audit.record("update", reminder, actor=actor, changes={"sent_to": [before, address]})
    mail.send(fail_silently=False)
    return reminder


def send_reminders(reminders, *, actor, connection=None) -> tuple[list[Reminder], list[str]]:
    """E-mail each reminder whose customer has an address, each in its own transaction:
    returns those sent and a message per one that was not."""
    sent: list[Reminder] = []
    problems: list[str] = []
    for reminder in reminders:
        try:
            sent.append(send_reminder(reminder, actor=actor, connection=connection))
        except (DomainError, smtplib.SMTPException, OSError) as exc:
            message = getattr(exc, "message", None) or str(exc)
            problems.append(f"{reminder.invoice.number}: {message}")
    return sent, problems
