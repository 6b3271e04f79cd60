from django.urls import path
from django.views.generic import RedirectView

from samspill.purchasing.views import orders as views
from samspill.purchasing.views import replenishment

app_name = "purchasing"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="purchasing:order_list"), name="index"),
    path("orders/", views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views.OrderFormView.as_view(), name="order_create"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views.OrderFormView.as_view(), name="order_edit"),
    path("orders/<int:pk>/pdf/", views.OrderPdfView.as_view(), name="order_pdf"),
    *[
        path(
            f"orders/<int:pk>/{action.replace('_', '-')}/",
            views.OrderActionView.as_view(action=action),
            name=f"order_{action}",
        )
        for action in ("send", "mark_sent", "confirm", "close", "cancel")
    ],
    path("history/", views.LineListView.as_view(), name="line_list"),
    path("replenishment/", replenishment.ReplenishmentView.as_view(), name="replenishment"),
    path("reorder-rules/", replenishment.ReorderRuleListView.as_view(), name="reorder_rules"),
    path("supplier-info/", replenishment.SupplierInfoListView.as_view(), name="supplier_info"),
]
