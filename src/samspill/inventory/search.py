"""What inventory plugs into the shell: global search by delivery number (or the sales
order number), by production order number and by lot or serial number; the open
deliveries on the party 360 view."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.inventory import queries
from samspill.platform.permissions import allowed
from samspill.platform.registry import KeyFigure, SearchHit


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    hits = [
        SearchHit(
            kind=_("Delivery"),
            title=delivery.number,
            url=delivery.get_absolute_url(),
            subtitle=" · ".join(
                str(x)
                for x in (delivery.party, delivery.order_number, delivery.get_state_display())
                if x
            ),
        )
        for delivery in queries.search_deliveries(user, q, limit)
    ]
    if allowed(user, "inventory.view_receipt"):
        hits += [
            SearchHit(
                kind=_("Receipt"),
                title=receipt.number,
                url=receipt.get_absolute_url(),
                subtitle=" · ".join(
                    str(x)
                    for x in (receipt.party, receipt.order_number, receipt.get_state_display())
                    if x
                ),
            )
            for receipt in queries.search_receipts(user, q, limit)
        ]
    if allowed(user, "inventory.view_productionorder") and q.strip():
        hits += [
            SearchHit(
                kind=_("Production order"),
                title=order.number,
                url=order.get_absolute_url(),
                subtitle=f"{order.product.sku} · {order.get_state_display()}",
            )
            for order in queries.production_orders(user).filter(number__icontains=q.strip())[:limit]
        ]
    if allowed(user, "inventory.view_lot"):
        hits += [
            SearchHit(
                kind=_("Lot or serial number"),
                title=lot.name,
                url=reverse("inventory:product_stock", args=[lot.product_id]),
                subtitle=f"{lot.product.sku} · {lot.product.name}",
            )
            for lot in queries.search_lots(user, q, limit)
        ]
    return hits[:limit]


def key_figures(user, party) -> list[KeyFigure]:
    figures = []
    if party.is_supplier and allowed(user, "inventory.view_receipt"):
        figures.append(
            KeyFigure(
                label=_("Expected receipts"),
                value=queries.expected_receipts_count(party.pk),
                url=reverse("inventory:receipt_list") + f"?party={party.pk}&state=expected",
            )
        )
    return [
        KeyFigure(
            label=_("Open deliveries"),
            value=queries.open_deliveries_count(party.pk),
            url=reverse("inventory:delivery_list") + f"?party={party.pk}&state=open",
        ),
        *figures,
    ]
