"""/api/v1/inventory: bills of materials and production orders (thin adapters over
`services.production` and `queries`)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from samspill.inventory import queries, services
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["inventory"])


class BomLineOut(Schema):
    product_id: int
    sku: str
    quantity: Decimal
    unit: str

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code


class BomOut(Schema):
    id: int
    product_id: int
    sku: str
    quantity: Decimal
    note: str
    lines: list[BomLineOut]

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class BomLineIn(Schema):
    product_id: int
    quantity: Decimal = Field(..., gt=0)
    unit: str = Field("", description="unit code; empty: the component's unit")


class BomIn(Schema):
    product_id: int
    quantity: Decimal = Field(
        Decimal(1), gt=0, description="how much of the product one bill makes"
    )
    note: str = Field("", max_length=200)
    lines: list[BomLineIn]


class ProductionLineOut(Schema):
    product_id: int
    sku: str
    quantity: Decimal
    reserved: Decimal
    done: Decimal

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku


class ProductionOut(Schema):
    id: int
    number: str
    state: str
    product_id: int
    sku: str
    quantity: Decimal
    produced: Decimal
    warehouse: str
    bom_id: int
    unit_cost: Decimal | None
    value: Decimal | None
    created_at: datetime
    done_at: datetime | None

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_warehouse(obj) -> str:
        return obj.warehouse.code


class ProductionDetailOut(ProductionOut):
    lines: list[ProductionLineOut]

    @staticmethod
    def resolve_lines(obj):
        return list(obj.lines.all())


class ProductionIn(Schema):
    bom_id: int
    quantity: Decimal = Field(..., gt=0)
    warehouse: str = Field("", description="warehouse code; empty: the default warehouse")


class ProductionComponentLotIn(Schema):
    line_id: int = Field(..., description="the component line of the order")
    lot: str = Field(..., max_length=60, description="lot or serial number to consume")
    quantity: Decimal = Field(..., gt=0)


class ProductionRunIn(Schema):
    quantity: Decimal | None = Field(
        None, gt=0, description="how much to make now; empty: everything that remains"
    )
    lot: str = Field("", max_length=60, description="lot or serial number made (tracked products)")
    components: list[ProductionComponentLotIn] = Field(
        default_factory=list, description="lots consumed of the tracked components"
    )
    close: bool = Field(False, description="done after this run: the rest is not made")


class ProductionScrapIn(Schema):
    product_id: int = Field(..., description="the order's product or one of its components")
    quantity: Decimal = Field(..., gt=0)
    lot: str = Field("", max_length=60)
    note: str = Field("", max_length=200)


class ProductionScrapOut(Schema):
    move_id: int
    product_id: int
    quantity: Decimal
    lot: str
    value: Decimal | None


class ProductionFilters(Schema):
    state: Literal["draft", "confirmed", "done", "cancelled"] | None = None
    product_id: int | None = None
    q: str | None = Field(None, description="number contains")


@router.get("/boms", response=list[BomOut], summary="Bills of materials")
@paginate
def list_boms(request):
    require(request.user, "inventory.view_billofmaterials")
    return queries.boms(request.user)


@router.post("/boms", response={201: BomOut}, summary="Create a bill of materials")
def create_bom(request, payload: BomIn):
    bom = services.create_bom(
        actor=request.user,
        product=payload.product_id,
        quantity=payload.quantity,
        note=payload.note,
        lines=[
            {"product": line.product_id, "quantity": line.quantity, "unit": line.unit}
            for line in payload.lines
        ],
    )
    return Status(201, queries.boms(request.user).get(pk=bom.pk))


@router.get("/productions", response=list[ProductionOut], summary="Production orders")
@paginate
def list_productions(request, filters: Query[ProductionFilters]):
    require(request.user, "inventory.view_productionorder")
    rows = queries.production_orders(request.user)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.product_id is not None:
        rows = rows.filter(product_id=filters.product_id)
    if filters.q:
        rows = rows.filter(number__icontains=filters.q)
    return rows.order_by("-created_at", "-pk")


@router.post(
    "/productions", response={201: ProductionDetailOut}, summary="Draft a production order"
)
def create_production(request, payload: ProductionIn):
    order = services.create_production(
        actor=request.user,
        bom=payload.bom_id,
        quantity=payload.quantity,
        warehouse=payload.warehouse or None,
    )
    return Status(201, queries.production_order(request.user, order.pk))


@router.get("/productions/{order_id}", response=ProductionDetailOut, summary="One production order")
def get_production(request, order_id: int):
    require(request.user, "inventory.view_productionorder")
    return queries.production_order(request.user, order_id)


def _act(request, order_id: int, command):
    require(request.user, "inventory.view_productionorder")
    order = queries.production_order(request.user, order_id)
    command(actor=request.user, order=order)
    return queries.production_order(request.user, order_id)


@router.post(
    "/productions/{order_id}/confirm",
    response=ProductionDetailOut,
    summary="Confirm: reserve the components",
)
def confirm_production(request, order_id: int):
    return _act(request, order_id, services.confirm_production)


@router.post(
    "/productions/{order_id}/done",
    response=ProductionDetailOut,
    summary="Done: consume the components, bring the finished goods into stock",
)
def finish_production(request, order_id: int):
    return _act(request, order_id, services.finish_production)


@router.post(
    "/productions/{order_id}/cancel",
    response=ProductionDetailOut,
    summary="Cancel and release the reservations",
)
def cancel_production(request, order_id: int):
    return _act(request, order_id, services.cancel_production)


@router.post(
    "/productions/{order_id}/produce",
    response=ProductionDetailOut,
    summary="Produce part or all of what remains (lots of tracked goods; close short)",
)
def produce(request, order_id: int, payload: ProductionRunIn):
    require(request.user, "inventory.view_productionorder")
    order = queries.production_order(request.user, order_id)
    services.produce(
        actor=request.user,
        order=order,
        quantity=payload.quantity,
        lot=payload.lot,
        components=[
            {"line_id": c.line_id, "lot": c.lot, "quantity": c.quantity} for c in payload.components
        ],
        close=payload.close,
    )
    return queries.production_order(request.user, order_id)


@router.post(
    "/productions/{order_id}/close",
    response=ProductionDetailOut,
    summary="Close short: done with what was made, the rest's reservations released",
)
def close_production(request, order_id: int):
    return _act(request, order_id, services.close_production)


@router.post(
    "/productions/{order_id}/scrap",
    response={201: ProductionScrapOut},
    summary="Scrap components or finished goods to inventory loss (booked to 4390)",
)
def scrap_production(request, order_id: int, payload: ProductionScrapIn):
    require(request.user, "inventory.view_productionorder")
    order = queries.production_order(request.user, order_id)
    move = services.scrap_production(
        actor=request.user,
        order=order,
        product=payload.product_id,
        quantity=payload.quantity,
        lot=payload.lot,
        note=payload.note,
    )
    return Status(
        201,
        {
            "move_id": move.pk,
            "product_id": move.product_id,
            "quantity": move.quantity,
            "lot": move.lot.name if move.lot else "",
            "value": move.value,
        },
    )
