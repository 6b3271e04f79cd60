"""Quote and order pages: lists (ListPage with export), detail, create/edit with the line
editor, and the actions (send, accept, decline, confirm, cancel, PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.crm import queries as crm
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from
from samspill.sales import queries, services
from samspill.sales.filters import OrderFilterSet, QuoteFilterSet
from samspill.sales.forms import DeclineForm, OrderForm, QuoteForm, SendForm
from samspill.sales.models import Order, Quote
from samspill.sales.tables import OrderTable, QuoteTable
from samspill.sales.views.lines import (
    editor_context,
    header_from_post,
    rows_from_lines,
    rows_from_post,
    service_lines,
)

TIMELINE_LIMIT = 30


def _quote_or_404(request, pk) -> Quote:
    try:
        return queries.get_quote(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _order_or_404(request, pk) -> Order:
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


# --- Lists -----------------------------------------------------------------------------------


class QuoteListView(ListPage):
    permission = "sales.view_quote"
    table_class = QuoteTable  # type: ignore[assignment]
    filterset_class = QuoteFilterSet  # type: ignore[assignment]
    create_url = "sales:quote_create"  # type: ignore[assignment]
    create_permission = "sales.add_quote"
    export_name = "quotes"

    @property
    def title(self):
        return _("Quotes")

    @property
    def empty_text(self):
        return _("No quotes yet. Make the first one: choose a customer and add products.")

    def get_queryset(self):
        return queries.quote_list(self.request.user)


class OrderListView(ListPage):
    permission = "sales.view_order"
    table_class = OrderTable  # type: ignore[assignment]
    filterset_class = OrderFilterSet  # type: ignore[assignment]
    create_url = "sales:order_create"  # type: ignore[assignment]
    create_permission = "sales.add_order"
    export_name = "sales-orders"

    @property
    def title(self):
        return _("Sales orders")

    @property
    def empty_text(self):
        return _("No sales orders yet. They come from accepted quotes, or enter one directly.")

    def get_queryset(self):
        return queries.order_list(self.request.user)


# --- Create and edit --------------------------------------------------------------------------


class DocumentFormView(PermissionRequiredMixin, View):
    """Create or edit a quote or an order: header form plus the line editor."""

    kind = "quote"  # or "order"

    @property
    def form_class(self):
        return QuoteForm if self.kind == "quote" else OrderForm

    def get_object(self, pk):
        if pk is None:
            return None
        obj = (
            _quote_or_404(self.request, pk)
            if self.kind == "quote"
            else _order_or_404(self.request, pk)
        )
        if not obj.is_editable:
            messages.error(self.request, _("Only a draft can be changed."))
            raise _Redirect(obj.get_absolute_url())
        return obj

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        self.permission = f"sales.{'change' if pk else 'add'}_{self.kind}"
        try:
            return super().dispatch(request, *args, **kwargs)
        except _Redirect as exc:
            return redirect(exc.url)

    def render_page(self, form, rows, obj=None, errors=None, status=200):
        header = (
            header_from_post(self.request.POST)
            if self.request.method == "POST"
            else {
                "currency": getattr(obj, "currency", "NOK"),
                "price_list": getattr(obj, "price_list", None),
                "language": getattr(obj, "language", "nb"),
            }
        )
        context = {
            "form": form,
            "obj": obj,
            "kind": self.kind,
            "title": (
                _("Edit %(number)s") % {"number": obj.number}
                if obj
                else (_("New quote") if self.kind == "quote" else _("New sales order"))
            ),
            **editor_context(self.request, rows, errors=errors, **header),
        }
        return render(self.request, "sales/document_form.html", context, status=status)

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        if obj is None:
            opportunity = request.GET.get("opportunity", "")
            contact = request.GET.get("contact", "")
            initial = {
                "party": request.GET.get("party", ""),
                "contact": contact if contact.isdigit() else "",
                "opportunity_ref": opportunity if opportunity.isdigit() else "",
            }
            return self.render_page(self.form_class(initial=initial), rows_from_post(request.GET))
        initial = {
            "party": obj.party_id,
            "contact": obj.contact_id or "",
            "currency": obj.currency,
            "price_list": obj.price_list_id or "",
            "language": obj.language,
            "reference": obj.reference,
            "opportunity_ref": obj.opportunity_ref,
            "notes": obj.notes,
        }
        if self.kind == "quote":
            initial.update(issue_date=obj.issue_date, valid_until=obj.valid_until, terms=obj.terms)
        else:
            initial.update(
                order_date=obj.order_date,
                invoicing_policy=obj.invoicing_policy,
                warehouse_code=obj.warehouse_code,
            )
        return self.render_page(
            self.form_class(initial=initial), rows_from_lines(queries.lines_of(obj)), obj
        )

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.form_class(request.POST)
        rows = rows_from_post(request.POST)
        if request.POST.get("add") or request.POST.get("remove"):  # the editor without htmx
            return self.render_page(form, rows, obj)
        rows = [r for r in rows if not r.is_empty] or rows
        if not form.is_valid():
            return self.render_page(form, rows, obj, status=422)
        errors: dict[str, list[str]] = {}
        lines = service_lines(rows, errors)
        if errors:
            return self.render_page(form, rows, obj, errors=errors, status=422)
        data = form.service_kwargs()
        try:
            if obj is None:
                create = services.create_quote if self.kind == "quote" else services.create_order
                data = {k: v for k, v in data.items() if v is not None or k == "contact"}
                obj = create(actor=request.user, lines=lines, **data)
                messages.success(request, _("%(number)s was created.") % {"number": obj.number})
            else:
                update = services.update_quote if self.kind == "quote" else services.update_order
                data.pop("party", None)
                data = {k: v for k, v in data.items() if v is not None or k == "contact"}
                obj = update(obj, actor=request.user, lines=lines, **data)
                messages.success(request, _("%(number)s was saved.") % {"number": obj.number})
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            form_errors_from(form, _FieldErrors(exc, form))
            return self.render_page(form, rows, obj, errors=exc.errors, status=422)
        return redirect(obj.get_absolute_url())


class _Redirect(Exception):
    def __init__(self, url):
        self.url = url


class _FieldErrors(DomainError):
    """The header part of a service's errors (line errors are shown on their rows)."""

    def __init__(self, exc: DomainError, form):
        header = {k: v for k, v in exc.errors.items() if not k.startswith("lines")}
        message = exc.message if not exc.errors else None
        super().__init__(message or exc.message, errors=header or None)
        if not header and any(k.startswith("lines") for k in exc.errors):
            self.errors = {"__all__": [_("Check the lines marked below.")]}


