"""Demo quotes and sales orders for the demo customers, in every state a salesperson meets:
drafts, quotes sent and waiting, accepted (with their confirmed orders), declined and
expired; orders entered directly, some delivered, invoiced and paid in part or in full.

Everything goes through the services (numbers, totals, audit and events as in real use);
quotes are marked as given to the customer rather than e-mailed. Running it again adds
nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from samspill.catalog import queries as catalog
from samspill.crm import queries as crm
from samspill.parties import queries as parties
from samspill.sales import services
from samspill.sales.models import Order, Quote

TERMS = "Betaling 14 dager netto. Fritt levert ved ordre over 5 000 kr eks. mva."


def load(*, actor) -> dict[str, int]:
    if Quote.objects.exists() or Order.objects.exists():
        return {"quotes": 0, "orders": 0}
    customers = list(
        parties.visible_parties(None)
        .filter(is_customer=True, kind="organization")
        .order_by("id")[:16]
    )
    products = list(catalog.product_list(None).filter(is_active=True).order_by("sku")[:40])
    if not customers or len(products) < 3:
        return {"quotes": 0, "orders": 0}
    today = timezone.localdate()

    def lines(seed: int) -> list[dict]:
        picked = [products[(seed * 7 + i * 5) % len(products)] for i in range(2 + seed % 3)]
        return [
            {"product_id": p.pk, "quantity": str(1 + (seed + i) % 6)}
            for i, p in enumerate(dict.fromkeys(picked))
        ]

    # A quote to a customer with an opportunity in the pipeline refers to it, so the sales
    # dashboard's funnel (opportunity -> order) has something to count.
    opportunity_of = {}
    for opportunity in crm.opportunities(None).filter(party__in=customers).order_by("-id"):
        opportunity_of[opportunity.party_id] = str(opportunity.pk)
    quotes = orders = 0
    plan = ["draft", "sent", "accepted", "declined", "expired", "sent", "accepted", "draft"]
    for index, customer in enumerate(customers):
        state = plan[index % len(plan)]
        quote = services.create_quote(
            actor=actor,
            party=customer,
            lines=lines(index),
            terms=TERMS,
            issue_date=today - timedelta(days=index % 9),
            valid_until=today if state == "expired" else today + timedelta(days=30),
            opportunity_ref=opportunity_of.get(customer.pk, ""),
        )
        quotes += 1
        if state == "draft":
            continue
        services.mark_quote_sent(quote, actor=actor)
        if state == "accepted":
            order = services.accept_quote(quote, actor=actor)
            orders += 1
            if index % 3 == 0:
                services.record_invoice(order.pk, order.total)
        elif state == "declined":
            services.decline_quote(quote, actor=actor, reason="Valgte en annen leverandør.")
    services.expire_quotes(today=today + timedelta(days=1))

    for index, customer in enumerate(customers[:8]):
        order = services.create_order(
            actor=actor,
            party=customer,
            lines=lines(index + 3),
            invoicing_policy="delivery" if index % 2 else "order",
            reference=f"PO-{4711 + index}",
        )
        orders += 1
        if index % 4 == 3:
            continue  # left as a draft
        services.confirm_order(order, actor=actor)
        order_lines = list(order.lines.order_by("position"))
        if index % 4 in (1, 2):
            shipped = order_lines if index % 4 == 2 else order_lines[:1]
            services.record_delivery(
                order.pk,
                [{"order_line_id": line.pk, "quantity": str(line.quantity)} for line in shipped],
            )
        if index % 4 == 2:
            order.refresh_from_db()
            services.record_invoice(order.pk, order.total)
            services.record_payment(order.pk, (order.total / 2).quantize(Decimal("0.01")))
    return {"quotes": quotes, "orders": orders}
