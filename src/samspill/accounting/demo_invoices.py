"""Demo customer invoices of Nordlys Handel AS: posted invoices at several VAT rates (one in
euro), one overdue and unpaid, one paid in part, one paid in full, one credited by a credit
note, and a draft. Through the services, as in real use. Idempotent: adds nothing when any
invoice exists."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from samspill.accounting import services
from samspill.accounting.models import Invoice


def load(*, actor) -> dict[str, int]:
    from samspill.catalog import queries as catalog
    from samspill.parties import queries as parties

    if Invoice.objects.exists():
        return {"invoices": 0, "payments": 0}
    customers = list(
        parties.visible_parties(None)
        .filter(is_customer=True, kind="organization")
        .exclude(orgnr="")
        .order_by("id")[:6]
    )
    if len(customers) < 3:
        return {"invoices": 0, "payments": 0}
    products = list(catalog.product_list(None).filter(is_active=True).order_by("sku")[:4])
    today = timezone.localdate()

    def lines(seed: int) -> list[dict]:
        rows: list[dict] = [
            {"description": "Rådgivning, timer", "quantity": str(2 + seed), "unit": "t",
             "unit_price": "1150", "vat_code": "3"},
            {"description": "Kaffe og kaker til kurs", "quantity": "12", "unit_price": "45.50",
             "vat_code": "31", "discount_percent": "10"},
        ]  # fmt: skip
        if products:
            rows.append({"product": products[seed % len(products)].pk, "quantity": "3"})
        return rows

    def invoice(customer, days_ago: int, seed: int, post: bool = True, **header):
        return services.create_invoice(
            actor=actor,
            party=customer,
            lines=lines(seed),
            invoice_date=today - timedelta(days=days_ago),
            reference=f"Bestilling {4711 + seed}",
            post=post,
            **header,
        )

    overdue = invoice(customers[0], 45, 0)
    partly = invoice(customers[1], 8, 1)
    paid = invoice(customers[2], 30, 2)
    credited = invoice(customers[0], 12, 3)
    invoice(
        customers[-1],
        5,
        4,
        currency="EUR",
        exchange_rate="11.70",
        language="en",
    )
    invoice(customers[1], 0, 5, post=False)
    services.create_credit_note(
        credited, actor=actor, post=True, invoice_date=today - timedelta(days=10)
    )
    services.register_payment(
        actor=actor,
        party=partly.party_id,
        amount=(partly.total / 2).quantize(Decimal("0.01")),
        date=today - timedelta(days=3),
        allocations=[
            {"invoice": partly.pk, "amount": (partly.total / 2).quantize(Decimal("0.01"))}
        ],
        reference="Delbetaling",
    )
    services.register_payment(
        actor=actor,
        party=paid.party_id,
        amount=paid.total,
        date=today - timedelta(days=15),
        reference=f"KID {paid.kid}",
    )
    del overdue  # left unpaid past its due date
    return {"invoices": Invoice.objects.count(), "payments": 2}
