from django.urls import path
from django.views.generic import RedirectView

from samspill.sales import views

app_name = "sales"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="sales:quote_list"), name="index"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("quotes/", views.QuoteListView.as_view(), name="quote_list"),
    path("quotes/new/", views.DocumentFormView.as_view(kind="quote"), name="quote_create"),
    path("quotes/<int:pk>/", views.QuoteDetailView.as_view(), name="quote_detail"),
    path("quotes/<int:pk>/edit/", views.DocumentFormView.as_view(kind="quote"), name="quote_edit"),
    path("quotes/<int:pk>/pdf/", views.QuotePdfView.as_view(), name="quote_pdf"),
    path("quotes/<int:pk>/send/", views.QuoteActionView.as_view(action="send"), name="quote_send"),
    path(
        "quotes/<int:pk>/mark-sent/",
        views.QuoteActionView.as_view(action="mark_sent"),
        name="quote_mark_sent",
    ),
    path(
        "quotes/<int:pk>/accept/",
        views.QuoteActionView.as_view(action="accept"),
        name="quote_accept",
    ),
    path(
        "quotes/<int:pk>/decline/",
        views.QuoteActionView.as_view(action="decline"),
        name="quote_decline",
    ),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.DocumentFormView.as_view(kind="order"), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views.DocumentFormView.as_view(kind="order"), name="order_edit"),
    path(
        "orders/<int:pk>/confirm/",
        views.OrderActionView.as_view(action="confirm"),
        name="order_confirm",
    ),
    path(
        "orders/<int:pk>/cancel/",
        views.OrderActionView.as_view(action="cancel"),
        name="order_cancel",
    ),
    path("lines/", views.LineEditorView.as_view(), name="line_editor"),
    path("lines/totals/", views.LineTotalsView.as_view(), name="line_totals"),
    path("products/", views.ProductOptionsView.as_view(), name="product_options"),
    path("q/<str:token>/", views.PublicQuoteView.as_view(), name="public_quote"),
]
