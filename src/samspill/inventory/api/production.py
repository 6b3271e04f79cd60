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
