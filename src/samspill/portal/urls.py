from django.urls import path

from samspill.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.TicketListView.as_view(), name="tickets"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/<str:token>/", views.LinkView.as_view(), name="link"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket_create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket"),
    path("tickets/<int:pk>/rate/", views.TicketRateView.as_view(), name="ticket_rate"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order"),
    path("invoices/", views.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/pdf/", views.InvoicePdfView.as_view(), name="invoice_pdf"),
    path("staff/parties/<int:party_pk>/invite/", views.InviteView.as_view(), name="invite"),
    path(
        "staff/parties/<int:party_pk>/access/<int:pk>/revoke/",
        views.RevokeView.as_view(),
        name="revoke",
    ),
]
