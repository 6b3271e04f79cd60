"""Production pages: bills of materials (list and a form), production orders (list, a
form to draft one from a bill, and the order's page with Confirm / Done / Cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.catalog import queries as catalog
from samspill.inventory import queries, services
from samspill.inventory.filters import BomFilterSet, ProductionFilterSet
from samspill.inventory.tables import BomTable, ProductionTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin

VIEW_BOM = "inventory.view_billofmaterials"
ADD_BOM = "inventory.add_billofmaterials"
VIEW_PRODUCTION = "inventory.view_productionorder"
PRODUCE = "inventory.change_productionorder"
COMPONENT_ROWS = 6


class BomListView(ListPage):
    permission = VIEW_BOM
    table_class = BomTable  # type: ignore[assignment]
    filterset_class = BomFilterSet  # type: ignore[assignment]
    export_name = "bills-of-materials"
    create_url = "inventory:bom_create"
    create_permission = ADD_BOM

    @property
    def title(self):
        return _("Bills of materials")

    @property
    def empty_text(self):
        return _("No bills of materials yet. Create one to say what a product is made of.")

    def get_queryset(self):
        return queries.boms(self.request.user)


class BomCreateView(PermissionRequiredMixin, View):
    permission = ADD_BOM

    def _page(self, request, values, errors=None, status=200):
        rows = [
            {
                "sku": values.get(f"sku_{i}", ""),
                "quantity": values.get(f"qty_{i}", ""),
                "unit": values.get(f"unit_{i}", ""),
                "errors": (errors or {}).get(i, []),
            }
            for i in range(COMPONENT_ROWS)
        ]
        context = {
            "title": _("New bill of materials"),
            "values": values,
            "rows": rows,
            "errors": (errors or {}).get("form", []),
            "units": catalog.units().order_by("code"),
        }
        return render(request, "inventory/production_bom_form.html", context, status=status)

    def get(self, request):
        return self._page(request, {"quantity": "1"})

    def post(self, request):
        values = request.POST
        errors: dict = {}
        lines = []
        rows = {}
        try:
            product = catalog.get_product_by_sku(request.user, values.get("sku", ""))
        except NotFound as exc:
            errors.setdefault("form", []).append(str(exc.message))
            product = None
        for i in range(COMPONENT_ROWS):
            sku = values.get(f"sku_{i}", "").strip()
            if not sku:
                continue
            try:
                component = catalog.get_product_by_sku(request.user, sku)
            except NotFound as exc:
                errors.setdefault(i, []).append(str(exc.message))
                continue
            rows[len(lines)] = i
            lines.append(
                {
                    "product": component.pk,
                    "quantity": values.get(f"qty_{i}", ""),
                    "unit": values.get(f"unit_{i}", ""),
                }
            )
        if not errors:
            try:
                services.create_bom(
                    actor=request.user,
                    product=product,
                    quantity=values.get("quantity", ""),
                    note=values.get("note", ""),
                    lines=lines,
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                for key, texts in exc.errors.items():
                    parts = key.split(".")
                    if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit():
                        errors.setdefault(rows.get(int(parts[1]), "form"), []).extend(texts)
                    else:
                        errors.setdefault("form", []).extend(texts)
                if not exc.errors:
                    errors.setdefault("form", []).append(str(exc.message))
            else:
                messages.success(request, _("The bill of materials was saved."))
                return redirect("inventory:bom_list")
        return self._page(request, values, errors, status=422)


class ProductionListView(ListPage):
    permission = VIEW_PRODUCTION
    table_class = ProductionTable  # type: ignore[assignment]
    filterset_class = ProductionFilterSet  # type: ignore[assignment]
    export_name = "production-orders"
    create_url = "inventory:production_create"
    create_permission = PRODUCE

    @property
    def title(self):
        return _("Production orders")

    @property
    def empty_text(self):
        return _("No production orders yet. Start one from a bill of materials.")

    def get_queryset(self):
        return queries.production_orders(self.request.user)


class ProductionCreateView(PermissionRequiredMixin, View):
    permission = PRODUCE

    def _page(self, request, values, error="", status=200):
        context = {
            "title": _("New production order"),
            "values": values,
            "error": error,
            "boms": queries.boms(request.user),
            "warehouses": queries.warehouses(),
        }
        return render(request, "inventory/production_form.html", context, status=status)

    def get(self, request):
        return self._page(request, {"bom": request.GET.get("bom", ""), "quantity": "1"})

    def post(self, request):
        values = request.POST
        try:
            order = services.create_production(
                actor=request.user,
                bom=values.get("bom", ""),
                quantity=values.get("quantity", ""),
                warehouse=values.get("warehouse") or None,
            )
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            return self._page(request, values, str(exc.message), status=422)
        messages.success(
            request, _("Production order %(number)s was created.") % {"number": order.number}
        )
        return redirect(order.get_absolute_url())


class ProductionDetailView(PermissionRequiredMixin, View):
    permission = VIEW_PRODUCTION

    def _order(self, request, pk):
        try:
            return queries.production_order(request.user, pk)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def _page(self, request, order, status=200, run=None):
        tracking = queries.production_tracking(order)
        lines = list(order.lines.all())
        for line in lines:
            line.tracked = tracking[line.product_id] != "none"  # type: ignore[attr-defined]
        context = {
            "order": order,
            "title": order.number,
            "lines": lines,
            "tracked_lines": [line for line in lines if line.tracked],  # type: ignore[attr-defined]
            "product_tracked": tracking[order.product_id] != "none",
            "moves": queries.production_moves(order),
            "run": run or {},
            "can_produce": allowed(request.user, PRODUCE),
            "history": audit.history(order),
            "timeline_entries": timeline("production", order.pk, limit=20),
        }
        return render(request, "inventory/production_detail.html", context, status=status)

    def get(self, request, pk):
        return self._page(request, self._order(request, pk))

    def _run(self, request, order):
        """The produce and scrap forms: their fields as the service takes them."""
        values = request.POST
        action = values.get("action")
        if action == "produce":
            components = [
                {"line_id": line.pk, "lot": values.get(f"lot-{line.pk}", ""), "quantity": q}
                for line in order.lines.all()
                if (q := values.get(f"quantity-{line.pk}", "").strip())
            ]
            services.produce(
                actor=request.user,
                order=order,
                quantity=values.get("quantity", "").strip() or None,
                lot=values.get("lot", ""),
                components=components,
                close=values.get("close") == "1",
            )
            return _("The goods were made and are in stock.")
        services.scrap_production(
            actor=request.user,
            order=order,
            product=values.get("product", ""),
            quantity=values.get("scrap_quantity", ""),
            lot=values.get("scrap_lot", ""),
            note=values.get("note", ""),
        )
        return _("The scrapped goods were moved to inventory loss.")

    def post(self, request, pk):
        order = self._order(request, pk)
        action = request.POST.get("action")
        if action in ("produce", "scrap"):
            try:
                done = self._run(request, order)
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                messages.error(request, str(exc.message))
                return self._page(
                    request, self._order(request, pk), status=422, run=request.POST.dict()
                )
            messages.success(request, done)
            return redirect(order.get_absolute_url())
        command, done = {
            "confirm": (services.confirm_production, _("The components were reserved.")),
            "done": (
                services.finish_production,
                _("The components were consumed and the goods are in stock."),
            ),
            "cancel": (services.cancel_production, _("The production order was cancelled.")),
            "close": (
                services.close_production,
                _("The production order was closed with what was made."),
            ),
        }.get(action, (None, ""))
        if command is None:
            messages.error(request, _("Unknown action."))
            return self._page(request, order, status=422)
        try:
            command(actor=request.user, order=order)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return self._page(request, self._order(request, pk), status=422)
        messages.success(request, done)
        return redirect(order.get_absolute_url())
