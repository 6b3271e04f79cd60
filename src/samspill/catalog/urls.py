from django.urls import path
from django.views.generic import RedirectView

from samspill.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="catalog:product_list"), name="index"),
    path("products/", views.ProductListView.as_view(), name="product_list"),
    path("products/new/", views.ProductCreateView.as_view(), name="product_create"),
    path("products/validate/", views.ValidateView.as_view(), name="validate"),
    path("products/import/", views.ImportView.as_view(), name="import"),
    path(
        "products/import/template.csv", views.ImportTemplateView.as_view(), name="import_template"
    ),
    path("products/categories/", views.CategoryListView.as_view(), name="categories"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product_detail"),
    path("products/<int:pk>/edit/", views.ProductEditView.as_view(), name="product_edit"),
    path(
        "products/<int:pk>/archive/",
        views.ProductStateView.as_view(action="archive"),
        name="product_archive",
    ),
    path(
        "products/<int:pk>/restore/",
        views.ProductStateView.as_view(action="restore"),
        name="product_restore",
    ),
    path("products/<int:pk>/delete/", views.ProductDeleteView.as_view(), name="product_delete"),
    path("price-lists/", views.PriceListListView.as_view(), name="pricelist_list"),
    path("price-lists/new/", views.PriceListCreateView.as_view(), name="pricelist_create"),
    path("price-lists/<int:pk>/", views.PriceListDetailView.as_view(), name="pricelist_detail"),
    path("price-lists/<int:pk>/edit/", views.PriceListEditView.as_view(), name="pricelist_edit"),
    path("price-lists/<int:pk>/items/", views.PriceListItemsView.as_view(), name="pricelist_items"),
    path(
        "price-lists/<int:pk>/delete/",
        views.PriceListDeleteView.as_view(),
        name="pricelist_delete",
    ),
]
