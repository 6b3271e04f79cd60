"""Invoicing sales orders through accounting: what of an order is invoiceable, and drafting
and posting its invoice with accounting's services (sales sits above accounting and may
call it). Lines of the invoice name their order line, so what is invoiced is known per line
(credit notes subtract).

Policy "on order": everything ordered, when the order is confirmed. Policy "on delivery":
what has been delivered and not invoiced yet, when a delivery is done; service lines (never
delivered) go with the first delivery invoice. When posting is refused (a closed period, a
missing exchange rate ...) the invoice stays a draft and the order says why."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import services as accounting
from samspill.accounting.queries import invoices as invoice_queries
from samspill.platform import audit
from samspill.platform.errors import DomainError
from samspill.sales.models import Order, OrderLine
from samspill.sales.services.common import WrongState

ZERO = Decimal("0")


def invoiceable(
    order: Order, lines: list[OrderLine] | None = None
) -> list[tuple[OrderLine, Decimal]]:
    """(order line, quantity still to invoice) for a confirmed order, per its policy. An
    order whose invoiced amount already covers it (status "fully invoiced", e.g. invoiced
    before Samspill's accounting was in use) is not invoiced again."""
    if order.status != Order.Status.CONFIRMED or order.invoice_status == Order.InvoiceStatus.FULL:
        return []
    lines = lines if lines is not None else list(order.lines.all())
    done = invoice_queries.invoiced_quantities([line.pk for line in lines])
    anything_delivered = any(line.delivered_quantity > 0 for line in lines)
    result = []
    for line in lines:
        if order.invoicing_policy == Order.InvoicingPolicy.DELIVERY:
            if line.product_type == "service":
                basis = line.quantity if anything_delivered else ZERO
            else:
                basis = min(line.delivered_quantity, line.quantity)
        else:
            basis = line.quantity
        rest = basis - done.get(line.pk, ZERO)
        if rest > 0:
            result.append((line, rest))
    return result


def order_for_invoicing(order_id) -> Order | None:
    if not str(order_id or "").isdigit():
        return None
    return Order.objects.filter(pk=int(order_id)).first()


def _invoice_lines(rows: list[tuple[OrderLine, Decimal]]) -> list[dict]:
    return [
        {
            "product": line.product_id,
            "order_line_id": line.pk,
            "description": line.description,
            "quantity": quantity,
            "unit": line.unit,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
        }
        for line, quantity in rows
    ]


def _set_note(order: Order, note: str) -> None:
    if order.invoice_note != note:
        audit.record(
            "update", order, actor=None, changes={"invoice_note": [order.invoice_note, note]}
        )
        order.invoice_note = note
        Order.objects.filter(pk=order.pk).update(invoice_note=note)


@transaction.atomic
def invoice_order(order: Order, *, actor=None, post: bool = True):
    """Draft the invoice of what is invoiceable now and post it. Returns the invoice, or
    None when nothing is invoiceable. A refused posting leaves the draft and a note on the
    order; a draft that cannot even be written leaves only the note."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.status != Order.Status.CONFIRMED:
        raise WrongState(
            _("Only a confirmed order can be invoiced; order %(number)s is %(status)s.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    rows = invoiceable(order)
    if not rows:
        return None
    try:
        with transaction.atomic():
            invoice = accounting.create_invoice(
                actor=actor,
                party=order.party_id,
                lines=_invoice_lines(rows),
                order_id=order.pk,
                order_number=order.number,
                currency=order.currency,
                language=order.language,
                reference=order.reference,
                invoice_date=timezone.localdate(),
            )
    except DomainError as exc:
        _set_note(
            order,
            (_("The invoice could not be drafted: %(error)s") % {"error": exc.message})[:300],
        )
        return None
    if not post:
        _set_note(order, "")
        return invoice
    try:
        with transaction.atomic():
            invoice = accounting.post_invoice(invoice, actor=actor)
    except DomainError as exc:
        note = _("Invoice draft left unposted: %(error)s") % {"error": exc.message}
        from samspill.accounting.models import Invoice

        Invoice.objects.filter(pk=invoice.pk).update(posting_error=str(exc.message)[:300])
        _set_note(order, note[:300])
        return invoice
    _set_note(order, "")
    return invoice
