from samspill.sales.views.dashboard import DashboardView
from samspill.sales.views.documents import (
    DocumentFormView,
    OrderActionView,
    OrderDetailView,
    OrderListView,
    QuoteActionView,
    QuoteDetailView,
    QuoteListView,
    QuotePdfView,
)
from samspill.sales.views.lines import LineEditorView, LineTotalsView, ProductOptionsView
from samspill.sales.views.public import PublicQuoteView

__all__ = [
    "DashboardView",
    "DocumentFormView",
    "LineEditorView",
    "LineTotalsView",
    "OrderActionView",
    "OrderDetailView",
    "OrderListView",
    "ProductOptionsView",
    "PublicQuoteView",
    "QuoteActionView",
    "QuoteDetailView",
    "QuoteListView",
    "QuotePdfView",
]
