"""Catalog UI: thin adapters over `services` (writes) and `queries` (reads). A DomainError
becomes form errors or a message, never a 500; forms keep their input on failure."""

from samspill.catalog.views.pricelists import (
    PriceListCreateView,
    PriceListDeleteView,
    PriceListDetailView,
    PriceListEditView,
    PriceListItemsView,
    PriceListListView,
)
from samspill.catalog.views.products import (
    CategoryListView,
    ImportTemplateView,
    ImportView,
    ProductCreateView,
    ProductDeleteView,
    ProductDetailView,
    ProductEditView,
    ProductListView,
    ProductStateView,
    ValidateView,
)

__all__ = [
    "CategoryListView",
    "ImportTemplateView",
    "ImportView",
    "PriceListCreateView",
    "PriceListDeleteView",
    "PriceListDetailView",
    "PriceListEditView",
    "PriceListItemsView",
    "PriceListListView",
    "ProductCreateView",
    "ProductDeleteView",
    "ProductDetailView",
    "ProductEditView",
    "ProductListView",
    "ProductStateView",
    "ValidateView",
]
