"""Read side of sales: lists, details, the document a PDF or the public page shows, and the
figures of the customer's 360-degree view."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import CharField, Count, Q, QuerySet, Sum
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.crm import queries as crm
from samspill.organization import queries as organization
from samspill.platform.errors import NotFound
from samspill.platform.money import vat_breakdown
from samspill.platform.permissions import VIEW, restrict
from samspill.sales.models import Order, Quote

CENT = Decimal("0.01")
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


# --- Sales dashboard ---------------------------------------------------------------------------

TOP_CUSTOMERS = 10
FORECAST_MONTHS = 6


def top_customers(user, start: date, end: date, limit: int = TOP_CUSTOMERS) -> list[dict]:
    """Customers by the value (excl. VAT) of their confirmed orders dated in [start, end]:
    one GROUP BY with the party's name."""
    rows = (
        order_list(user)
        .filter(status=Order.Status.CONFIRMED, order_date__gte=start, order_date__lte=end)
        .values("party_id", "party__name")
        .annotate(orders=Count("id"), value=Sum("net_total"))
        .order_by("-value", "party__name")[:limit]
    )
    return [
        {
            "party_id": row["party_id"],
            "name": row["party__name"],
            "orders": row["orders"],
            "value": Decimal(row["value"] or 0).quantize(CENT),
        }
        for row in rows
    ]


def orders_between(user, start: date, end: date) -> dict:
    """Confirmed orders dated in [start, end]: count, value excl. VAT and the average."""
    figures = (
        order_list(user)
        .filter(status=Order.Status.CONFIRMED, order_date__gte=start, order_date__lte=end)
        .aggregate(count=Count("id"), value=Sum("net_total"))
    )
    value = Decimal(figures["value"] or 0).quantize(CENT)
    average = (value / figures["count"]).quantize(CENT, ROUND_HALF_UP) if figures["count"] else None
    return {"count": figures["count"], "value": value, "average": average}


def dashboard(user, start: date, end: date) -> dict[str, Any]:
    """Everything the sales dashboard shows for [start, end], aggregated in SQL: the open
    pipeline by stage, won and lost in the range, the weighted forecast of the coming months,
    top customers, and the funnel lead -> opportunity -> order (cohorts created in the range;
    an opportunity counts as ordered when a confirmed order refers to it)."""
    today = timezone.localdate()
    opportunities = crm.opportunities_created(user, start, end)
    with_order = (
        opportunities.annotate(ref=Cast("id", CharField()))
        .filter(
            ref__in=Order.objects.filter(status=Order.Status.CONFIRMED)
            .exclude(opportunity_ref="")
            .values("opportunity_ref")
        )
        .count()
    )
    created = opportunities.count()
    leads = crm.lead_conversion(user, start, end)
    horizon = _add_months(today.replace(day=1), FORECAST_MONTHS) - timedelta(days=1)
    return {
        "date_from": start,
        "date_to": end,
        "pipeline": crm.pipeline_by_stage(user),
        "closed": crm.closed_between(user, start, end),
        "forecast": crm.forecast(user, group="month", end=horizon),
        "top_customers": top_customers(user, start, end),
        "orders": orders_between(user, start, end),
        "funnel": {
            "leads": leads["leads"],
            "converted": leads["converted"],
            "lead_rate": leads["rate"],
            "opportunities": created,
            "ordered": with_order,
            "order_rate": crm.percent(with_order, created),
        },
    }


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)
