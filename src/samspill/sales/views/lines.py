"""The line editor shared by the quote and the order forms: rows posted as parallel lists,
products picked by SKU or name (htmx search into a datalist), totals recomputed live by the
same service code that saves them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from django.shortcuts import render
from django.utils import timezone
from django.views import View

from samspill.catalog import queries as catalog
from samspill.catalog.models import normalize_sku
from samspill.platform.money import set_totals, vat_breakdown
from samspill.platform.views import PermissionRequiredMixin
from samspill.sales.models import QuoteLine
from samspill.sales.services.common import build_lines

FIELDS = ("sku", "quantity", "unit_price", "discount_percent", "description")


@dataclass
class Row:
    sku: str = ""
    quantity: str = "1"
    unit_price: str = ""
    discount_percent: str = ""
    description: str = ""
    errors: list[str] = field(default_factory=list)
    line: Any = None

    @property
    def is_empty(self) -> bool:
        return not self.sku.strip()


def rows_from_post(data, *, keep_empty: bool = False) -> list[Row]:
    columns = {name: data.getlist(f"line-{name}") for name in FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    rows = []
    remove = data.get("remove", "")
    for index in range(count):
        if remove.isdigit() and int(remove) == index:
            continue
        values = {
            name: (columns[name][index] if index < len(columns[name]) else "").strip()
            for name in FIELDS
        }
        rows.append(
            Row(
                sku=values["sku"],
                quantity=values["quantity"],
                unit_price=values["unit_price"],
                discount_percent=values["discount_percent"],
                description=values["description"],
            )
        )
    if not keep_empty and (data.get("add") or not rows):
        rows.append(Row())
    return rows


def rows_from_lines(lines) -> list[Row]:
    return [
        Row(
            sku=line.sku,
            quantity=f"{line.quantity.normalize():f}",
            unit_price=f"{line.unit_price}",
            discount_percent="" if not line.discount_percent else f"{line.discount_percent}",
            description=line.description,
            line=line,
        )
        for line in lines
    ]


def service_lines(rows: list[Row], errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    """The rows as the services take them (SKUs resolved to products in one query). Unknown
    SKUs are reported on their row."""
    filled = [r for r in rows if not r.is_empty]
    skus = {normalize_sku(r.sku) for r in filled}
    ids = dict(catalog.product_list(None).filter(sku__in=skus).values_list("sku", "pk"))
    result = []
    for index, row in enumerate(filled):
        product_id = ids.get(normalize_sku(row.sku))
        if product_id is None:
            errors.setdefault(f"lines.{index}.product", []).append(str(_unknown_sku(row.sku)))
        result.append(
            {
                "product_id": product_id if product_id is not None else "",
                "quantity": row.quantity,
                "unit_price": row.unit_price or None,
                "discount_percent": row.discount_percent or None,
                "description": row.description,
            }
        )
    return result


def _unknown_sku(sku: str):
    from django.utils.translation import gettext as _

    return _("There is no product with the SKU %(sku)s.") % {"sku": sku}


def attach_errors(rows: list[Row], errors: dict[str, list[str]]) -> list[str]:
    """Put "lines.<i>.<field>" errors on their rows; return the errors of the whole list."""
    filled = [r for r in rows if not r.is_empty]
    general = []
    for key, messages in errors.items():
        parts = key.split(".")
        if parts[0] == "lines" and len(parts) >= 2 and parts[1].isdigit():
            index = int(parts[1])
            if index < len(filled):
                for message in messages:
                    if message not in filled[index].errors:
                        filled[index].errors.append(message)
                continue
        if key == "lines":
            general.extend(messages)
    return general


def editor_context(
    request,
    rows: list[Row],
    *,
    currency="NOK",
    price_list=None,
    language="nb",
    errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """Price the rows like the service would (no writes) and compute the totals."""
    errors = dict(errors or {})
    own: dict[str, list[str]] = {}
    lines = service_lines(rows, own)
    priced = []
    if any(not r.is_empty for r in rows):
        priced = build_lines(
            QuoteLine,
            lines,
            actor=request.user,
            currency=currency,
            price_list=price_list,
            on=timezone.localdate(),
            language=language,
            errors=own,
        )
        by_position = {line.position: line for line in priced}
        for index, row in enumerate([r for r in rows if not r.is_empty]):
            row.line = by_position.get(index + 1)
    for key, messages in own.items():
        errors.setdefault(key, [])
        errors[key].extend(m for m in messages if m not in errors[key])
    totals = SimpleNamespace(net_total=Decimal("0"), vat_total=Decimal("0"), total=Decimal("0"))
    set_totals(totals, priced)
    return {
        "rows": rows,
        "line_errors": attach_errors(rows, errors),
        "totals": totals,
        "vat_rows": vat_breakdown(priced),
        "currency": currency,
        "may_price": request.user.has_perm("sales.price_quote"),
    }


def header_from_post(data) -> dict[str, Any]:
    currency = (data.get("currency") or "NOK").strip().upper()[:3]
    price_list = None
    if (data.get("price_list") or "").isdigit():
        price_list = catalog.price_list_list(None).filter(pk=data["price_list"]).first()
    if price_list is not None and price_list.currency != currency:
        price_list = None
    language = data.get("language") if data.get("language") in ("nb", "en") else "nb"
    return {"currency": currency, "price_list": price_list, "language": language}


class LineEditorView(PermissionRequiredMixin, View):
    """htmx: re-render the line editor with live totals (add, remove, change a row)."""

    permission = "sales.view_quote"

    def post(self, request):
        rows = rows_from_post(request.POST)
        context = editor_context(request, rows, **header_from_post(request.POST))
        return render(request, "sales/_line_editor.html", context)


class LineTotalsView(PermissionRequiredMixin, View):
    """htmx: the totals and each row's VAT, amount and errors while the user types; the
    inputs themselves are not replaced, so nothing typed is lost."""

    permission = "sales.view_quote"

    def post(self, request):
        rows = rows_from_post(request.POST, keep_empty=True)
        context = editor_context(request, rows, **header_from_post(request.POST))
        return render(request, "sales/_line_totals.html", context)


class ProductOptionsView(PermissionRequiredMixin, View):
    """htmx: <option>s of the products matching q (SKU or name) for the row's datalist."""

    permission = "sales.view_quote"

    def get(self, request):
        q = request.GET.get("q", "") or next(
            (v for k, v in request.GET.items() if k == "line-sku"), ""
        )
        products = catalog.search(None, q, 15) if len(q.strip()) >= 2 else []
        return render(request, "sales/_product_options.html", {"products": products})
