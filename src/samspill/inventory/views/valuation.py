"""The stock value report: quantity, unit cost and value per product at the end of a day,
aggregated in SQL over the moves; CSV/XLSX export."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samspill.inventory import queries
from samspill.inventory.filters import StockValueFilterSet
from samspill.inventory.tables import StockValueTable
from samspill.platform.views import ListPage


class StockValueView(ListPage):
    permission = "inventory.view_stockmove"
    template_name = "inventory/stock_value.html"
    fragment_template = "inventory/_stock_value_table.html"
    table_class = StockValueTable  # type: ignore[assignment]
    filterset_class = StockValueFilterSet  # type: ignore[assignment]
    export_name = "stock-value"

    @property
    def title(self):
        return _("Stock value")

    @property
    def empty_text(self):
        return _("No stock is valued at this date. Stock gets its value when goods are received.")

    def get_queryset(self):
        return queries.stock_value(user=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filterset"]
        at = (
            filterset.form.cleaned_data.get("at")
            if filterset.is_bound and filterset.is_valid()
            else None
        )
        context["total"] = queries.stock_value_total(at)
        context["at"] = at
        return context
