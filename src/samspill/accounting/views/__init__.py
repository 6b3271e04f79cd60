"""Pages of accounting: the ledger (`ledger`), the financial reports (`reports`) and
customer invoices and payments (`invoices`)."""

from samspill.accounting.views.invoices import (
    InvoiceActionView,
    InvoiceCreateView,
    InvoiceDetailView,
    InvoiceDownloadView,
    InvoiceEditView,
    InvoiceListPage,
    PaymentListPage,
)
from samspill.accounting.views.ledger import (
    AccountCreateView,
    AccountEditView,
    AccountListPage,
    EntryActionView,
    EntryCreateView,
    EntryDetailView,
    EntryListPage,
    EntryPreviewView,
    FiscalYearCloseView,
    FiscalYearOpenView,
    PeriodActionView,
    PeriodListView,
    ProjectListView,
)
from samspill.accounting.views.reports import (
    AccountStatementView,
    BalanceSheetView,
    ProfitAndLossView,
    TrialBalanceView,
)

__all__ = [
    "AccountCreateView",
    "AccountEditView",
    "AccountListPage",
    "AccountStatementView",
    "BalanceSheetView",
    "EntryActionView",
    "EntryCreateView",
    "EntryDetailView",
    "EntryListPage",
    "EntryPreviewView",
    "FiscalYearCloseView",
    "FiscalYearOpenView",
    "InvoiceActionView",
    "InvoiceCreateView",
    "InvoiceDetailView",
    "InvoiceDownloadView",
    "InvoiceEditView",
    "InvoiceListPage",
    "PaymentListPage",
    "PeriodActionView",
    "PeriodListView",
    "ProfitAndLossView",
    "ProjectListView",
    "TrialBalanceView",
]
