"""What purchasing plugs into the shell: global search by purchase order number (or the
supplier's reference), and the supplier's key figures and purchase orders on the party
360-degree view."""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from samspill.platform.permissions import allowed
from samspill.platform.registry import KeyFigure, SearchHit
from samspill.purchasing import queries


def _money(value) -> str:
    return number_format(value, decimal_pos=2, use_l10n=True, force_grouping=True)


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            kind=_("Purchase order"),
            title=order.number,
            url=order.get_absolute_url(),
            subtitle=" · ".join(
                [
                    order.party.display_name,
                    order.get_status_display(),
                    f"{order.total} {order.currency}",
                ]
            ),
        )
        for order in queries.search(user, q, limit)
    ]


def key_figures(user, party) -> list[KeyFigure]:
    if not party.is_supplier:
        return []
    figures = queries.party_figures(party)
    url = reverse("purchasing:order_list") + "?" + urlencode({"party": party.pk})
    return [
        KeyFigure(
            label=_("Open purchase orders"),
            value=f"{figures['open_orders']} · {_money(figures['open_orders_value'])}",
            url=url + "&open=1",
        ),
        KeyFigure(
            label=_("Purchases this year"),
            value=f"{figures['orders_this_year']} · {_money(figures['orders_this_year_value'])}",
            url=url,
        ),
    ]


def order_history(request, party) -> str:
    """The supplier's latest purchase orders, for the party page (one query)."""
    return render_to_string(
        "purchasing/_party_orders.html",
        {
            "orders": queries.recent_orders(party, limit=10),
            "party": party,
            "all_url": reverse("purchasing:order_list") + "?" + urlencode({"party": party.pk}),
            "history_url": reverse("purchasing:line_list") + "?" + urlencode({"party": party.pk}),
            "can_add": allowed(request.user, "purchasing.add_purchaseorder"),
        },
        request=request,
    )
