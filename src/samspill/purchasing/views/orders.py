"""Purchase order pages: the list and the purchase history (ListPage with export), the
detail page with its actions (send, confirm, close, cancel, PDF), and the order form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.inventory import queries as inventory
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from
from samspill.purchasing import queries, services
from samspill.purchasing.filters import PurchaseLineFilterSet, PurchaseOrderFilterSet
from samspill.purchasing.forms import OrderForm, line_forms
from samspill.purchasing.models import PurchaseOrder
from samspill.purchasing.tables import PurchaseLineTable, PurchaseOrderTable

TIMELINE_LIMIT = 30


def _order_or_404(request, pk) -> PurchaseOrder:
    try:
        return queries.get_order(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _run(http_request, func, *args, success: str = "", **kwargs):
    """Call a service; a DomainError becomes a message on the page (never a 500)."""
    try:
        result = func(*args, **kwargs)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(http_request, str(exc.message))
        return None
    if success:
        messages.success(http_request, success)
    return result


class OrderListView(ListPage):
    permission = "purchasing.view_purchaseorder"
    table_class = PurchaseOrderTable  # type: ignore[assignment]
    filterset_class = PurchaseOrderFilterSet  # type: ignore[assignment]
    create_url = "purchasing:order_create"  # type: ignore[assignment]
    create_permission = "purchasing.add_purchaseorder"
    export_name = "purchase-orders"

    @property
    def title(self):
        return _("Purchase orders")

    @property
    def empty_text(self):
        return _("No purchase orders yet. Make the first one: choose a supplier and add products.")

    def get_queryset(self):
        return queries.order_list(self.request.user)


class LineListView(ListPage):
    permission = "purchasing.view_purchaseorder"
    table_class = PurchaseLineTable  # type: ignore[assignment]
    filterset_class = PurchaseLineFilterSet  # type: ignore[assignment]
    export_name = "purchase-history"

    @property
    def title(self):
        return _("Purchase history")

    @property
    def empty_text(self):
        return _("Nothing has been bought yet. Purchase order lines show here.")

    def get_queryset(self):
        return queries.line_list(self.request.user)


class OrderDetailView(PermissionRequiredMixin, View):
    permission = "purchasing.view_purchaseorder"

    def get(self, request, pk):
        order = _order_or_404(request, pk)
        lines = queries.lines_of(order)
        user = request.user
        context = {
            "order": order,
            "lines": lines,
            "vat_rows": services.vat_breakdown(lines),
            "receipts": inventory.receipts_for_order(order.pk),
            "can_change": allowed(user, "purchasing.change_purchaseorder"),
            "can_send": allowed(user, "purchasing.send_purchaseorder"),
            "can_confirm": allowed(user, "purchasing.confirm_purchaseorder"),
            "can_cancel": allowed(user, "purchasing.cancel_purchaseorder"),
            "history": audit.history(order),
            "timeline_entries": timeline("purchase_order", order.pk, limit=TIMELINE_LIMIT),
            "title": _("Purchase order %(number)s") % {"number": order.number},
        }
        return render(request, "purchasing/order_detail.html", context)


class OrderActionView(PermissionRequiredMixin, View):
    permission = "purchasing.view_purchaseorder"
    action = ""

    def post(self, request, pk):
        order = _order_or_404(request, pk)
        actions = {
            "send": (
                services.send_order,
                {"to": request.POST.get("to", ""), "message": request.POST.get("message", "")},
                _("The purchase order was sent to the supplier."),
            ),
            "mark_sent": (services.mark_sent, {}, _("The request is marked as sent.")),
            "confirm": (
                services.confirm_order,
                {},
                _("The purchase order was confirmed; the goods are expected in stock."),
            ),
            "close": (services.close_order, {}, _("The purchase order was closed.")),
            "cancel": (services.cancel_order, {}, _("The purchase order was cancelled.")),
        }
        func, kwargs, success = actions[self.action]
        _run(request, func, order, actor=request.user, success=success, **kwargs)
        return redirect(order.get_absolute_url())


class OrderPdfView(PermissionRequiredMixin, View):
    permission = "purchasing.view_purchaseorder"

    def get(self, request, pk):
        order = _order_or_404(request, pk)
        response = HttpResponse(services.render_pdf(order), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
        return response


class OrderFormView(PermissionRequiredMixin, View):
    """Create or change a purchase order: header form plus line rows."""

    def dispatch(self, request, *args, **kwargs):
        self.permission = (
            "purchasing.change_purchaseorder"
            if kwargs.get("pk")
            else "purchasing.add_purchaseorder"
        )
        return super().dispatch(request, *args, **kwargs)

    def _object(self, pk):
        if pk is None:
            return None
        order = _order_or_404(self.request, pk)
        return order

    def _page(self, form, rows, order=None, status=200, line_errors=None):
        return render(
            self.request,
            "purchasing/order_form.html",
            {
                "form": form,
                "rows": rows,
                "obj": order,
                "line_errors": line_errors or {},
                "title": (
                    _("Edit %(number)s") % {"number": order.number}
                    if order
                    else _("New purchase order")
                ),
            },
            status=status,
        )

    def get(self, request, pk=None):
        order = self._object(pk)
        if order is not None and not order.is_editable:
            messages.error(
                request, _("Only a draft or a sent request for quotation can be changed.")
            )
            return redirect(order.get_absolute_url())
        if order is None:
            form = OrderForm(initial={"party": request.GET.get("party", "")})
            return self._page(form, line_forms(extra=5))
        form = OrderForm(
            initial={
                "party": order.party_id,
                "language": order.language,
                "order_date": order.order_date,
                "expected_date": order.expected_date,
                "warehouse_code": order.warehouse_code,
                "reference": order.reference,
                "notes": order.notes,
            }
        )
        initial = [
            {
                "product": str(line.product_id),
                "quantity": line.quantity.normalize(),
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent.normalize(),
                "expected_date": line.expected_date,
            }
            for line in queries.lines_of(order)
        ]
        return self._page(form, line_forms(initial=initial, extra=2), order)

    def post(self, request, pk=None):
        order = self._object(pk)
        if order is not None and not order.is_editable:
            messages.error(
                request, _("Only a draft or a sent request for quotation can be changed.")
            )
            return redirect(order.get_absolute_url())
        form = OrderForm(request.POST)
        rows = line_forms(request.POST)
        valid = form.is_valid()
        rows_valid = all(row.is_valid() for row in rows)
        if not valid or not rows_valid:
            return self._page(form, rows, order, status=422)
        filled = [row for row in rows if not row.is_blank]
        lines = [
            {
                "product_id": row.cleaned_data["product"],
                "quantity": row.cleaned_data["quantity"],
                "unit_price": row.cleaned_data["unit_price"] or None,
                "discount_percent": row.cleaned_data["discount_percent"] or None,
                "expected_date": row.cleaned_data["expected_date"],
            }
            for row in filled
        ]
        data = form.service_kwargs()
        try:
            if order is None:
                order = services.create_order(actor=request.user, lines=lines, **data)
                messages.success(request, _("%(number)s was created.") % {"number": order.number})
            else:
                data.pop("party", None)
                order = services.update_order(order, actor=request.user, lines=lines, **data)
                messages.success(request, _("%(number)s was saved.") % {"number": order.number})
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            line_errors = _line_errors(exc.errors, rows, filled)
            header = {k: v for k, v in exc.errors.items() if not k.startswith("lines")}
            if header or not exc.errors:
                form_errors_from(form, type(exc)(exc.message, errors=header))
            elif line_errors or "lines" in exc.errors:
                form.add_error(None, _("Check the lines marked below."))
                for message in exc.errors.get("lines", []):
                    form.add_error(None, message)
            return self._page(form, rows, order, status=422, line_errors=line_errors)
        return redirect(order.get_absolute_url())


def _line_errors(errors, rows, filled) -> dict[int, list[str]]:
    """Service errors "lines.<i>.<field>" (i among the filled rows) -> row index -> messages."""
    index_of = {i: rows.index(row) for i, row in enumerate(filled)}
    result: dict[int, list[str]] = {}
    for key, texts in errors.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "lines" and parts[1].isdigit():
            row = index_of.get(int(parts[1]))
            if row is not None:
                result.setdefault(row, []).extend(texts)
    return result
