from django.urls import path
from django.views.generic import RedirectView

from samspill.inventory import views
from samspill.inventory.views import production, receipts, valuation

app_name = "inventory"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="inventory:stock_list"), name="index"),
    path("stock/", views.StockListView.as_view(), name="stock_list"),
    path("products/<int:pk>/", views.ProductStockView.as_view(), name="product_stock"),
    path("deliveries/", views.DeliveryListView.as_view(), name="delivery_list"),
    path("deliveries/<int:pk>/", views.DeliveryDetailView.as_view(), name="delivery_detail"),
    path("returns/new/", views.ReturnView.as_view(), name="return_create"),
    path("receipts/", receipts.ReceiptListView.as_view(), name="receipt_list"),
    path("receipts/<int:pk>/", receipts.ReceiptDetailView.as_view(), name="receipt_detail"),
    path("value/", valuation.StockValueView.as_view(), name="stock_value"),
    path("counts/", views.CountListView.as_view(), name="count_list"),
    path("counts/<int:pk>/", views.CountDetailView.as_view(), name="count_detail"),
    path("boms/", production.BomListView.as_view(), name="bom_list"),
    path("boms/new/", production.BomCreateView.as_view(), name="bom_create"),
    path("production/", production.ProductionListView.as_view(), name="production_list"),
    path("production/new/", production.ProductionCreateView.as_view(), name="production_create"),
    path(
        "production/<int:pk>/",
        production.ProductionDetailView.as_view(),
        name="production_detail",
    ),
    path("locations/", views.LocationListView.as_view(), name="location_list"),
]