# --- Detail and actions ------------------------------------------------------------------------


def _opportunity(user, reference: str):
    """The CRM opportunity a document refers to (a quote made from it), if the user may
    see it; None for a free-text reference."""
    if not reference.isdigit():
        return None
    return crm.opportunities(user).filter(pk=int(reference)).first()


class QuoteDetailView(PermissionRequiredMixin, View):
    permission = "sales.view_quote"

    def get(self, request, pk):
        quote = _quote_or_404(request, pk)
        lines = queries.lines_of(quote)
        order = queries.order_list(None).filter(quote=quote).first()
        user = request.user
        context = {
            "quote": quote,
            "lines": lines,
            "vat_rows": services.vat_breakdown(lines),
            "order": order,
            "send_form": SendForm(),
            "decline_form": DeclineForm(),
            "public_url": services.public_url(quote, request)
            if quote.status == Quote.Status.SENT
            else "",
            "can_change": allowed(user, "sales.change_quote"),
            "can_send": allowed(user, "sales.send_quote"),
            "history": audit.history(quote),
            "timeline_entries": timeline("quote", quote.pk, limit=TIMELINE_LIMIT),
            "title": _("Quote %(number)s") % {"number": quote.number},
            "opportunity": _opportunity(user, quote.opportunity_ref),
        }
        return render(request, "sales/quote_detail.html", context)


class QuoteActionView(PermissionRequiredMixin, View):
    permission = "sales.view_quote"
    action = ""

    def post(self, request, pk):
        quote = _quote_or_404(request, pk)
        if self.action == "send":
            form = SendForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Enter a valid email address."))
                return redirect(quote.get_absolute_url())
            _run(
                request,
                services.send_quote,
                quote,
                actor=request.user,
                to=form.cleaned_data["to"],
                message=form.cleaned_data["message"],
                request=request,
                success=_("The quote was sent."),
            )
        elif self.action == "mark_sent":
            _run(
                request,
                services.mark_quote_sent,
                quote,
                actor=request.user,
                success=_("The quote is marked as given to the customer."),
            )
        elif self.action == "accept":
            order = _run(
                request,
                services.accept_quote,
                quote,
                actor=request.user,
                success=_("The quote was accepted and the order confirmed."),
            )
            if order is not None:
                return redirect(order.get_absolute_url())
        elif self.action == "decline":
            form = DeclineForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            _run(
                request,
                services.decline_quote,
                quote,
                actor=request.user,
                reason=reason,
                success=_("The quote was marked as declined."),
            )
        return redirect(quote.get_absolute_url())


class QuotePdfView(PermissionRequiredMixin, View):
    permission = "sales.view_quote"

    def get(self, request, pk):
        quote = _quote_or_404(request, pk)
        response = HttpResponse(services.render_pdf(quote), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{quote.number}.pdf"'
        return response


class OrderDetailView(PermissionRequiredMixin, View):
    permission = "sales.view_order"

    def get(self, request, pk):
        order = _order_or_404(request, pk)
        lines = queries.lines_of(order)
        user = request.user
        context = {
            "order": order,
            "lines": lines,
            "vat_rows": services.vat_breakdown(lines),
            "can_change": allowed(user, "sales.change_order"),
            "can_confirm": allowed(user, "sales.confirm_order"),
            "can_cancel": allowed(user, "sales.cancel_order"),
            "history": audit.history(order),
            "timeline_entries": timeline("order", order.pk, limit=TIMELINE_LIMIT),
            "title": _("Sales order %(number)s") % {"number": order.number},
        }
        return render(request, "sales/order_detail.html", context)


class OrderActionView(PermissionRequiredMixin, View):
    permission = "sales.view_order"
    action = ""

    def post(self, request, pk):
        order = _order_or_404(request, pk)
        if self.action == "confirm":
            _run(
                request,
                services.confirm_order,
                order,
                actor=request.user,
                success=_("The order was confirmed."),
            )
        elif self.action == "cancel":
            _run(
                request,
                services.cancel_order,
                order,
                actor=request.user,
                success=_("The order was cancelled."),
            )
        return redirect(order.get_absolute_url())
