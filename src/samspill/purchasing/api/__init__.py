"""/api/v1/purchasing: thin adapters over `services` and `queries`. Every write is one
service call (one transaction), so a failed request writes nothing; errors are
problem+json."""

from typing import Any

from ninja import Query, Router
from ninja.responses import Status

from samspill.platform.errors import ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require
from samspill.purchasing import queries, services
from samspill.purchasing.api.schemas import (
    PurchaseHistoryLineOut,
    PurchaseLineFilters,
    PurchaseOrderDetailOut,
    PurchaseOrderFilters,
    PurchaseOrderIn,
    PurchaseOrderOut,
    PurchaseOrderPatch,
    PurchaseOrderSendIn,
    ReorderRuleIn,
    ReorderRuleOut,
    ReplenishIn,
    ReplenishmentOut,
    ReplenishOut,
    SupplierInfoIn,
    SupplierInfoOut,
)
from samspill.purchasing.filters import PurchaseLineFilterSet, PurchaseOrderFilterSet

router = Router(tags=["purchasing"])
VIEW = "purchasing.view_purchaseorder"


def _filtered(filterset_class, filters, queryset, order_by):
    data = {k: v for k, v in filters.dict().items() if v is not None}
    if "open" in data:
        data["open"] = "true" if data["open"] else "false"
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationFailed(errors={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.order_by(*order_by)


def _lines(payload) -> list[dict[str, Any]]:
    return [line.dict() for line in payload]


def _detail(request, order_id: int):
    order = queries.get_order(request.user, order_id)
    order.lines_list = queries.lines_of(order)  # type: ignore[attr-defined]
    return order


@router.get("/orders", response=list[PurchaseOrderOut], summary="List purchase orders")
@paginate
def list_orders(request, filters: Query[PurchaseOrderFilters]):
    require(request.user, VIEW)
    return _filtered(
        PurchaseOrderFilterSet, filters, queries.order_list(request.user), ("-order_date", "-id")
    )


@router.post(
    "/orders", response={201: PurchaseOrderDetailOut}, summary="Create a purchase order (RFQ)"
)
def create_order(request, payload: PurchaseOrderIn):
    order = services.create_order(
        actor=request.user,
        party=payload.party_id,
        language=payload.language,
        order_date=payload.order_date,
        expected_date=payload.expected_date,
        warehouse_code=payload.warehouse_code,
        reference=payload.reference,
        notes=payload.notes,
        lines=_lines(payload.lines),
    )
    return Status(201, _detail(request, order.pk))


@router.get("/orders/{int:order_id}", response=PurchaseOrderDetailOut, summary="One purchase order")
def get_order(request, order_id: int):
    require(request.user, VIEW)
    return _detail(request, order_id)


@router.patch(
    "/orders/{int:order_id}",
    response=PurchaseOrderDetailOut,
    summary="Change a draft or sent purchase order (lines replace the old ones)",
)
def update_order(request, order_id: int, payload: PurchaseOrderPatch):
    order = queries.get_order(request.user, order_id)
    data = payload.dict(exclude_unset=True)
    lines = data.pop("lines", None)
    services.update_order(order, actor=request.user, lines=lines, **data)
    return _detail(request, order_id)


@router.post(
    "/orders/{int:order_id}/send",
    response=PurchaseOrderDetailOut,
    summary="E-mail the purchase order (PDF) to the supplier",
)
def send_order(request, order_id: int, payload: PurchaseOrderSendIn):
    order = queries.get_order(request.user, order_id)
    services.send_order(order, actor=request.user, to=payload.to, message=payload.message)
    return _detail(request, order_id)


def _action(name: str, summary: str):
    func = getattr(services, name)

    def endpoint(request, order_id: int):
        order = queries.get_order(request.user, order_id)
        func(order, actor=request.user)
        return _detail(request, order_id)

    endpoint.__name__ = name
    return summary, endpoint


for _path, _name, _summary in (
    ("mark-sent", "mark_sent", "Record that the supplier got the request another way"),
    ("confirm", "confirm_order", "Confirm: inventory expects the goods (a receipt)"),
    ("close", "close_order", "Close: nothing more will be received"),
    ("cancel", "cancel_order", "Cancel an order of which nothing has arrived"),
):
    _s, _endpoint = _action(_name, _summary)
    router.post(f"/orders/{{int:order_id}}/{_path}", response=PurchaseOrderDetailOut, summary=_s)(
        _endpoint
    )


@router.get("/orders/{int:order_id}/pdf", summary="The purchase order as a PDF")
def order_pdf(request, order_id: int):
    from django.http import HttpResponse

    require(request.user, VIEW)
    order = queries.get_order(request.user, order_id)
    response = HttpResponse(services.render_pdf(order), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{order.number}.pdf"'
    return response


@router.get(
    "/lines",
    response=list[PurchaseHistoryLineOut],
    summary="Purchase history: order lines, by supplier (party) or product",
)
@paginate
def list_lines(request, filters: Query[PurchaseLineFilters]):
    require(request.user, VIEW)
    return _filtered(
        PurchaseLineFilterSet,
        filters,
        queries.line_list(request.user),
        ("-order__order_date", "-order_id", "position"),
    )


# --- Replenishment ------------------------------------------------------------------------


@router.get("/supplier-info", response=list[SupplierInfoOut], summary="Supplier info")
@paginate
def list_supplier_info(request, product: int | None = None, party: int | None = None):
    require(request.user, VIEW)
    rows = queries.supplier_info_list(request.user)
    if product is not None:
        rows = rows.filter(product_id=product)
    if party is not None:
        rows = rows.filter(party_id=party)
    return rows.order_by("product__sku", "sequence", "pk")


@router.post(
    "/supplier-info",
    response={201: SupplierInfoOut},
    summary="Record what a supplier sells a product for (changes an existing row)",
)
def save_supplier_info(request, payload: SupplierInfoIn):
    data = payload.dict()
    info = services.save_supplier_info(
        actor=request.user,
        product=data.pop("product_id"),
        party=data.pop("party_id"),
        **data,
    )
    return Status(201, queries.supplier_info_list(None).get(pk=info.pk))


@router.delete("/supplier-info/{int:info_id}", response={204: None}, summary="Delete supplier info")
def delete_supplier_info(request, info_id: int):
    require(request.user, VIEW)
    services.delete_supplier_info(info_id, actor=request.user)
    return Status(204, None)


@router.get("/reorder-rules", response=list[ReorderRuleOut], summary="Reorder rules")
@paginate
def list_reorder_rules(request):
    require(request.user, VIEW)
    return queries.reorder_rule_list(request.user).order_by("product__sku", "warehouse__code")


@router.post(
    "/reorder-rules",
    response={201: ReorderRuleOut},
    summary="Add or change the min/max reorder rule of a product in a warehouse",
)
def save_reorder_rule(request, payload: ReorderRuleIn):
    data = payload.dict()
    rule = services.save_reorder_rule(
        actor=request.user,
        product=data.pop("product_id"),
        party=data.pop("party_id"),
        **data,
    )
    return Status(201, queries.reorder_rule_list(None).get(pk=rule.pk))


@router.delete(
    "/reorder-rules/{int:rule_id}", response={204: None}, summary="Delete a reorder rule"
)
def delete_reorder_rule(request, rule_id: int):
    require(request.user, VIEW)
    services.delete_reorder_rule(rule_id, actor=request.user)
    return Status(204, None)


@router.get(
    "/replenishment",
    response=list[ReplenishmentOut],
    summary="Reorder rules with on hand, incoming, reserved and what to order",
)
@paginate
def replenishment(request, below: bool = False):
    require(request.user, VIEW)
    return queries.replenishment_rows(queries.replenishment(below_only=below, user=request.user))


@router.post(
    "/replenishment",
    response={201: ReplenishOut},
    summary="Draft purchase orders, one per supplier, for what is below its minimum",
)
def replenish(request, payload: ReplenishIn):
    result = services.replenish(actor=request.user, rule_ids=payload.rule_ids)
    return Status(201, result)
