"""The general ledger: accounts, journals, fiscal years with monthly periods, projects,
journal entries (vouchers) and their lines, and the voucher number counters."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ZERO = Decimal("0.00")


class Account(models.Model):
    class Kind(models.TextChoices):
        ASSET = "asset", _("Asset")
        LIABILITY = "liability", _("Liability")
        EQUITY = "equity", _("Equity")
        INCOME = "income", _("Income")
        EXPENSE = "expense", _("Expense")

    class Side(models.TextChoices):
        DEBIT = "debit", _("Debit")
        CREDIT = "credit", _("Credit")

    class VatUsage(models.TextChoices):
        NONE = "none", _("No VAT codes")
        SALES = "sales", _("Sales codes")
        PURCHASE = "purchase", _("Purchase codes")
        ANY = "any", _("Any code")

    number = models.CharField(_("number"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    normal_side = models.CharField(_("normal side"), max_length=6, choices=Side.choices)
    default_vat_code = models.ForeignKey(
        "localization_no.VatCode",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default VAT code"),
    )
    vat_usage = models.CharField(
        _("VAT codes allowed"), max_length=10, choices=VatUsage.choices, default=VatUsage.NONE
    )
    reconcilable = models.BooleanField(_("reconcilable"), default=False)
    party_required = models.BooleanField(_("party required"), default=False)
    active = models.BooleanField(_("active"), default=True)
    standard_account = models.CharField(_("SAF-T standard account"), max_length=10, blank=True)
    grouping_category = models.CharField(_("SAF-T grouping category"), max_length=100, blank=True)
    grouping_code = models.CharField(_("SAF-T grouping code"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_profit_and_loss(self) -> bool:
        return self.number[:1] in "345678"


class Journal(models.Model):
    class Kind(models.TextChoices):
        SALES = "sales", _("Sales")
        PURCHASE = "purchase", _("Purchases")
        BANK = "bank", _("Bank")
        CASH = "cash", _("Cash")
        GENERAL = "general", _("General")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("journal")
        verbose_name_plural = _("journals")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class FiscalYear(models.Model):
    name = models.CharField(_("name"), max_length=20, unique=True)
    start = models.DateField(_("start"), unique=True)
    end = models.DateField(_("end"))
    closed = models.BooleanField(_("closed"), default=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("fiscal year")
        verbose_name_plural = _("fiscal years")
        permissions = [("close_fiscalyear", "Can close a fiscal year")]
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="fiscal_year_end")
        ]

    def __str__(self):
        return self.name


class Period(models.Model):
    fiscal_year = models.ForeignKey(
        FiscalYear, models.CASCADE, related_name="periods", verbose_name=_("fiscal year")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    closed = models.BooleanField(_("closed"), default=False)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        permissions = [("close_period", "Can close and reopen a period")]
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["fiscal_year", "number"], name="period_number"),
        ]

    def __str__(self):
        return f"{self.start:%Y-%m}"


class Project(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class VoucherCounter(models.Model):
    """The last voucher number given in a journal and fiscal year. Posting locks this row
    (select_for_update) so numbers are gapless and unique even under concurrency."""

    journal = models.ForeignKey(Journal, models.CASCADE, related_name="+")
    fiscal_year = models.ForeignKey(FiscalYear, models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["journal", "fiscal_year"], name="voucher_counter"),
        ]

    def __str__(self):
        return f"{self.journal_id}/{self.fiscal_year_id}: {self.last_number}"


class JournalEntry(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")

    class Kind(models.TextChoices):
        NORMAL = "normal", _("Normal")
        OPENING = "opening", _("Opening balances")
        CARRY_FORWARD = "carry_forward", _("Balances carried forward")
        CLOSING = "closing", _("Year-end close")

    journal = models.ForeignKey(Journal, models.PROTECT, related_name="entries")
    fiscal_year = models.ForeignKey(FiscalYear, models.PROTECT, related_name="entries")
    period = models.ForeignKey(Period, models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    number = models.PositiveIntegerField(_("voucher number"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default="draft")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default="normal")
    description = models.CharField(_("description"), max_length=200, blank=True)
    reversal_of = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reversal of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        permissions = [("post_journalentry", "Can post and reverse journal entries")]
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["journal", "fiscal_year", "number"], name="voucher_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(state="draft", number__isnull=True)
                | Q(state="posted", number__isnull=False),
                name="posted_entry_has_number",
            ),
        ]

    def __str__(self):
        return self.voucher or str(_("Draft %(id)s") % {"id": self.pk})

    @property
    def voucher(self) -> str:
        """e.g. "SAL 2026-17"."""
        if self.number is None:
            return ""
        return f"{self.journal.code} {self.fiscal_year.name}-{self.number}"

    @property
    def is_posted(self) -> bool:
        return self.state == self.State.POSTED


class JournalLine(models.Model):
    entry = models.ForeignKey(JournalEntry, models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField(_("line"))
    account = models.ForeignKey(Account, models.PROTECT, related_name="lines")
    debit = models.DecimalField(_("debit"), default=ZERO, max_digits=18, decimal_places=2)
    credit = models.DecimalField(_("credit"), default=ZERO, max_digits=18, decimal_places=2)
    description = models.CharField(_("description"), max_length=200, blank=True)
    party = models.ForeignKey(
        "parties.Party", models.PROTECT, null=True, blank=True, related_name="+"
    )
    vat_code = models.ForeignKey(
        "localization_no.VatCode", models.PROTECT, null=True, blank=True, related_name="+"
    )
    # A VAT line points to the line whose VAT it is.
    vat_of = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="vat_lines"
    )
    department = models.ForeignKey(
        "organization.Department", models.PROTECT, null=True, blank=True, related_name="+"
    )
    project = models.ForeignKey(Project, models.PROTECT, null=True, blank=True, related_name="+")
    # Copies of the entry's date, state and kind, so reports aggregate lines without a join.
    date = models.DateField(_("date"))
    posted = models.BooleanField(default=False)
    # Lines of a carried-forward opening entry repeat the previous years' balances: shown on
    # the entry and the account statement, left out of sums over the whole history.
    carry_forward = models.BooleanField(default=False)
    # Open items on reconcilable accounts (customers, suppliers): when the item falls due, and
    # the match that settles it. Lines with the same match number (the lowest line id among
    # them) on the same account and party offset each other; the group is settled when it
    # sums to zero. Matching is bookkeeping of the settlement, not of the amounts, so it may
    # change on posted lines (services.match_lines / unmatch_lines, audited).
    due_date = models.DateField(_("due date"), null=True, blank=True)
    match = models.PositiveBigIntegerField(
        pgettext_lazy("open items", "match"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("journal line")
        verbose_name_plural = _("journal lines")
        ordering = ["entry", "line_no"]
        indexes = [
            models.Index(fields=["posted", "account", "date"], name="line_account_date"),
            models.Index(fields=["party", "posted"], name="line_party"),
            models.Index(fields=["account", "party", "match"], name="line_open_items"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0) & Q(credit__gte=0), name="line_amounts_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.account.number} {self.debit or ''} {self.credit or ''}"

    @property
    def amount(self) -> Decimal:
        return self.debit - self.credit


# --- Customer invoices, credit notes and payments ------------------------------------------


class Invoice(models.Model):
    """A customer invoice or credit note. A draft can be changed; posting gives it the next
    gapless number of its year, a KID and one ledger entry (receivable on 1500 with the
    customer and the due date, revenue per account and VAT code). What is still open is the
    residual of its receivable line's match (payments and credit notes matched to it)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default="invoice")
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default="draft")
    number = models.CharField(_("number"), max_length=20, null=True, blank=True, unique=True)
    kid = models.CharField(_("KID"), max_length=25, blank=True, db_index=True)
    party = models.ForeignKey(
        "parties.Party", models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    credited_invoice = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
        verbose_name=_("credited invoice"),
    )
    # The sales order the invoice bills (sales sits above accounting: a plain id).
    order_id = models.PositiveBigIntegerField(_("sales order"), null=True, blank=True)
    order_number = models.CharField(_("order number"), max_length=30, blank=True)
    invoice_date = models.DateField(_("invoice date"))
    payment_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=14)
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=12, decimal_places=6, default=Decimal("1")
    )
    language = models.CharField(_("language"), max_length=2, default="nb")
    reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    net_total = models.DecimalField(
        _("total excl. VAT"), max_digits=14, decimal_places=2, default=ZERO
    )
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total incl. VAT"), max_digits=14, decimal_places=2, default=ZERO)
    entry = models.OneToOneField(
        JournalEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="invoice",
        verbose_name=_("journal entry"),
    )
    receivable_line = models.OneToOneField(
        JournalLine,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receivable line"),
    )
    posting_error = models.CharField(_("posting refused"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date", "-id"]
        permissions = [("post_invoice", "Can post and send customer invoices")]
        indexes = [
            models.Index(fields=["party", "state"], name="invoice_party_state"),
            models.Index(fields=["state", "due_date"], name="invoice_state_due"),
            models.Index(fields=["order_id"], name="invoice_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(number__isnull=False),
                name="posted_invoice_has_number",
            ),
        ]

    def __str__(self):
        if self.number:
            return self.number
        return str(_("Draft %(id)s") % {"id": self.pk})

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounting:invoice_detail", args=[self.pk])

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def sign(self) -> int:
        return -1 if self.is_credit_note else 1


class InvoiceLine(models.Model):
    """A line: a catalog product or free text, quantity, unit, unit price, discount and VAT
    code; the revenue account it is posted to. Amounts are computed, never typed in."""

    invoice = models.ForeignKey(Invoice, models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product", models.PROTECT, null=True, blank=True, related_name="+"
    )
    order_line_id = models.PositiveBigIntegerField(_("order line"), null=True, blank=True)
    sku = models.CharField(_("SKU"), max_length=40, blank=True)
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, default="stk")
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=ZERO
    )
    vat_code = models.ForeignKey(
        "localization_no.VatCode", models.PROTECT, related_name="+", verbose_name=_("VAT code")
    )
    vat_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2, default=ZERO)
    account = models.ForeignKey(
        Account, models.PROTECT, related_name="+", verbose_name=_("account")
    )
    net_amount = models.DecimalField(_("amount excl. VAT"), max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["invoice", "position", "id"]
        indexes = [models.Index(fields=["order_line_id"], name="invoice_line_order_line")]

    def __str__(self):
        return f"{self.description} × {self.quantity}"


class Payment(models.Model):
    """A customer payment into the bank, allocated to one or more invoices; what exceeds
    the allocations (only when allowed) goes to customer prepayments."""

    party = models.ForeignKey(
        "parties.Party", models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    prepayment = models.DecimalField(_("prepayment"), max_digits=14, decimal_places=2, default=ZERO)
    bank_account = models.CharField(_("bank account"), max_length=10, default="1920")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    entry = models.OneToOneField(
        JournalEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
        verbose_name=_("journal entry"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
        ]

    def __str__(self):
        return str(_("Payment %(id)s") % {"id": self.pk})


class PaymentAllocation(models.Model):
    payment = models.ForeignKey(Payment, models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("payment allocation")
        verbose_name_plural = _("payment allocations")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
        ]

    def __str__(self):
        return f"{self.payment_id} → {self.invoice_id}: {self.amount}"


# --- Bank statements (ISO 20022 camt.053) ---------------------------------------------------


class BankStatement(models.Model):
    """A statement of the company's bank account imported from the bank (camt.053): its
    period, opening and closing balance and the file as it came, kept as evidence."""

    account = models.CharField(_("bank account"), max_length=34)
    statement_id = models.CharField(_("statement id"), max_length=35)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    opening_balance = models.DecimalField(
        _("opening balance"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    closing_balance = models.DecimalField(
        _("closing balance"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    source = models.TextField(_("source file"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "statement_id"], name="bank_statement_unique"
            ),
        ]

    def __str__(self):
        return self.statement_id

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounting:bank_statement_detail", args=[self.pk])


class BankStatementLine(models.Model):
    """One booked entry of a statement: money in (positive) or out (negative), the KID or
    other reference the payer gave, and how far it is matched with the books."""

    class State(models.TextChoices):
        UNMATCHED = "unmatched", _("Unmatched")
        PROPOSED = "proposed", _("Proposed")
        MATCHED = "matched", _("Matched")
        BOOKED = "booked", _("Booked")

    statement = models.ForeignKey(BankStatement, models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    kid = models.CharField(_("KID"), max_length=35, blank=True, db_index=True)
    text = models.CharField(_("text"), max_length=500, blank=True)
    counterparty_name = models.CharField(_("counterparty"), max_length=140, blank=True)
    counterparty_account = models.CharField(_("counterparty account"), max_length=34, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=35, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.UNMATCHED
    )
    proposed_invoice = models.ForeignKey(
        Invoice,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed invoice"),
    )
    confidence = models.PositiveSmallIntegerField(_("confidence"), default=0)
    payment = models.ForeignKey(
        Payment,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payment"),
    )
    entry = models.ForeignKey(
        JournalEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("journal entry"),
    )
    # Money out: the supplier bill it is proposed to pay, and the payment when accepted.
    proposed_bill = models.ForeignKey(
        "SupplierBill",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed supplier bill"),
    )
    supplier_payment = models.ForeignKey(
        "SupplierPayment",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier payment"),
    )

    class Meta:
        verbose_name = _("bank statement line")
        verbose_name_plural = _("bank statement lines")
        ordering = ["statement", "position"]
        indexes = [models.Index(fields=["state"], name="bank_line_state")]

    def __str__(self):
        return f"{self.date} {self.amount} {self.kid or self.text}"[:80]


# --- Dunning (purring) -------------------------------------------------------------------------


class Reminder(models.Model):
    """A written reminder of an overdue invoice (purring, level 1) or the collection notice
    that follows it (inkassovarsel, level 2), with its new deadline (at least 14 days) and,
    when the rules allow, a fee (purregebyr) posted as its own voucher: 1500 debit for the
    customer, matched with the invoice's receivable so the invoice's KID collects both."""

    class Level(models.IntegerChoices):
        REMINDER = 1, pgettext_lazy("dunning", "Reminder")
        COLLECTION_NOTICE = 2, _("Collection notice")

    invoice = models.ForeignKey(
        Invoice, models.PROTECT, related_name="reminders", verbose_name=_("invoice")
    )
    party = models.ForeignKey(
        "parties.Party", models.PROTECT, related_name="+", verbose_name=_("customer")
    )
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    date = models.DateField(_("date"))
    due_date = models.DateField(_("new due date"))
    claim = models.DecimalField(
        _("amount claimed"),
        max_digits=14,
        decimal_places=2,
        help_text=_("What was open on the invoice when the reminder was written, without its fee"),
    )
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=ZERO)
    fee_entry = models.OneToOneField(
        JournalEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="reminder",
        verbose_name=_("fee voucher"),
    )
    language = models.CharField(_("language"), max_length=2, default="nb")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("dunning", "reminder")
        verbose_name_plural = pgettext_lazy("dunning", "reminders")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["party", "date"], name="reminder_party_date")]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "level"], name="reminder_level_once"),
            models.CheckConstraint(condition=Q(fee__gte=0), name="reminder_fee_not_negative"),
            models.CheckConstraint(condition=Q(due_date__gt=F("date")), name="reminder_due_after"),
        ]

    def __str__(self):
        return f"{self.get_level_display()} {self.invoice.number or ''}".strip()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounting:reminder_pdf", args=[self.pk])


# --- Supplier bills and supplier payments ----------------------------------------------------


class SupplierBill(models.Model):
    """A bill (leverandørfaktura) or credit note received from a supplier. Entered by hand or
    imported from EHF; approved by someone with `approve_bill`, which posts one PUR voucher:
    the payable on 2400 with the supplier, due date and KID, costs per account and input VAT.
    What is still owed is the residual of the payable line's match (supplier payments)."""

    class Kind(models.TextChoices):
        BILL = "bill", pgettext_lazy("supplier", "Bill")
        CREDIT_NOTE = "credit_note", _("Credit note")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        PARTLY_PAID = "partly_paid", _("Partly paid")
        PAID = "paid", _("Paid")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        EHF = "ehf", "EHF"
        PURCHASE_ORDER = "purchase_order", _("From a purchase order")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default="bill")
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default="draft")
    number = models.CharField(_("number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default="manual")
    party = models.ForeignKey(
        "parties.Party", models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    supplier_number = models.CharField(_("supplier's invoice number"), max_length=50)
    bill_date = models.DateField(_("bill date"))
    due_date = models.DateField(_("due date"))
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=12, decimal_places=6, default=Decimal("1")
    )
    kid = models.CharField(_("KID / payment reference"), max_length=35, blank=True, db_index=True)
    bank_account = models.CharField(_("supplier's bank account"), max_length=34, blank=True)
    # The purchase order it bills (purchasing sits beside accounting: a plain id).
    purchase_order_id = models.PositiveBigIntegerField(_("purchase order"), null=True, blank=True)
    purchase_order_number = models.CharField(_("purchase order"), max_length=30, blank=True)
    credited_number = models.CharField(
        _("credits the supplier's invoice"), max_length=50, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    net_total = models.DecimalField(
        _("total excl. VAT"), max_digits=14, decimal_places=2, default=ZERO
    )
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=ZERO)
    total = models.DecimalField(_("total incl. VAT"), max_digits=14, decimal_places=2, default=ZERO)
    entry = models.OneToOneField(
        JournalEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supplier_bill",
        verbose_name=_("journal entry"),
    )
    payable_line = models.OneToOneField(
        JournalLine,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payable line"),
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    override_reason = models.CharField(
        _("reason for approving outside tolerance"), max_length=500, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier bill")
        verbose_name_plural = _("supplier bills")
        ordering = ["-bill_date", "-id"]
        permissions = [("approve_supplierbill", "Can approve and post supplier bills")]
        indexes = [
            models.Index(fields=["party", "state"], name="bill_party_state"),
            models.Index(fields=["state", "due_date"], name="bill_state_due"),
            models.Index(fields=["purchase_order_id"], name="bill_purchase_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "supplier_number"],
                name="bill_supplier_number_unique",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounting:bill_detail", args=[self.pk])

    @property
    def is_credit_note(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE

    @property
    def is_editable(self) -> bool:
        return self.state == self.State.DRAFT

    @property
    def is_posted(self) -> bool:
        return self.state in (self.State.APPROVED, self.State.PARTLY_PAID, self.State.PAID)


class SupplierBillLine(models.Model):
    """A line of a supplier bill: what was bought, the account it is booked to (costs in
    classes 4-7, fixed assets, or 2985 for goods already received into stock), the input VAT
    code, quantity and unit price; optionally the purchase order line it bills."""

    bill = models.ForeignKey(SupplierBill, models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product", models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=15, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=10, default="stk")
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    discount_percent = models.DecimalField(
        _("discount %"), max_digits=5, decimal_places=2, default=ZERO
    )
    vat_code = models.ForeignKey(
        "localization_no.VatCode", models.PROTECT, related_name="+", verbose_name=_("VAT code")
    )
    vat_rate = models.DecimalField(_("VAT %"), max_digits=5, decimal_places=2, default=ZERO)
    account = models.ForeignKey(
        Account, models.PROTECT, related_name="+", verbose_name=_("account")
    )
    net_amount = models.DecimalField(_("amount excl. VAT"), max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    po_line_id = models.PositiveBigIntegerField(_("purchase order line"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier bill line")
        verbose_name_plural = _("supplier bill lines")
        ordering = ["bill", "position", "id"]
        indexes = [models.Index(fields=["po_line_id"], name="bill_line_po_line")]

    def __str__(self):
        return f"{self.description} × {self.quantity}"


class SupplierPayment(models.Model):
    """Money paid out of the bank to a supplier, allocated to one or more approved bills:
    one BNK voucher, the supplier's payable (2400) debited per bill and matched with it."""

    party = models.ForeignKey(
        "parties.Party", models.PROTECT, related_name="+", verbose_name=_("supplier")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    bank_account = models.CharField(_("bank account"), max_length=10, default="1920")
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    entry = models.OneToOneField(
        JournalEntry,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supplier_payment",
        verbose_name=_("journal entry"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("supplier payment")
        verbose_name_plural = _("supplier payments")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="supplier_payment_amount_positive"
            ),
        ]

    def __str__(self):
        return str(_("Supplier payment %(id)s") % {"id": self.pk})


class SupplierPaymentAllocation(models.Model):
    payment = models.ForeignKey(SupplierPayment, models.CASCADE, related_name="allocations")
    bill = models.ForeignKey(SupplierBill, models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("supplier payment allocation")
        verbose_name_plural = _("supplier payment allocations")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0), name="supplier_allocation_amount_positive"
            ),
        ]

    def __str__(self):
        return f"{self.payment_id} → {self.bill_id}: {self.amount}"
