"""Read side of sales: lists, details, the document a PDF or the public page shows, and the
figures of the customer's 360-degree view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.organization import queries as organization
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, restrict
from samspill.sales.models import Order, Quote
from samspill.sales.services.common import vat_breakdown

OPEN_QUOTE_STATUSES = (Quote.Status.DRAFT, Quote.Status.SENT)


def quote_list(user=None) -> QuerySet[Quote]:
    return restrict(Quote.objects.select_related("party", "contact"), user, VIEW)


def order_list(user=None) -> QuerySet[Order]:
    return restrict(Order.objects.select_related("party", "quote"), user, VIEW)


def _get(queryset, pk, message):
    row = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise NotFound(message)
    return row


def get_quote(user, pk) -> Quote:
    return _get(
        quote_list(user).select_related("price_list", "created_by"),
        pk,
        _("There is no quote with this id."),
    )


def get_order(user, pk) -> Order:
    return _get(
        order_list(user).select_related("contact", "price_list", "created_by"),
        pk,
        _("There is no sales order with this id."),
    )


def lines_of(document) -> list:
    """The lines in order, each with `unit_of_measure` (the catalog unit, shown in the
    reader's language when rendered); two queries."""
    from samspill.catalog import queries as catalog

    lines = list(document.lines.select_related("product").order_by("position", "id"))
    units = {unit.code: unit for unit in catalog.units()}
    for line in lines:
        line.unit_of_measure = units.get(line.unit, line.unit)
    return lines


def quote_document(quote: Quote) -> dict[str, Any]:
    """What the PDF and the customer's page show of a quote."""
    lines = lines_of(quote)
    return {
        "quote": quote,
        "lines": lines,
        "vat_rows": vat_breakdown(lines),
        "company": organization.company(),
    }


def search(user, q: str, limit: int = 10) -> list[Quote | Order]:
    q = (q or "").strip()
    if not q:
        return []
    condition = Q(number__icontains=q) | Q(reference__icontains=q)
    quotes = list(quote_list(user).filter(condition).order_by("-id")[:limit])
    orders = list(order_list(user).filter(condition).order_by("-id")[:limit])
    return (orders + quotes)[:limit]


def party_figures(party) -> dict[str, Any]:
    """Open quotes (count and value) and this year's orders (count and value), two queries."""
    year = timezone.localdate().year
    quotes = Quote.objects.filter(party=party, status__in=OPEN_QUOTE_STATUSES).aggregate(
        count=Count("id"), value=Sum("net_total")
    )
    orders = (
        Order.objects.filter(party=party, order_date__year=year)
        .exclude(status=Order.Status.CANCELLED)
        .aggregate(count=Count("id"), value=Sum("net_total"))
    )
    return {
        "open_quotes": quotes["count"],
        "open_quotes_value": quotes["value"] or Decimal("0.00"),
        "orders_this_year": orders["count"],
        "orders_this_year_value": orders["value"] or Decimal("0.00"),
    }


def recent_orders(party, limit: int = 10) -> list[Order]:
    return list(Order.objects.filter(party=party).order_by("-order_date", "-id")[:limit])
