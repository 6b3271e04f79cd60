"""Purchase orders: create and change (draft or RFQ sent), send to the supplier (PDF by
e-mail in the supplier's language), confirm (inventory expects the goods), record what
arrived (from inventory.receipt.done), close and cancel."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.inventory import queries as inventory_queries
from samspill.inventory import services as inventory
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish
from samspill.platform.money import set_totals
from samspill.purchasing import events
from samspill.purchasing.models import PurchaseOrder, PurchaseOrderLine, SupplierInfo
from samspill.purchasing.services.common import (
    ADD,
    CANCEL,
    CHANGE,
    CONFIRM,
    SEND,
    WrongState,
    build_lines,
    check,
    next_number,
    raise_if,
    resolve_supplier,
    snapshot_lines,
    supplier_email,
)

HEADER_FIELDS = ("language", "order_date", "expected_date", "warehouse_code", "reference", "notes")


def _event_fields(order: PurchaseOrder) -> dict[str, Any]:
    return {
        "order_id": order.pk,
        "number": order.number,
        "party_id": order.party_id,
        "total": str(order.total),
        "currency": order.currency,
    }


def _lock(order: PurchaseOrder | int) -> PurchaseOrder:
    pk = order.pk if isinstance(order, PurchaseOrder) else order
    return PurchaseOrder.objects.select_for_update(of=("self",)).select_related("party").get(pk=pk)


def _prices(supplier, lines) -> dict[int, Decimal]:
    """The supplier's own prices (supplier info) of the products on the lines: the default
    unit price before the product's cost price."""
    if supplier is None:
        return {}
    ids = set()
    for line in lines:
        product = line.get("product_id", line.get("product")) if hasattr(line, "get") else None
        pk = str(getattr(product, "pk", product))
        if pk.isdigit():
            ids.add(int(pk))
    return dict(
        SupplierInfo.objects.filter(party=supplier, product_id__in=ids).values_list(
            "product_id", "price"
        )
    )


def _header(order: PurchaseOrder, data: Mapping[str, Any], errors) -> None:
    if "language" in data:
        order.language = data["language"] or PurchaseOrder.Language.NB
        if order.language not in PurchaseOrder.Language.values:
            errors.setdefault("language", []).append(_("Choose Norwegian or English."))
    if data.get("order_date"):
        order.order_date = data["order_date"]
    if "expected_date" in data:
        order.expected_date = data["expected_date"] or None
    if "warehouse_code" in data:
        code = (data["warehouse_code"] or "").strip().upper()
        if code and not inventory_queries.warehouses().filter(code__iexact=code).exists():
            errors.setdefault("warehouse_code", []).append(
                _("There is no warehouse “%(code)s”.") % {"code": code}
            )
        order.warehouse_code = code
    for field in ("reference", "notes"):
        if field in data:
            setattr(order, field, (data[field] or "").strip())
    if order.expected_date and order.order_date and order.expected_date < order.order_date:
        errors.setdefault("expected_date", []).append(
            _("The goods cannot be expected before the order date.")
        )


@transaction.atomic
def create_order(
    *,
    actor,
    party,
    lines: Iterable[Mapping[str, Any]],
    language: str | None = None,
    order_date: date | None = None,
    expected_date: date | None = None,
    warehouse_code: str = "",
    reference: str = "",
    notes: str = "",
) -> PurchaseOrder:
    """A draft purchase order (a request for quotation until confirmed) with its lines
    priced at the product's cost price unless a price is given. Publishes
    purchasing.order.created."""
    check(actor, ADD)
    errors: dict[str, list[str]] = {}
    supplier = resolve_supplier(party, errors)
    order_date = order_date or timezone.localdate()
    order = PurchaseOrder(
        party=supplier,
        order_date=order_date,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        language=(getattr(supplier, "language", "") or "nb")[:2],
    )
    if order.language not in PurchaseOrder.Language.values:
        order.language = PurchaseOrder.Language.EN
    _header(
        order,
        {
            "expected_date": expected_date,
            "warehouse_code": warehouse_code,
            "reference": reference,
            "notes": notes,
            **({"language": language} if language else {}),
        },
        errors,
    )
    lines = list(lines)
    rows = build_lines(
        lines, language=order.language, errors=errors, default_prices=_prices(supplier, lines)
    )
    raise_if(errors)
    set_totals(order, rows)
    order.number = next_number(order_date)
    order.save()
    for line in rows:
        line.order = order
    PurchaseOrderLine.objects.bulk_create(rows)
    changes = audit.diff({}, audit.snapshot(order))
    changes["lines"] = [None, snapshot_lines(rows)]
    audit.record("create", order, actor=actor, changes=changes)
    publish(events.OrderCreated(**_event_fields(order)), actor=actor)
    return order


