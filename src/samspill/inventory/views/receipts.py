"""Receipt pages: the list of goods expected from suppliers and a receipt's page where
what arrived is entered (partially, with lots or serial numbers when tracked)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from samspill.inventory import queries, services
from samspill.inventory.filters import ReceiptFilterSet
from samspill.inventory.tables import ReceiptTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin

VIEW_RECEIPT = "inventory.view_receipt"
RECEIVE = "inventory.change_receipt"


class ReceiptListView(ListPage):
    permission = VIEW_RECEIPT
    table_class = ReceiptTable  # type: ignore[assignment]
    filterset_class = ReceiptFilterSet  # type: ignore[assignment]
    export_name = "receipts"

    @property
    def title(self):
        return _("Receipts")

    @property
    def empty_text(self):
        return _("No receipts yet. They are created when a purchase order is confirmed.")

    def get_queryset(self):
        return queries.receipt_list(self.request.user)


class ReceiptDetailView(PermissionRequiredMixin, View):
    permission = VIEW_RECEIPT

    def _receipt(self, request, pk):
        try:
            return queries.get_receipt(request.user, pk)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def _page(self, request, receipt, status=200, errors=None):
        lines = queries.receipt_lines(receipt)
        for index, line in enumerate(lines):
            line.errors = (errors or {}).get(index, [])  # type: ignore[attr-defined]
            line.entered = (
                request.POST.get(f"qty_{line.pk}", "") if request.method == "POST" else ""
            )  # type: ignore[attr-defined]
            line.entered_lot = (
                request.POST.get(f"lot_{line.pk}", "") if request.method == "POST" else ""
            )  # type: ignore[attr-defined]
        context = {
            "receipt": receipt,
            "title": receipt.number,
            "lines": lines,
            "can_receive": receipt.is_open and allowed(request.user, RECEIVE),
            "history": audit.history(receipt),
            "timeline_entries": timeline("receipt", receipt.pk, limit=20),
        }
        return render(request, "inventory/receipt_detail.html", context, status=status)

    def get(self, request, pk):
        return self._page(request, self._receipt(request, pk))

    def post(self, request, pk):
        receipt = self._receipt(request, pk)
        lines = queries.receipt_lines(receipt)
        entries = []
        rows = {}
        if request.POST.get("action") == "all":
            entries = [
                {"line_id": line.pk, "quantity": line.remaining}
                for line in lines
                if line.remaining > 0 and line.tracking == "none"  # type: ignore[attr-defined]
            ]
        else:
            for line in lines:
                raw = request.POST.get(f"qty_{line.pk}", "").strip()
                if raw:
                    rows[len(entries)] = lines.index(line)
                    entries.append(
                        {
                            "line_id": line.pk,
                            "quantity": raw,
                            "lot": request.POST.get(f"lot_{line.pk}", ""),
                        }
                    )
        try:
            services.receive(actor=request.user, receipt=receipt, lines=entries)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            errors: dict[int, list[str]] = {}
            for key, texts in exc.errors.items():
                parts = key.split(".")
                if len(parts) >= 2 and parts[0] == "lines" and parts[1].isdigit():
                    errors.setdefault(rows.get(int(parts[1]), -1), []).extend(texts)
            messages.error(request, str(exc.message))
            return self._page(request, queries.get_receipt(request.user, pk), 422, errors)
        messages.success(request, _("The goods were received into stock."))
        return redirect(receipt.get_absolute_url())
