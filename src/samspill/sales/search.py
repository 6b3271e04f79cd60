"""What sales plugs into the shell: global search by quote and order number, and the key
figures of the customer's 360-degree view."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samspill.platform.registry import KeyFigure, SearchHit
from samspill.sales import queries
from samspill.sales.models import Order


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    hits = []
    for row in queries.search(user, q, limit):
        kind = _("Sales order") if isinstance(row, Order) else _("Quote")
        hits.append(
            SearchHit(
                kind=kind,
                title=row.number,
                url=row.get_absolute_url(),
                subtitle=" · ".join(
                    [
                        row.party.display_name,
                        row.get_status_display(),
                        f"{row.total} {row.currency}",
                    ]
                ),
            )
        )
    return hits


def order_history(request, party) -> str:
    """The customer's latest orders with their progress, for the party page (one query)."""
    from django.template.loader import render_to_string

    from samspill.platform.permissions import allowed

    orders = queries.recent_orders(party, limit=10)
    return render_to_string(
        "sales/_party_orders.html",
        {
            "orders": orders,
            "party": party,
            "all_url": reverse("sales:order_list") + "?" + urlencode({"party": party.pk}),
            "can_add": allowed(request.user, "sales.add_quote"),
        },
        request=request,
    )


def _money(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def key_figures(user, party) -> list[KeyFigure]:
    figures = queries.party_figures(party)
    quotes_url = reverse("sales:quote_list") + "?" + urlencode({"party": party.pk, "open": "1"})
    orders_url = reverse("sales:order_list") + "?" + urlencode({"party": party.pk})
    return [
        KeyFigure(
            label=_("Open quotes"),
            value=f"{figures['open_quotes']} · {_money(figures['open_quotes_value'])}",
            url=quotes_url,
        ),
        KeyFigure(
            label=_("Orders this year"),
            value=f"{figures['orders_this_year']} · {_money(figures['orders_this_year_value'])}",
            url=orders_url,
        ),
    ]
