"""Pages of accounting: the ledger (`ledger`) and the financial reports (`reports`)."""

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
    "PeriodActionView",
    "PeriodListView",
    "ProfitAndLossView",
    "ProjectListView",
    "TrialBalanceView",
]
