"""Replenishment pages: the screen of reorder rules with on hand, incoming and reserved
(one click drafts the purchase orders), and the lists of reorder rules and supplier info
with their forms."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from samspill.platform.errors import DomainError
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.views import (
    EXPORT_FORMATS,
    ListPage,
    PermissionRequiredMixin,
    SpreadsheetExport,
    form_errors_from,
)
from samspill.purchasing import queries, services
from samspill.purchasing.filters import ReorderRuleFilterSet, SupplierInfoFilterSet
from samspill.purchasing.forms import ReorderRuleForm, SupplierInfoForm
from samspill.purchasing.tables import ReorderRuleTable, ReplenishmentTable, SupplierInfoTable

VIEW = "purchasing.view_purchaseorder"
CHANGE = "purchasing.change_purchaseorder"


class ReplenishmentView(PermissionRequiredMixin, View):
    permission = VIEW

    def get(self, request):
        below_only = request.GET.get("below") == "1"
        data = queries.replenishment_rows(
            queries.replenishment(below_only=below_only, user=request.user)
        )
        table = ReplenishmentTable(data)
        export = request.GET.get("_export")
        if export in EXPORT_FORMATS:
            RequestConfig(request, paginate=False).configure(table)
            return SpreadsheetExport(export, table).response(f"replenishment.{export}")
        return render(
            request,
            "purchasing/replenishment.html",
            {
                "table": table,
                "title": _("Replenishment"),
                "below_only": below_only,
                "to_order": sum(1 for row in data if row["below"]),
                "can_order": allowed(request.user, "purchasing.add_purchaseorder"),
            },
        )

    def post(self, request):
        try:
            result = services.replenish(actor=request.user)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("purchasing:replenishment")
        orders = result["orders"]
        if orders:
            messages.success(
                request,
                _("Draft purchase orders made: %(numbers)s.")
                % {"numbers": ", ".join(order.number for order in orders)},
            )
        else:
            messages.info(request, _("Nothing is below its minimum; no purchase orders made."))
        if result["skipped"]:
            messages.warning(
                request,
                _(
                    "%(count)s products below their minimum have no supplier: add supplier "
                    "info or a supplier on the rule."
                )
                % {"count": len(result["skipped"])},
            )
        return redirect(reverse("purchasing:order_list") + "?status=draft")


class _EditableList(ListPage):
    """A list with a form above it that creates or updates a row, and delete buttons."""

    permission = VIEW
    template_name = "purchasing/editable_list.html"
    form_class: type | None = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_change"] = allowed(self.request.user, CHANGE)
        context["form"] = kwargs.get("form") or self.form_class()  # type: ignore[misc]
        return context

    def save(self, data):  # pragma: no cover - overridden
        raise NotImplementedError

    def delete(self, pk):  # pragma: no cover - overridden
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if not allowed(request.user, CHANGE):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        try:
            if request.POST.get("delete"):
                self.delete(request.POST["delete"])
                messages.success(request, _("Deleted."))
                return redirect(request.path)
            form = self.form_class(request.POST)  # type: ignore[misc]
            if form.is_valid():
                self.save(form.cleaned_data)
                messages.success(request, _("Saved."))
                return redirect(request.path)
        except DomainError as exc:
            if request.POST.get("delete"):
                messages.error(request, str(exc.message))
                return redirect(request.path)
            form_errors_from(form, exc)
        filterset, table = self.build()
        RequestConfig(request, paginate=False).configure(table)
        self.paginate(table)
        context = self.get_context_data(
            filterset=filterset, table=table, title=self.title, form=form
        )
        context["export_query"] = ""
        return self.render_to_response(context, status=422)

    def render_to_response(self, context, template_name=None, **kwargs):
        return super().render_to_response(context, template_name=template_name, **kwargs)


class SupplierInfoListView(_EditableList):
    table_class = SupplierInfoTable  # type: ignore[assignment]
    filterset_class = SupplierInfoFilterSet  # type: ignore[assignment]
    form_class = SupplierInfoForm
    export_name = "supplier-info"

    @property
    def title(self):
        return _("Supplier info")

    @property
    def empty_text(self):
        return _("No supplier info yet. Record what your suppliers sell each product for.")

    def get_queryset(self):
        return queries.supplier_info_list(self.request.user)

    def save(self, data):
        services.save_supplier_info(actor=self.request.user, **data)

    def delete(self, pk):
        services.delete_supplier_info(int(pk) if str(pk).isdigit() else 0, actor=self.request.user)


class ReorderRuleListView(_EditableList):
    table_class = ReorderRuleTable  # type: ignore[assignment]
    filterset_class = ReorderRuleFilterSet  # type: ignore[assignment]
    form_class = ReorderRuleForm
    export_name = "reorder-rules"

    @property
    def title(self):
        return _("Reorder rules")

    @property
    def empty_text(self):
        return _("No reorder rules yet. Add one to keep a product in stock.")

    def get_queryset(self):
        return queries.reorder_rule_list(self.request.user)

    def save(self, data):
        services.save_reorder_rule(actor=self.request.user, **data)

    def delete(self, pk):
        services.delete_reorder_rule(int(pk) if str(pk).isdigit() else 0, actor=self.request.user)
