"""The stock value report: quantity, unit cost and value per product at the end of a day,
from the monthly summary and the moves of the last month (queries.stock_value); CSV/XLSX
export."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samspill.inventory import queries
from samspill.inventory.filters import StockValueFilterSet
from samspill.inventory.tables import StockValueTable
from samspill.platform.views import ListPage, style_form


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

    def build(self):
        """The report is a list of per-product rows, not a queryset: the filters (date,
        search) rebuild it, invalid filters show nothing."""
        filterset = self.filterset_class(
            self.request.GET or None, queryset=None, request=self.request
        )
        style_form(filterset.form)
        if filterset.is_bound and not filterset.is_valid():
            rows: list = []
        elif filterset.is_bound:
            rows = filterset.qs
        else:
            rows = queries.stock_value(user=self.request.user)
        table = self.table_class(rows)
        table.request = self.request
        return filterset, table

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