@transaction.atomic
def update_order(
    order: PurchaseOrder, *, actor, lines: Iterable[Mapping[str, Any]] | None = None, **fields
) -> PurchaseOrder:
    """Change a draft or sent purchase order: header fields as keywords, and the lines when
    given (they replace the old ones). Nothing is written when anything is invalid."""
    check(actor, CHANGE)
    unknown = set(fields) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationFailed(errors={f: [_("This field cannot be changed.")] for f in unknown})
    order = _lock(order)
    if not order.is_editable:
        raise WrongState(
            _(
                "Only a draft or a sent request for quotation can be changed; "
                "%(number)s is %(status)s."
            )
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    before = audit.snapshot(order)
    old_lines = list(order.lines.all())
    errors: dict[str, list[str]] = {}
    _header(order, fields, errors)
    rows = old_lines
    if lines is not None:
        lines = list(lines)
        rows = build_lines(
            lines,
            language=order.language,
            errors=errors,
            default_prices=_prices(order.party, lines),
        )
    raise_if(errors)
    set_totals(order, rows)
    order.save()
    changes = audit.diff(before, audit.snapshot(order))
    if lines is not None:
        order.lines.all().delete()
        for line in rows:
            line.order = order
        PurchaseOrderLine.objects.bulk_create(rows)
        if snapshot_lines(old_lines) != snapshot_lines(rows):
            changes["lines"] = [snapshot_lines(old_lines), snapshot_lines(rows)]
    if changes:
        audit.record("update", order, actor=actor, changes=changes)
    return order


# --- Sending -----------------------------------------------------------------------------


def order_html(order: PurchaseOrder) -> str:
    """The printable purchase order (HTML) in the supplier's language."""
    from samspill.purchasing import queries

    with translation.override(order.language):
        return render_to_string("purchasing/pdf/order.html", queries.order_document(order))


def render_pdf(order: PurchaseOrder) -> bytes:
    """The purchase order as a PDF (WeasyPrint) in the order's language."""
    from weasyprint import HTML

    return HTML(string=order_html(order)).write_pdf()


def _check_sendable(order: PurchaseOrder) -> None:
    if order.status in (PurchaseOrder.Status.CLOSED, PurchaseOrder.Status.CANCELLED):
        raise WrongState(
            _("A purchase order that is %(status)s cannot be sent.")
            % {"status": order.get_status_display().lower()}
        )


def _mark_sent(order: PurchaseOrder, actor, address: str) -> None:
    before = audit.snapshot(order)
    if order.status == PurchaseOrder.Status.DRAFT:
        order.status = PurchaseOrder.Status.SENT
    order.sent_at = timezone.now()
    order.sent_to = address
    order.save(update_fields=["status", "sent_at", "sent_to", "updated_at"])
    audit.record("update", order, actor=actor, changes=audit.diff(before, audit.snapshot(order)))
    publish(events.OrderSent(**_event_fields(order)), actor=actor)


@transaction.atomic
def send_order(
    order: PurchaseOrder, *, actor, to: str = "", message: str = "", connection=None
) -> PurchaseOrder:
    """E-mail the purchase order as a PDF to the supplier, in the supplier's language. A
    draft becomes "RFQ sent"; a confirmed order stays confirmed (the supplier gets the
    order). Nothing is marked sent when the mail fails."""
    check(actor, SEND)
    order = _lock(order)
    _check_sendable(order)
    address = (to or "").strip() or supplier_email(order.party)
    if not address:
        text = _("The supplier has no email address. Enter the address to send to.")
        raise ValidationFailed(text, errors={"to": [text]})
    from django.core.validators import validate_email

    try:
        validate_email(address)
    except Exception as exc:
        raise ValidationFailed(errors={"to": [_("Enter a valid email address.")]}) from exc
    pdf = render_pdf(order)
    with translation.override(order.language):
        kind = (
            _("Request for quotation %(number)s")
            if order.is_editable
            else _("Purchase order %(number)s")
        )
        subject = kind % {"number": order.number}
        body = render_to_string(
            "purchasing/email/order.txt", {"order": order, "message": message, "subject": subject}
        )
    mail = EmailMessage(subject, body, to=[address], connection=connection)
    mail.attach(f"{order.number}.pdf", pdf, "application/pdf")
    _mark_sent(order, actor, address)
    mail.send(fail_silently=False)  # an error rolls the transaction back
    return order


@transaction.atomic
def mark_sent(order: PurchaseOrder, *, actor) -> PurchaseOrder:
    """Record that the supplier got the request another way (phone, portal)."""
    check(actor, SEND)
    order = _lock(order)
    _check_sendable(order)
    _mark_sent(order, actor, "")
    return order


# --- Confirm, receive, close, cancel -----------------------------------------------------


@transaction.atomic
def confirm_order(order: PurchaseOrder, *, actor) -> PurchaseOrder:
    """The order is placed with the supplier: inventory expects its goods (a receipt
    WH/IN/… with a line per goods line, in the same transaction). Publishes
    purchasing.order.confirmed."""
    check(actor, CONFIRM)
    order = _lock(order)
    if not order.is_editable:
        raise WrongState(
            _(
                "Only a draft or a sent request for quotation can be confirmed; "
                "%(number)s is %(status)s."
            )
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    lines = list(order.lines.all())
    if not lines:
        raise ValidationFailed(
            _("Add at least one line."), errors={"lines": [_("Add at least one line.")]}
        )
    before = audit.snapshot(order)
    receipt = inventory.create_receipt(
        actor=actor,
        party_id=order.party_id,
        order_id=order.pk,
        order_number=order.number,
        warehouse_code=order.warehouse_code,
        expected_date=order.expected_date,
        lines=[
            {
                "product_id": line.product_id,
                "quantity": line.quantity,
                "unit": line.unit,
                "order_line_id": line.pk,
                "unit_cost": line.unit_cost,
            }
            for line in lines
            if line.product_type != "service"
        ],
    )
    order.status = PurchaseOrder.Status.CONFIRMED
    order.confirmed_at = timezone.now()
    order.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit.record("update", order, actor=actor, changes=audit.diff(before, audit.snapshot(order)))
    publish(
        events.OrderConfirmed(
            **_event_fields(order),
            receipt_id=receipt.pk if receipt else None,
            lines=[
                {
                    "line_id": line.pk,
                    "product_id": line.product_id,
                    "quantity": str(line.quantity),
                    "unit": line.unit,
                    "unit_cost": str(line.unit_cost),
                }
                for line in lines
            ],
        ),
        actor=actor,
    )
    return order


def _status_from_lines(lines: list[PurchaseOrderLine]) -> str:
    goods = [line for line in lines if line.product_type != "service"]
    if goods and all(line.received_quantity >= line.quantity for line in goods):
        return PurchaseOrder.Status.RECEIVED
    if any(line.received_quantity > 0 for line in goods):
        return PurchaseOrder.Status.PARTIAL
    return PurchaseOrder.Status.CONFIRMED


@transaction.atomic
def record_receipt(payload: Mapping[str, Any], *, actor=None) -> PurchaseOrder | None:
    """Goods arrived (payload of inventory.receipt.done v1): add the quantities to the
    order lines' received quantities and set the status (partly received, received).
    Run once per event by the platform (the handler's note and this change commit
    together). Publishes purchasing.order.received."""
    order_id = payload.get("order_id")
    if not order_id or not PurchaseOrder.objects.filter(pk=order_id).exists():
        return None
    order = _lock(order_id)
    lines = {line.pk: line for line in order.lines.all()}
    arrived: list[dict[str, Any]] = []
    for row in payload.get("lines", []):
        line = lines.get(row.get("order_line_id"))
        if line is None:
            continue
        quantity = Decimal(str(row["quantity"]))
        line.received_quantity += quantity
        arrived.append({"line_id": line.pk, "quantity": str(quantity)})
    if not arrived:
        return order
    PurchaseOrderLine.objects.bulk_update(list(lines.values()), ["received_quantity"])
    before = audit.snapshot(order)
    if order.status in PurchaseOrder.OPEN:
        order.status = _status_from_lines(list(lines.values()))
        order.save(update_fields=["status", "updated_at"])
    changes = audit.diff(before, audit.snapshot(order))
    changes["received"] = [None, [f"{lines[a['line_id']].sku} × {a['quantity']}" for a in arrived]]
    audit.record("update", order, actor=actor, changes=changes)
    publish(
        events.OrderReceived(**_event_fields(order), status=order.status, lines=arrived),
        actor=actor,
    )
    return order


@transaction.atomic
def record_billing(payload: Mapping[str, Any], *, actor=None) -> int:
    """A supplier bill was approved (payload of accounting.bill.approved v1): add the billed
    quantities to the order lines (a credit note's are negative). Run once per event by the
    platform. Returns how many lines changed."""
    wanted: dict[int, Decimal] = {}
    for row in payload.get("lines") or []:
        line_id = row.get("po_line_id")
        if line_id:
            wanted[int(line_id)] = wanted.get(int(line_id), Decimal(0)) + Decimal(
                str(row["quantity"])
            )
    if not wanted:
        return 0
    lines = list(PurchaseOrderLine.objects.select_for_update().filter(pk__in=list(wanted)))
    for line in lines:
        line.billed_quantity += wanted[line.pk]
    PurchaseOrderLine.objects.bulk_update(lines, ["billed_quantity"])
    orders = {line.order_id for line in lines}
    for order in PurchaseOrder.objects.filter(pk__in=orders):
        audit.record(
            "update",
            order,
            actor=actor,
            changes={
                "billed": [
                    None,
                    [
                        f"{line.sku} × {wanted[line.pk]}"
                        for line in lines
                        if line.order_id == order.pk
                    ],
                ],
                "bill": [None, payload.get("number")],
            },
        )
    return len(lines)


@transaction.atomic
def close_order(order: PurchaseOrder, *, actor) -> PurchaseOrder:
    """Nothing more will arrive (the rest is not coming, or everything is here): the order
    is closed and its expected receipt stops waiting. Publishes purchasing.order.closed."""
    check(actor, CANCEL)
    order = _lock(order)
    if order.status not in (*PurchaseOrder.OPEN, PurchaseOrder.Status.RECEIVED):
        raise WrongState(
            _("Only a confirmed purchase order can be closed; %(number)s is %(status)s.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    inventory.close_receipts_for_order(order.pk, actor=actor)
    before = audit.snapshot(order)
    order.status = PurchaseOrder.Status.CLOSED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record("update", order, actor=actor, changes=audit.diff(before, audit.snapshot(order)))
    publish(events.OrderClosed(**_event_fields(order)), actor=actor)
    return order


@transaction.atomic
def cancel_order(order: PurchaseOrder, *, actor) -> PurchaseOrder:
    """Cancel an order of which nothing has arrived (its receipt is cancelled too). Once
    goods have arrived, close it instead. Publishes purchasing.order.cancelled."""
    check(actor, CANCEL)
    order = _lock(order)
    if order.status not in (*PurchaseOrder.EDITABLE, PurchaseOrder.Status.CONFIRMED):
        raise WrongState(
            _("%(number)s is %(status)s and cannot be cancelled; close it instead.")
            % {"number": order.number, "status": order.get_status_display().lower()}
        )
    if order.lines.filter(received_quantity__gt=0).exists():
        raise WrongState(
            _("Goods of %(number)s have arrived; close it instead of cancelling it.")
            % {"number": order.number}
        )
    inventory.close_receipts_for_order(order.pk, actor=actor, cancelled=True)
    before = audit.snapshot(order)
    order.status = PurchaseOrder.Status.CANCELLED
    order.closed_at = timezone.now()
    order.save(update_fields=["status", "closed_at", "updated_at"])
    audit.record("update", order, actor=actor, changes=audit.diff(before, audit.snapshot(order)))
    publish(events.OrderCancelled(**_event_fields(order)), actor=actor)
    return order


def merge_parties(survivor, duplicate, actor) -> None:
    """Parties merge hook: the duplicate's purchase orders, supplier info and reorder rules
    belong to the surviving party (where both sold a product, the survivor's info stays)."""
    from samspill.purchasing.models import ReorderRule

    PurchaseOrder.objects.filter(party=duplicate).update(party=survivor)
    kept = SupplierInfo.objects.filter(party=survivor).values("product_id")
    SupplierInfo.objects.filter(party=duplicate, product_id__in=kept).delete()
    SupplierInfo.objects.filter(party=duplicate).update(party=survivor)
    ReorderRule.objects.filter(party=duplicate).update(party=survivor)
