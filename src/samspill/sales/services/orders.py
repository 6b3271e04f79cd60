"""Sales orders: create (directly or from an accepted quote), change while draft, confirm
(event sales.order.confirmed, the contract with inventory), cancel; and the progress that
other domains report through their events: deliveries, invoices, payments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish
from samspill.platform.money import set_totals
from samspill.platform.numbering import next_number
from samspill.sales import events
from samspill.sales.models import Language, Order, OrderLine, Quote, money
from samspill.sales.services.common import (
    WrongState,
    build_lines,
    check,
    raise_if,
    resolve_contact,
    resolve_party,
    save_draft_changes,
    snapshot_lines,
    validate_currency,
)

HEADER_FIELDS = (
    "contact",
    "currency",
    "price_list",
    "language",
    "order_date",
    "invoicing_policy",
    "warehouse_code",
    "notes",
    "reference",
    "opportunity_ref",
)


class CannotCancel(WrongState):
    code = "cannot_cancel"
    title = gettext_lazy("The order cannot be cancelled")


def _lock(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


def _header(order: Order, data: Mapping[str, Any], errors, party) -> None:
    if "contact" in data:
        order.contact = resolve_contact(data["contact"], party, errors)
    if "currency" in data:
        order.currency = validate_currency(data["currency"], errors)
    if "price_list" in data:
        order.price_list = data["price_list"] or None
        if order.price_list is not None and order.price_list.currency != order.currency:
            errors.setdefault("price_list", []).append(
                _("The price list “%(name)s” is in %(currency)s.")
                % {"name": order.price_list.name, "currency": order.price_list.currency}
            )
    if "language" in data:
        order.language = data["language"] or Language.NB
        if order.language not in Language.values:
            errors.setdefault("language", []).append(_("Choose Norwegian or English."))
    if data.get("order_date"):
        order.order_date = data["order_date"]
    if "invoicing_policy" in data:
        order.invoicing_policy = data["invoicing_policy"] or Order.InvoicingPolicy.ORDER
        if order.invoicing_policy not in Order.InvoicingPolicy.values:
            errors.setdefault("invoicing_policy", []).append(
                _("Choose invoicing on order or on delivery.")
            )
    for field in ("warehouse_code", "notes", "reference", "opportunity_ref"):
        if field in data:
            setattr(order, field, (data[field] or "").strip())
    if len(order.warehouse_code) > 20:
        errors.setdefault("warehouse_code", []).append(_("Use at most 20 characters."))


@transaction.atomic
def create_order(
    *,
    actor,
    party,
    lines: Iterable[Mapping[str, Any]],
    contact=None,
    currency: str = "NOK",
    price_list=None,
    language: str | None = None,
    order_date: date | None = None,
    invoicing_policy: str = Order.InvoicingPolicy.ORDER,
    warehouse_code: str = "",
    notes: str = "",
    reference: str = "",
    opportunity_ref: str = "",
) -> Order:
    """A draft sales order entered directly, its lines priced from the catalog."""
    check(actor, "sales.add_order")
    errors: dict[str, list[str]] = {}
    customer = resolve_party(party, errors)
    order = Order(
        party=customer,
        order_date=order_date or timezone.localdate(),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        language=getattr(customer, "language", Language.NB) or Language.NB,
    )
    _header(
        order,
        {
            "contact": contact,
            "currency": currency,
            "price_list": price_list,
            "invoicing_policy": invoicing_policy,
            "warehouse_code": warehouse_code,
            "notes": notes,
            "reference": reference,
            "opportunity_ref": opportunity_ref,
            **({"language": language} if language else {}),
        },
        errors,
        customer,
    )
    rows = build_lines(
        OrderLine,
        lines,
        actor=actor,
        currency=order.currency,
        price_list=order.price_list,
        on=order.order_date,
        language=order.language,
        errors=errors,
    )
    raise_if(errors)
    return _save_new(order, rows, actor)


def _save_new(order: Order, rows: list[OrderLine], actor) -> Order:
    set_totals(order, rows)
    order.number = next_number("sales.order", "SO", order.order_date)
    order.save()
    for line in rows:
        line.order = order
    OrderLine.objects.bulk_create(rows)
    order._new_lines = rows  # type: ignore[attr-defined]
    changes = audit.diff({}, audit.snapshot(order))
    changes["lines"] = [None, snapshot_lines(rows)]
    audit.record("create", order, actor=actor, changes=changes)
    return order


def confirm_new_order(order: Order) -> Order:
    """Confirm the order just made from an accepted quote, inside accept_quote's
    transaction: the row is new (no one else sees it yet) and its lines are in memory."""
    return _confirm(order, order._new_lines, None)  # type: ignore[attr-defined]


def order_from_quote(quote: Quote, *, actor, invoicing_policy: str = "") -> Order:
    """A draft order that copies an accepted quote's customer, terms and lines as they were
    quoted (prices are not looked up again). Called inside accept_quote's transaction."""
    if quote.status != Quote.Status.ACCEPTED:
        raise WrongState(_("Only an accepted quote becomes an order."))
    order = Order(
        party_id=quote.party_id,
        contact_id=quote.contact_id,
        currency=quote.currency,
        price_list_id=quote.price_list_id,
        language=quote.language,
        reference=quote.reference,
        opportunity_ref=quote.opportunity_ref,
        notes=quote.notes,
        quote=quote,
        order_date=timezone.localdate(),
        invoicing_policy=invoicing_policy or Order.InvoicingPolicy.ORDER,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    fields = [
        f.name
        for f in OrderLine._meta.concrete_fields
        if f.name not in ("id", "order", "delivered_quantity")
    ]
    rows = [
        OrderLine(**{name: getattr(line, name) for name in fields if hasattr(line, name)})
        for line in quote.lines.select_related("product")
    ]
    return _save_new(order, rows, actor)


@transaction.atomic
def update_order(
    order: Order, *, actor, lines: Iterable[Mapping[str, Any]] | None = None, **fields
) -> Order:
    """Change a draft order: header fields as keywords; lines, when given, replace the old."""
    check(actor, "sales.change_order")
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationFailed(errors={f: [_("This field cannot be changed.")] for f in unknown})
    order = _lock(order)
    if not order.is_editable:
        raise WrongState(
            _("Only a draft order can be changed; this one is %(status)s.")
            % {"status": order.get_status_display().lower()}
        )
    return save_draft_changes(
        order,
        fields,
        lines,
        actor=actor,
        header=_header,
        line_model=OrderLine,
        parent="order",
        on=lambda document: document.order_date,
    )


@transaction.atomic
def confirm_order(order: Order, *, actor) -> Order:
    """Confirm a draft order: inventory reserves and delivers, accounting invoices (event
    sales.order.confirmed, payload as agreed with inventory)."""
    check(actor, "sales.confirm_order")
    order = _lock(order)
    if order.status != Order.Status.DRAFT:
        raise WrongState(
            _("Order %(number)s is already %(status)s.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    lines = list(order.lines.all())
    if not lines:
        raise ValidationFailed(errors={"lines": [_("Add at least one line.")]})
    return _confirm(order, lines, actor)


def _confirm(order: Order, lines: list[OrderLine], actor) -> Order:
    """Confirm a locked draft order whose lines are in memory (inside the caller's
    transaction)."""
    order.status = Order.Status.CONFIRMED
    order.confirmed_at = timezone.now()
    order.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit.record("update", order, actor=actor, changes={"status": ["draft", "confirmed"]})
    publish(
        events.OrderConfirmed(
            order_id=order.pk,
            number=order.number,
            party_id=order.party_id,
            currency=order.currency,
            invoicing_policy=order.invoicing_policy,
            warehouse_code=order.warehouse_code,
            lines=[
                {
                    "line_id": line.pk,
                    "product_id": line.product_id,
                    "sku": line.sku,
                    "quantity": str(line.quantity),
                    "unit": line.unit,
                    "product_type": line.product_type,
                }
                for line in lines
            ],
        ),
        actor=actor,
    )
    return order


@transaction.atomic
def cancel_order(order: Order, *, actor) -> Order:
    """Cancel a draft or confirmed order that has no deliveries and no invoice (event
    sales.order.cancelled). Once goods are shipped, return them; once invoiced, issue a
    credit note — cancelling is refused with that advice."""
    check(actor, "sales.cancel_order")
    order = _lock(order)
    if order.status == Order.Status.CANCELLED:
        raise CannotCancel(_("Order %(number)s is already cancelled.") % {"number": order.number})
    shipped = order.lines.filter(delivered_quantity__gt=0).exists()
    if shipped:
        raise CannotCancel(
            _(
                "Goods of order %(number)s have been shipped, so it cannot be cancelled. "
                "Register a return of the goods instead."
            )
            % {"number": order.number}
        )
    if order.invoiced_amount > 0:
        raise CannotCancel(
            _(
                "Order %(number)s has been invoiced, so it cannot be cancelled. Issue a "
                "credit note for the invoice instead."
            )
            % {"number": order.number}
        )
    before = order.status
    order.status = Order.Status.CANCELLED
    order.cancelled_at = timezone.now()
    order.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit.record("update", order, actor=actor, changes={"status": [before, "cancelled"]})
    publish(
        events.OrderCancelled(order_id=order.pk, number=order.number, party_id=order.party_id),
        actor=actor,
    )
    return order


# --- Progress reported by other domains ------------------------------------------------------


def _order_for_event(order_id) -> Order | None:
    if not str(order_id or "").isdigit():
        return None
    return Order.objects.select_for_update().filter(pk=int(order_id)).first()


@transaction.atomic
def record_delivery(
    order_id, lines: Iterable[Mapping[str, Any]], *, delivery_id=None
) -> Order | None:
    """Add shipped quantities to the order's lines (from inventory.delivery.done) and set
    the delivery status: fully delivered when every goods line has its quantity."""
    order = _order_for_event(order_id)
    if order is None:
        return None
    shipped: dict[int, Decimal] = {}
    for row in lines:
        line_id = row.get("order_line_id")
        if line_id is None:
            continue
        shipped[int(line_id)] = shipped.get(int(line_id), Decimal("0")) + Decimal(
            str(row.get("quantity", "0"))
        )
    order_lines = list(order.lines.all())
    changed = [line for line in order_lines if line.pk in shipped]
    for line in changed:
        line.delivered_quantity += shipped[line.pk]
    OrderLine.objects.bulk_update(changed, ["delivered_quantity"])
    goods = [line for line in order_lines if line.product_type != "service"] or order_lines
    if all(line.delivered_quantity >= line.quantity for line in goods):
        status = Order.DeliveryStatus.FULL
    elif any(line.delivered_quantity > 0 for line in order_lines):
        status = Order.DeliveryStatus.PARTIAL
    else:
        status = Order.DeliveryStatus.NOTHING
    if status != order.delivery_status:
        audit.record(
            "update",
            order,
            actor=None,
            changes={"delivery_status": [order.delivery_status, status]},
        )
        order.delivery_status = status
        order.save(update_fields=["delivery_status", "updated_at"])
    if changed:
        publish(
            events.OrderDelivered(
                order_id=order.pk,
                number=order.number,
                party_id=order.party_id,
                delivery_status=order.delivery_status,
                delivery_id=delivery_id,
            )
        )
    return order


def _progress(done: Decimal, total: Decimal) -> str:
    if done <= 0:
        return "nothing"
    return "full" if done >= total else "partial"


@transaction.atomic
def record_invoice(order_id, amount) -> Order | None:
    """An invoice for the order was posted (accounting.invoice.posted)."""
    order = _order_for_event(order_id)
    if order is None:
        return None
    value = money(Decimal(str(amount)))
    before = audit.snapshot(order)
    order.invoiced_amount += value
    order.invoice_status = _progress(order.invoiced_amount, order.total)
    order.save(update_fields=["invoiced_amount", "invoice_status", "updated_at"])
    audit.record("update", order, actor=None, changes=audit.diff(before, audit.snapshot(order)))
    publish(
        events.OrderInvoiced(
            order_id=order.pk,
            number=order.number,
            party_id=order.party_id,
            amount=str(value),
            invoice_status=order.invoice_status,
        )
    )
    return order


@transaction.atomic
def record_payment(order_id, amount) -> Order | None:
    """A payment for the order was received (accounting.payment.received)."""
    order = _order_for_event(order_id)
    if order is None:
        return None
    value = money(Decimal(str(amount)))
    before = audit.snapshot(order)
    order.paid_amount += value
    order.payment_status = _progress(order.paid_amount, order.total)
    order.save(update_fields=["paid_amount", "payment_status", "updated_at"])
    audit.record("update", order, actor=None, changes=audit.diff(before, audit.snapshot(order)))
    publish(
        events.OrderPaid(
            order_id=order.pk,
            number=order.number,
            party_id=order.party_id,
            amount=str(value),
            payment_status=order.payment_status,
        )
    )
    return order
