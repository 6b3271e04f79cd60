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
    HistoryLineOut,
    LineFilters,
    OrderDetailOut,
    OrderFilters,
    OrderIn,
    OrderOut,
    OrderPatch,
    SendIn,
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


@router.get("/orders", response=list[OrderOut], summary="List purchase orders")
@paginate
def list_orders(request, filters: Query[OrderFilters]):
    require(request.user, VIEW)
    return _filtered(
        PurchaseOrderFilterSet, filters, queries.order_list(request.user), ("-order_date", "-id")
    )


@router.post("/orders", response={201: OrderDetailOut}, summary="Create a purchase order (RFQ)")
def create_order(request, payload: OrderIn):
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


@router.get("/orders/{int:order_id}", response=OrderDetailOut, summary="One purchase order")
def get_order(request, order_id: int):
    require(request.user, VIEW)
    return _detail(request, order_id)


@router.patch(
    "/orders/{int:order_id}",
    response=OrderDetailOut,
    summary="Change a draft or sent purchase order (lines replace the old ones)",
)
def update_order(request, order_id: int, payload: OrderPatch):
    order = queries.get_order(request.user, order_id)
    data = payload.dict(exclude_unset=True)
    lines = data.pop("lines", None)
    services.update_order(order, actor=request.user, lines=lines, **data)
    return _detail(request, order_id)


@router.post(
    "/orders/{int:order_id}/send",
    response=OrderDetailOut,
    summary="E-mail the purchase order (PDF) to the supplier",
)
def send_order(request, order_id: int, payload: SendIn):
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
    router.post(f"/orders/{{int:order_id}}/{_path}", response=OrderDetailOut, summary=_s)(_endpoint)


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
    response=list[HistoryLineOut],
    summary="Purchase history: order lines, by supplier (party) or product",
)
@paginate
def list_lines(request, filters: Query[LineFilters]):
    require(request.user, VIEW)
    return _filtered(
        PurchaseLineFilterSet,
        filters,
        queries.line_list(request.user),
        ("-order__order_date", "-order_id", "position"),
    )
