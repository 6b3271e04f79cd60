import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from samspill.accounting.models import (
    Account,
    BankStatement,
    Invoice,
    JournalEntry,
    JournalLine,
    Payment,
)
from samspill.accounting.queries.ledger import cents

NUM = {"td": {"class": "text-end text-nowrap"}, "th": {"class": "text-end"}}


class AccountTable(tables.Table):
    number = tables.LinkColumn(
        "accounting:account_statement", args=[tables.A("pk")], verbose_name=_("Number")
    )
    name = tables.Column(verbose_name=_("Name"))
    kind = tables.Column(verbose_name=_("Type"))
    default_vat_code = tables.Column(
        verbose_name=_("VAT code"), accessor="default_vat_code__code", default="—"
    )
    reconcilable = tables.BooleanColumn(verbose_name=_("Reconcilable"))
    party_required = tables.BooleanColumn(verbose_name=_("Party required"))
    standard_account = tables.Column(verbose_name=_("SAF-T account"))
    grouping_code = tables.Column(verbose_name=_("SAF-T group"))
    active = tables.BooleanColumn(verbose_name=_("Active"))
    edit = tables.LinkColumn(
        "accounting:account_edit",
        args=[tables.A("pk")],
        text=_("Edit"),
        verbose_name="",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta:
        model = Account
        fields = (
            "number",
            "name",
            "kind",
            "default_vat_code",
            "reconcilable",
            "party_required",
            "standard_account",
            "grouping_code",
            "active",
        )
        attrs = {"class": "table table-hover align-middle"}


class EntryTable(tables.Table):
    voucher = tables.LinkColumn(
        "accounting:entry_detail",
        args=[tables.A("pk")],
        verbose_name=_("Voucher"),
        order_by=("journal__code", "number"),
        empty_values=(),
    )
    date = tables.DateColumn(verbose_name=_("Date"))
    journal = tables.Column(verbose_name=_("Journal"), accessor="journal__code")
    description = tables.Column(verbose_name=_("Description"))
    total = tables.Column(verbose_name=_("Amount"), attrs=NUM)
    state = tables.Column(verbose_name=_("State"))

    class Meta:
        model = JournalEntry
        fields = ("voucher", "date", "journal", "description", "total", "state")
        attrs = {"class": "table table-hover align-middle"}

    def render_voucher(self, record):
        return record.voucher or _("Draft")

    def value_voucher(self, record):
        return record.voucher


class StatementTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("Date"), orderable=False)
    voucher = tables.LinkColumn(
        "accounting:entry_detail",
        args=[tables.A("entry_id")],
        verbose_name=_("Voucher"),
        accessor="entry__voucher",
        orderable=False,
    )
    description = tables.Column(verbose_name=_("Description"), orderable=False, empty_values=())
    party = tables.Column(verbose_name=_("Party"), orderable=False, default="")
    vat_code = tables.Column(
        verbose_name=_("VAT"), accessor="vat_code__code", orderable=False, default=""
    )
    debit = tables.Column(verbose_name=_("Debit"), attrs=NUM, orderable=False)
    credit = tables.Column(verbose_name=_("Credit"), attrs=NUM, orderable=False)
    balance = tables.Column(verbose_name=_("Balance"), attrs=NUM, orderable=False, empty_values=())

    class Meta:
        model = JournalLine
        fields = ("date", "voucher", "description", "party", "vat_code", "debit", "credit")
        attrs = {"class": "table table-sm table-hover align-middle"}

    def __init__(self, *args, opening=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.opening = opening or 0

    def render_description(self, record):
        return record.description or record.entry.description

    def value_description(self, record):
        return record.description or record.entry.description

    def render_debit(self, value):
        return value or ""

    def render_credit(self, value):
        return value or ""

    def render_balance(self, record):
        return self.value_balance(record)

    def value_balance(self, record):
        from samspill.accounting.queries import cents

        return self.opening + cents(record.running)


class TrialBalanceTable(tables.Table):
    number = tables.Column(verbose_name=_("Account"), orderable=False)
    name = tables.Column(verbose_name=_("Name"), orderable=False)
    opening = tables.Column(verbose_name=_("Opening balance"), attrs=NUM, orderable=False)
    debit = tables.Column(verbose_name=_("Debit"), attrs=NUM, orderable=False)
    credit = tables.Column(verbose_name=_("Credit"), attrs=NUM, orderable=False)
    closing = tables.Column(verbose_name=_("Closing balance"), attrs=NUM, orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}

    def __init__(self, *args, link_query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.link_query = link_query

    def render_number(self, record):
        from django.urls import reverse
        from django.utils.html import format_html

        url = reverse("accounting:account_statement", args=[record.account_id])
        return format_html('<a href="{}?{}">{}</a>', url, self.link_query, record.number)

    def value_number(self, record):
        return record.number


# --- Reports ------------------------------------------------------------------------------


class LinesTable(StatementTable):
    """Lines of any accounts (VAT drill-down, general ledger export): with the account."""

    account = tables.Column(verbose_name=_("Account"), accessor="account__number", orderable=False)

    class Meta(StatementTable.Meta):
        sequence = ("date", "voucher", "account", "...")
        exclude = ("balance",)


class GeneralLedgerTable(StatementTable):
    """The general ledger export: one row a line, the balance is the account's."""

    account = tables.Column(verbose_name=_("Account"), accessor="account__number", orderable=False)
    account_name = tables.Column(verbose_name=_("Name"), accessor="account__name", orderable=False)

    class Meta(StatementTable.Meta):
        sequence = ("account", "account_name", "date", "voucher", "...")

    def value_balance(self, record):
        return record.balance


class ReportLinesTable(tables.Table):
    """Profit and loss and balance sheet as rows (section, account, amount) for export."""

    number = tables.Column(verbose_name=_("Account"), orderable=False, default="")
    name = tables.Column(verbose_name=_("Name"), orderable=False)
    amount = tables.Column(verbose_name=_("Amount"), attrs=NUM, orderable=False, default="")

    class Meta:
        attrs = {"class": "table table-sm align-middle"}


class VatTable(tables.Table):
    code = tables.Column(verbose_name=_("VAT code"), orderable=False)
    standard_code = tables.Column(verbose_name=_("SAF-T code"), orderable=False)
    name = tables.Column(verbose_name=_("Name"), orderable=False)
    rate = tables.Column(verbose_name=_("Rate (%)"), attrs=NUM, orderable=False)
    basis = tables.Column(verbose_name=_("Basis"), attrs=NUM, orderable=False)
    output_vat = tables.Column(verbose_name=_("Output VAT"), attrs=NUM, orderable=False)
    input_vat = tables.Column(verbose_name=_("Input VAT"), attrs=NUM, orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}

    def __init__(self, *args, link_query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.link_query = link_query

    def render_code(self, record):
        from django.urls import reverse
        from django.utils.html import format_html

        url = reverse("accounting:vat_code_lines", args=[record.vat_code_id])
        return format_html('<a href="{}?{}">{}</a>', url, self.link_query, record.code)

    def value_code(self, record):
        return record.code


class AgeingTable(tables.Table):
    name = tables.Column(verbose_name=_("Party"), orderable=False)
    items = tables.Column(verbose_name=_("Items"), attrs=NUM, orderable=False)
    not_due = tables.Column(verbose_name=_("Not due"), attrs=NUM, orderable=False)
    days_1_30 = tables.Column(verbose_name=_("1–30 days"), attrs=NUM, orderable=False)
    days_31_60 = tables.Column(verbose_name=_("31–60 days"), attrs=NUM, orderable=False)
    days_61_90 = tables.Column(verbose_name=_("61–90 days"), attrs=NUM, orderable=False)
    over_90 = tables.Column(verbose_name=_("Over 90 days"), attrs=NUM, orderable=False)
    total = tables.Column(verbose_name=_("Total"), attrs=NUM, orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle"}

    def __init__(self, *args, account=None, link_query="", **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        self.link_query = link_query

    def render_name(self, record):
        from django.urls import reverse
        from django.utils.html import format_html

        if not record.party_id:
            return _("(no party)")
        url = reverse("accounting:party_open_items", args=[self.account.pk, record.party_id])
        return format_html('<a href="{}?{}">{}</a>', url, self.link_query, record.name)

    def value_name(self, record):
        return record.name


class InvoiceTable(tables.Table):
    number = tables.LinkColumn(
        "accounting:invoice_detail",
        args=[tables.A("pk")],
        verbose_name=_("Number"),
        empty_values=(),
    )
    kind = tables.Column(verbose_name=_("Kind"))
    party = tables.Column(verbose_name=_("Customer"), accessor="party__name")
    invoice_date = tables.DateColumn(verbose_name=_("Invoice date"))
    due_date = tables.DateColumn(verbose_name=_("Due date"))
    currency = tables.Column(verbose_name=_("Currency"))
    total = tables.Column(verbose_name=_("Total incl. VAT"), attrs=NUM)
    # What is open is kept in the ledger, in NOK also for an invoice in another currency.
    open_amount = tables.Column(verbose_name=_("Open (NOK)"), attrs=NUM)
    state = tables.Column(verbose_name=_("State"))
    kid = tables.Column(verbose_name=_("KID"))

    class Meta:
        model = Invoice
        fields = (
            "number",
            "kind",
            "party",
            "invoice_date",
            "due_date",
            "currency",
            "total",
            "open_amount",
            "state",
            "kid",
        )
        attrs = {"class": "table table-hover align-middle"}

    def render_number(self, record):
        return record.number or _("Draft")

    def value_number(self, record):
        return record.number or ""

    def render_open_amount(self, value):
        return cents(value)

    def value_open_amount(self, value):
        return cents(value)


class PaymentTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("Date"))
    party = tables.Column(verbose_name=_("Customer"), accessor="party__name")
    amount = tables.Column(verbose_name=_("Amount"), attrs=NUM)
    prepayment = tables.Column(verbose_name=_("Prepayment"), attrs=NUM)
    reference = tables.Column(verbose_name=_("Reference"))
    voucher = tables.LinkColumn(
        "accounting:entry_detail",
        args=[tables.A("entry_id")],
        verbose_name=_("Voucher"),
        accessor="entry__voucher",
        orderable=False,
    )

    class Meta:
        model = Payment
        fields = ("date", "party", "amount", "prepayment", "reference", "voucher")
        attrs = {"class": "table table-hover align-middle"}


class BankStatementTable(tables.Table):
    statement_id = tables.LinkColumn(
        "accounting:bank_statement_detail", args=[tables.A("pk")], verbose_name=_("Statement")
    )
    account = tables.Column(verbose_name=_("Bank account"))
    period_end = tables.DateColumn(verbose_name=_("To"))
    closing_balance = tables.Column(verbose_name=_("Closing balance"), attrs=NUM)
    line_count = tables.Column(verbose_name=_("Lines"), attrs=NUM)
    matched_count = tables.Column(verbose_name=_("Matched"), attrs=NUM)
    proposed_count = tables.Column(verbose_name=_("Proposed"), attrs=NUM)
    unmatched_count = tables.Column(verbose_name=_("Unmatched"), attrs=NUM)
    imported_at = tables.DateTimeColumn(verbose_name=_("Imported"))

    class Meta:
        model = BankStatement
        fields = (
            "statement_id",
            "account",
            "period_end",
            "closing_balance",
            "line_count",
            "matched_count",
            "proposed_count",
            "unmatched_count",
            "imported_at",
        )
        attrs = {"class": "table table-hover align-middle"}
