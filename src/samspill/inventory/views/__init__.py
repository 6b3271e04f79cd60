"""Inventory pages: stock overview and product stock, deliveries with pick and ship (htmx),
customer returns, stock counts and the locations tree."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from samspill.catalog import queries as catalog
from samspill.inventory import queries, services
from samspill.inventory.filters import CountFilterSet, DeliveryFilterSet, StockFilterSet
from samspill.inventory.forms import (
    AdjustForm,
    CountForm,
    LocationForm,
    PostCountForm,
    ReturnForm,
    TrackingForm,
)
from samspill.inventory.tables import CountTable, DeliveryTable, StockTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

VIEW_STOCK = "inventory.view_stocklevel"
VIEW_DELIVERY = "inventory.view_delivery"
VIEW_COUNT = "inventory.view_stockcount"
HANDLE = "inventory.change_delivery"
ADJUST = "inventory.add_stockmove"


def _or_404(func, request, pk):
    try:
        return func(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _run(request, command, **kwargs) -> bool:
    """Run a service command; a domain error becomes a message (403 for permissions)."""
    try:
        command(actor=request.user, **kwargs)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return False
    return True


# --- Stock --------------------------------------------------------------------------------


class StockListView(ListPage):
    permission = VIEW_STOCK
    table_class = StockTable  # type: ignore[assignment]
    filterset_class = StockFilterSet  # type: ignore[assignment]
    export_name = "stock"

    @property
    def title(self):
        return _("Stock")

    @property
    def empty_text(self):
        return _("No stock yet. Adjust stock on a product's stock page, or count a location.")

    def get_queryset(self):
        return queries.stock_levels(self.request.user)


class ProductStockView(PermissionRequiredMixin, View):
    """A product's stock per location and lot, its latest moves, and (for operations) the
    adjustment and tracking forms."""

    permission = VIEW_STOCK

    def context(self, request, product, adjust_form=None, tracking_form=None):
        tracking = queries.tracking(product.pk)
        return {
            "product": product,
            "title": _("Stock of %(sku)s") % {"sku": product.sku},
            "totals": queries.availability([product.pk])[product.pk],
            "average_cost": queries.average_costs([product.pk]).get(product.pk),
            "levels": queries.product_stock(product.pk),
            "lots": queries.lot_stock(product.pk),
            "moves": queries.recent_moves(product.pk),
            "tracking": tracking,
            "can_adjust": allowed(request.user, ADJUST) and product.product_type != "service",
            "adjust_form": adjust_form or AdjustForm(),
            "tracking_form": tracking_form or TrackingForm(initial={"tracking": tracking}),
            "can_track": allowed(request.user, "inventory.change_producttracking"),
            "timeline_entries": timeline("product", product.pk, limit=20, domains=["inventory"]),
        }

    def product(self, request, pk):
        try:
            return catalog.get_product(request.user, pk)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def get(self, request, pk):
        product = self.product(request, pk)
        return render(request, "inventory/product_stock.html", self.context(request, product))

    def post(self, request, pk):
        product = self.product(request, pk)
        if request.POST.get("action") == "tracking":
            form = TrackingForm(request.POST)
            if form.is_valid():
                try:
                    services.set_tracking(
                        actor=request.user, product=product, tracking=form.cleaned_data["tracking"]
                    )
                except DomainPermissionDenied as exc:
                    raise DjangoPermissionDenied(str(exc.message)) from exc
                except DomainError as exc:
                    form_errors_from(form, exc)
                else:
                    messages.success(request, _("Tracking saved."))
                    return redirect("inventory:product_stock", pk=product.pk)
            return render(
                request,
                "inventory/product_stock.html",
                self.context(request, product, tracking_form=form),
                status=422,
            )
        form = AdjustForm(request.POST)
        if form.is_valid():
            try:
                services.adjust_stock(actor=request.user, product=product, **form.cleaned_data)
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Stock adjusted."))
                return redirect("inventory:product_stock", pk=product.pk)
        return render(
            request,
            "inventory/product_stock.html",
            self.context(request, product, adjust_form=form),
            status=422,
        )


# --- Deliveries ---------------------------------------------------------------------------


class DeliveryListView(ListPage):
    permission = VIEW_DELIVERY
    template_name = "inventory/delivery_list.html"
    table_class = DeliveryTable  # type: ignore[assignment]
    filterset_class = DeliveryFilterSet  # type: ignore[assignment]
    export_name = "deliveries"

    @property
    def title(self):
        return _("Deliveries")

    @property
    def empty_text(self):
        return _("No deliveries yet. They are created when a sales order is confirmed.")

    def get_queryset(self):
        return queries.delivery_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_return"] = allowed(self.request.user, "inventory.add_delivery")
        return context


class DeliveryDetailView(PermissionRequiredMixin, View):
    permission = VIEW_DELIVERY
    actions = {
        "pick": services.pick,
        "pick_reserved": services.pick_reserved,
        "clear": services.clear_picks,
        "ship": services.ship,
        "check": services.check_availability,
        "cancel": services.cancel,
    }

    def context(self, request, delivery):
        return {
            "delivery": delivery,
            "title": delivery.number,
            "lines": queries.delivery_lines(delivery),
            "can_handle": delivery.is_open and allowed(request.user, HANDLE),
            "backorders": list(delivery.backorders.all()),
            "history": audit.history(delivery),
            "timeline_entries": timeline("delivery", delivery.pk, limit=20),
        }

    def get(self, request, pk):
        delivery = _or_404(queries.get_delivery, request, pk)
        return render(request, "inventory/delivery_detail.html", self.context(request, delivery))

    def post(self, request, pk):
        delivery = _or_404(queries.get_delivery, request, pk)
        action = request.POST.get("action", "")
        command = self.actions.get(action)
        if command is None:
            messages.error(request, _("Unknown action."))
            return redirect(delivery.get_absolute_url())
        kwargs = {"delivery": delivery}
        if action == "pick":
            kwargs["picks"] = [
                {
                    "line_id": int(line_id),
                    "quantity": request.POST.get(f"qty_{line_id}"),
                    "lot": request.POST.get(f"lot_{line_id}", ""),
                }
                for line_id in request.POST.getlist("line")
                if line_id.isdigit() and (request.POST.get(f"qty_{line_id}") or "").strip()
            ]
        ok = _run(request, command, **kwargs)
        if ok:
            messages.success(
                request,
                {
                    "pick": _("Picked quantities recorded."),
                    "pick_reserved": _("Reserved quantities picked."),
                    "clear": _("Picks cleared."),
                    "ship": _("Shipped."),
                    "check": _("Availability checked."),
                    "cancel": _("Delivery cancelled."),
                }[action],
            )
        delivery = queries.get_delivery(request.user, pk)
        if request.htmx:
            return render(request, "inventory/_delivery_body.html", self.context(request, delivery))
        return redirect(delivery.get_absolute_url())


class ReturnView(PermissionRequiredMixin, View):
    permission = "inventory.add_delivery"

    def render(self, request, form, status=200):
        return render(
            request,
            "inventory/return_form.html",
            {"form": form, "title": _("Customer return")},
            status=status,
        )

    def get(self, request):
        initial = (
            {"party": request.GET.get("party")} if request.GET.get("party", "").isdigit() else None
        )
        return self.render(request, ReturnForm(initial=initial))

    def post(self, request):
        form = ReturnForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                product = catalog.get_product_by_sku(request.user, data["product"])
                delivery = services.receive_return(
                    actor=request.user,
                    party=data["party"],
                    note=data["note"],
                    lines=[
                        {"product": product.pk, "quantity": data["quantity"], "lot": data["lot"]}
                    ],
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except NotFound as exc:
                form.add_error(
                    "product" if "product" in str(exc.message).lower() else "party",
                    str(exc.message),
                )
            except DomainError as exc:
                exc.errors = {k.replace("lines.0.", ""): v for k, v in exc.errors.items()}
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("Return %(number)s received.") % {"number": delivery.number}
                )
                return redirect(delivery.get_absolute_url())
        return self.render(request, form, status=422)


# --- Counts -------------------------------------------------------------------------------


class CountListView(ListPage):
    permission = VIEW_COUNT
    template_name = "inventory/count_list.html"
    table_class = CountTable  # type: ignore[assignment]
    filterset_class = CountFilterSet  # type: ignore[assignment]
    export_name = "stock-counts"

    @property
    def title(self):
        return _("Stock counts")

    @property
    def empty_text(self):
        return _("No stock counts yet. Start one for a location.")

    def get_queryset(self):
        return queries.count_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if allowed(self.request.user, "inventory.change_stockcount"):
            context["count_form"] = CountForm()
        return context

    def post(self, request, *args, **kwargs):
        form = CountForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a location."))
            return redirect("inventory:count_list")
        try:
            count = services.create_count(
                actor=request.user, location=form.cleaned_data["location"]
            )
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("inventory:count_list")
        return redirect(count.get_absolute_url())


class CountDetailView(PermissionRequiredMixin, View):
    permission = VIEW_COUNT

    def render(self, request, count, errors=None, post_form=None, status=200):
        lines = list(queries.count_lines(count))
        entered = request.POST if errors else {}
        for line in lines:
            line.error = (errors or {}).get(f"line_{line.pk}", [""])[0]
            line.value = entered.get(
                f"line_{line.pk}", "" if line.counted is None else line.counted
            )
        context = {
            "count": count,
            "title": count.number,
            "lines": lines,
            "can_count": count.state == "draft"
            and allowed(request.user, "inventory.change_stockcount"),
            "can_post": count.state == "draft"
            and allowed(request.user, "inventory.post_stockcount"),
            "post_form": post_form or PostCountForm(),
            "history": audit.history(count),
        }
        return render(request, "inventory/count_detail.html", context, status=status)

    def get(self, request, pk):
        return self.render(request, _or_404(queries.get_count, request, pk))

    def post(self, request, pk):
        count = _or_404(queries.get_count, request, pk)
        counted = {
            key.removeprefix("line_"): value
            for key, value in request.POST.items()
            if key.startswith("line_")
        }
        try:
            services.set_counted(actor=request.user, count=count, counted=counted)
            if request.POST.get("action") == "post":
                form = PostCountForm(request.POST)
                if not form.is_valid():
                    return self.render(request, count, post_form=form, status=422)
                services.post_count(
                    actor=request.user, count=count, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Count posted; the differences are adjusted."))
            else:
                messages.success(request, _("Counted quantities saved."))
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            if exc.errors and any(k.startswith("line_") for k in exc.errors):
                return self.render(request, count, errors=exc.errors, status=422)
            messages.error(request, str(exc.message))
        return redirect(reverse("inventory:count_detail", args=[count.pk]))


# --- Locations ----------------------------------------------------------------------------


class LocationListView(PermissionRequiredMixin, View):
    permission = "inventory.view_location"

    def render(self, request, form, status=200):
        context = {
            "title": _("Locations"),
            "tree": queries.location_tree(request.user),
            "warehouses": list(queries.warehouses()),
            "form": form if allowed(request.user, "inventory.add_location") else None,
        }
        return render(request, "inventory/location_list.html", context, status=status)

    def get(self, request):
        return self.render(request, LocationForm())

    def post(self, request):
        form = LocationForm(request.POST)
        if form.is_valid():
            try:
                location = services.create_location(actor=request.user, **form.cleaned_data)
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Location %(code)s added.") % {"code": location.code})
                return redirect("inventory:location_list")
        return self.render(request, form, status=422)
