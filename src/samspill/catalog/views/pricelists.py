"""Price list pages: list, create/edit and the editable table of quantity breaks (htmx)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.catalog import queries, services
from samspill.catalog.filters import PriceListFilterSet
from samspill.catalog.forms import PriceListForm
from samspill.catalog.models import PriceList, PriceListItem, normalize_sku
from samspill.catalog.tables import PriceListTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

VIEW_PERM = "catalog.view_pricelist"
ADD_PERM = "catalog.add_pricelist"
CHANGE_PERM = "catalog.change_pricelist"
ITEMS_PER_PAGE = 100


def _price_list_or_404(request, pk) -> PriceList:
    try:
        return queries.get_price_list(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


class PriceListListView(ListPage):
    permission = VIEW_PERM
    table_class = PriceListTable  # type: ignore[assignment]
    filterset_class = PriceListFilterSet  # type: ignore[assignment]
    create_url = "catalog:pricelist_create"  # type: ignore[assignment]
    create_permission = ADD_PERM
    export_name = "price-lists"

    @property
    def title(self):
        return _("Price lists")

    @property
    def empty_text(self):
        return _(
            "No price lists yet. Create one for a group of customers or a market, then add "
            "prices with quantity breaks."
        )

    def get_queryset(self):
        return queries.price_list_list(self.request.user)


class PriceListFormView(PermissionRequiredMixin, View):
    def render(self, form, price_list=None):
        title = (
            _("Edit %(name)s") % {"name": price_list.name} if price_list else _("New price list")
        )
        return render(
            self.request,
            "catalog/pricelist_form.html",
            {"form": form, "price_list": price_list, "title": title},
        )


class PriceListCreateView(PriceListFormView):
    permission = ADD_PERM

    def get(self, request):
        return self.render(PriceListForm())

    def post(self, request):
        form = PriceListForm(request.POST)
        if not form.is_valid():
            return self.render(form)
        try:
            price_list = services.create_price_list(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form_errors_from(form, exc)
            return self.render(form)
        messages.success(request, _("“%(name)s” was created.") % {"name": price_list.name})
        return redirect(price_list.get_absolute_url())


class PriceListEditView(PriceListFormView):
    permission = CHANGE_PERM

    def get(self, request, pk):
        price_list = _price_list_or_404(request, pk)
        return self.render(PriceListForm(initial=PriceListForm.initial_for(price_list)), price_list)

    def post(self, request, pk):
        price_list = _price_list_or_404(request, pk)
        form = PriceListForm(request.POST, initial=PriceListForm.initial_for(price_list))
        if not form.is_valid():
            return self.render(form, price_list)
        try:
            services.update_price_list(
                actor=request.user, price_list=price_list, **form.cleaned_data
            )
        except DomainError as exc:
            form_errors_from(form, exc)
            return self.render(form, price_list)
        messages.success(request, _("The changes were saved."))
        return redirect(price_list.get_absolute_url())


def _items_context(request, price_list: PriceList, **extra) -> dict:
    items = queries.price_list_items(price_list)
    q = request.GET.get("q", "").strip() or request.POST.get("q", "").strip()
    if q:
        items = items.filter(
            Q(product__sku__icontains=q)
            | Q(product__name_nb__icontains=q)
            | Q(product__name_en__icontains=q)
        )
    page = Paginator(items, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "price_list": price_list,
        "page": page,
        "items": list(page.object_list),
        "q": q,
        "can_change": allowed(request.user, CHANGE_PERM),
        **extra,
    }


class PriceListDetailView(PermissionRequiredMixin, View):
    permission = VIEW_PERM

    def get(self, request, pk):
        price_list = _price_list_or_404(request, pk)
        context = _items_context(request, price_list)
        if request.htmx and not request.htmx.boosted:
            return render(request, "catalog/_pricelist_items.html", context)
        context.update(
            title=price_list.name,
            history=audit.history(price_list)[:50],
            timeline_entries=timeline("pricelist", price_list.pk, limit=30),
        )
        return render(request, "catalog/pricelist_detail.html", context)


class PriceListItemsView(PermissionRequiredMixin, View):
    """The editable table of breaks: add, change or remove one break (htmx POST). Each
    action sets that product's breaks through the service, so the rules are the same as
    in the API and nothing is written when a value is wrong."""

    permission = CHANGE_PERM

    def post(self, request, pk):
        price_list = _price_list_or_404(request, pk)
        action = request.POST.get("action", "add")
        row_errors: dict[str, list[str]] = {}
        product = None
        sku = normalize_sku(request.POST.get("sku", ""))
        item_id = request.POST.get("item", "")
        current: PriceListItem | None = None
        if item_id.isdigit():
            current = price_list.items.select_related("product").filter(pk=int(item_id)).first()
            if current is None:
                raise Http404(_("This price is no longer on the list."))
            product = current.product
        elif sku:
            try:
                product = queries.get_product_by_sku(request.user, sku)
            except NotFound:
                row_errors["sku"] = [_("There is no product with this SKU.")]
        else:
            row_errors["sku"] = [_("This field is required.")]
        if product is not None:
            breaks = [
                {"product": product, "min_quantity": i.min_quantity, "unit_price": i.unit_price}
                for i in price_list.items.filter(product=product)
                if current is None or i.pk != current.pk
            ]
            if action != "delete":
                breaks.append(
                    {
                        "product": product,
                        "min_quantity": request.POST.get("min_quantity", "") or Decimal("1"),
                        "unit_price": request.POST.get("unit_price", ""),
                    }
                )
            try:
                services.set_price_list_items(
                    actor=request.user, price_list=price_list, items=breaks, products=[product]
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                index = f"items.{len(breaks) - 1}."
                for key, msgs in exc.errors.items():
                    field = key.removeprefix(index) if key.startswith(index) else "__all__"
                    if field == "product":
                        field = "sku"
                    row_errors.setdefault(field, []).extend(msgs)
                if not exc.errors:
                    row_errors["__all__"] = [str(exc.message)]
        context = _items_context(
            request,
            price_list,
            row_errors=row_errors,
            general_errors=row_errors.get("__all__", []),
            error_item=int(item_id) if item_id.isdigit() else None,
            posted=request.POST if row_errors else {},
        )
        # 200 even with errors: htmx swaps only successful responses.
        return render(request, "catalog/_pricelist_items.html", context)


class PriceListDeleteView(PermissionRequiredMixin, View):
    permission = CHANGE_PERM

    def get(self, request, pk):
        price_list = _price_list_or_404(request, pk)
        return render(
            request,
            "catalog/confirm_delete.html",
            {
                "object": price_list,
                "title": _("Delete price list"),
                "cancel_url": price_list.get_absolute_url(),
                "warning": _("The price list and all its prices are deleted."),
            },
        )

    def post(self, request, pk):
        price_list = _price_list_or_404(request, pk)
        try:
            services.delete_price_list(actor=request.user, price_list=price_list)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(price_list.get_absolute_url())
        messages.success(request, _("“%(name)s” was deleted.") % {"name": price_list.name})
        return redirect("catalog:pricelist_list")
