from django.urls import path

from samspill.accounting import views
from samspill.accounting.views import bills as bill_views

app_name = "accounting"
urlpatterns = [
    path("", views.EntryListPage.as_view(), name="entry_list"),
    path("entries/new/", views.EntryCreateView.as_view(), name="entry_create"),
    path("entries/preview/", views.EntryPreviewView.as_view(), name="entry_preview"),
    path("entries/<int:pk>/", views.EntryDetailView.as_view(), name="entry_detail"),
    path("entries/<int:pk>/post/", views.EntryActionView.as_view(action="post"), name="entry_post"),
    path(
        "entries/<int:pk>/reverse/",
        views.EntryActionView.as_view(action="reverse"),
        name="entry_reverse",
    ),
    path(
        "entries/<int:pk>/delete/",
        views.EntryActionView.as_view(action="delete", permission="accounting.delete_journalentry"),
        name="entry_delete",
    ),
    path("invoices/", views.InvoiceListPage.as_view(), name="invoice_list"),
    path("invoices/new/", views.InvoiceCreateView.as_view(), name="invoice_create"),
    path("invoices/<int:pk>/", views.InvoiceDetailView.as_view(), name="invoice_detail"),
    path("invoices/<int:pk>/edit/", views.InvoiceEditView.as_view(), name="invoice_edit"),
    path(
        "invoices/<int:pk>/post/",
        views.InvoiceActionView.as_view(action="post"),
        name="invoice_post",
    ),
    path(
        "invoices/<int:pk>/credit/",
        views.InvoiceActionView.as_view(action="credit"),
        name="invoice_credit",
    ),
    path(
        "invoices/<int:pk>/send/",
        views.InvoiceActionView.as_view(action="send"),
        name="invoice_send",
    ),
    path(
        "invoices/<int:pk>/pay/",
        views.InvoiceActionView.as_view(action="pay", permission="accounting.add_payment"),
        name="invoice_pay",
    ),
    path(
        "invoices/<int:pk>/delete/",
        views.InvoiceActionView.as_view(action="delete", permission="accounting.delete_invoice"),
        name="invoice_delete",
    ),
    path(
        "invoices/<int:pk>/pdf/", views.InvoiceDownloadView.as_view(kind="pdf"), name="invoice_pdf"
    ),
    path(
        "invoices/<int:pk>/ehf/", views.InvoiceDownloadView.as_view(kind="ehf"), name="invoice_ehf"
    ),
    path("payments/", views.PaymentListPage.as_view(), name="payment_list"),
    path("payments/new/", views.PaymentCreateView.as_view(), name="payment_create"),
    path("dunning/", views.DunningView.as_view(), name="dunning"),
    path("reminders/<int:pk>/pdf/", views.ReminderPdfView.as_view(), name="reminder_pdf"),
    path("reminders/<int:pk>/send/", views.ReminderSendView.as_view(), name="reminder_send"),
    path("bank/", views.BankStatementListPage.as_view(), name="bank_statement_list"),
    path("bank/import/", views.BankStatementImportView.as_view(), name="bank_statement_import"),
    path("bank/<int:pk>/", views.BankStatementDetailView.as_view(), name="bank_statement_detail"),
    path(
        "bank/lines/<int:pk>/accept/",
        views.BankLineActionView.as_view(action="accept"),
        name="bank_line_accept",
    ),
    path(
        "bank/lines/<int:pk>/book/",
        views.BankLineActionView.as_view(action="book"),
        name="bank_line_book",
    ),
    path("bills/", bill_views.BillListPage.as_view(), name="bill_list"),
    path("bills/new/", bill_views.BillCreateView.as_view(), name="bill_create"),
    path("bills/import/", bill_views.BillImportView.as_view(), name="bill_import"),
    path("bills/payment-file/", bill_views.BillPaymentFileView.as_view(), name="bill_payment_file"),
    path("bills/<int:pk>/", bill_views.BillDetailView.as_view(), name="bill_detail"),
    path("bills/<int:pk>/edit/", bill_views.BillEditView.as_view(), name="bill_edit"),
    path(
        "bills/<int:pk>/submit/",
        bill_views.BillActionView.as_view(action="submit"),
        name="bill_submit",
    ),
    path(
        "bills/<int:pk>/approve/",
        bill_views.BillActionView.as_view(
            action="approve", permission="accounting.approve_supplierbill"
        ),
        name="bill_approve",
    ),
    path(
        "bills/<int:pk>/reject/",
        bill_views.BillActionView.as_view(
            action="reject", permission="accounting.approve_supplierbill"
        ),
        name="bill_reject",
    ),
    path(
        "bills/<int:pk>/pay/",
        bill_views.BillActionView.as_view(
            action="pay", permission="accounting.add_supplierpayment"
        ),
        name="bill_pay",
    ),
    path(
        "bills/<int:pk>/delete/",
        bill_views.BillActionView.as_view(
            action="delete", permission="accounting.delete_supplierbill"
        ),
        name="bill_delete",
    ),
    path(
        "supplier-payments/",
        bill_views.SupplierPaymentListPage.as_view(),
        name="supplier_payment_list",
    ),
    path("accounts/", views.AccountListPage.as_view(), name="account_list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", views.AccountStatementView.as_view(), name="account_statement"),
    path("accounts/<int:pk>/edit/", views.AccountEditView.as_view(), name="account_edit"),
    path("periods/", views.PeriodListView.as_view(), name="period_list"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path(
        "periods/<int:pk>/close/",
        views.PeriodActionView.as_view(action="close"),
        name="period_close",
    ),
    path(
        "periods/<int:pk>/reopen/",
        views.PeriodActionView.as_view(action="reopen"),
        name="period_reopen",
    ),
    path("years/open/", views.FiscalYearOpenView.as_view(), name="year_open"),
    path("years/<int:pk>/close/", views.FiscalYearCloseView.as_view(), name="year_close"),
    path("reports/trial-balance/", views.TrialBalanceView.as_view(), name="trial_balance"),
    path("reports/profit-and-loss/", views.ProfitAndLossView.as_view(), name="profit_and_loss"),
    path("reports/balance-sheet/", views.BalanceSheetView.as_view(), name="balance_sheet"),
    path("reports/", views.ReportsIndexView.as_view(), name="reports"),
    path("reports/general-ledger/", views.GeneralLedgerView.as_view(), name="general_ledger"),
    path("reports/vat/", views.VatReportView.as_view(), name="vat_report"),
    path("reports/vat/<int:pk>/", views.VatCodeLinesView.as_view(), name="vat_code_lines"),
    path("reports/open-items/", views.OpenItemsView.as_view(), name="open_items"),
    path(
        "reports/open-items/<int:account_pk>/<int:party_pk>/",
        views.PartyOpenItemsView.as_view(),
        name="party_open_items",
    ),
]
