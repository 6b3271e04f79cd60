"""/api/v1/inventory: thin adapters over `services` and `queries`. Errors are DomainErrors,
turned into problem+json by the API root; every write is one service call (one
transaction), so a failed request writes nothing."""

from django.db.models import Q
from ninja import Query, Router
from ninja.responses import Status

from samspill.catalog import queries as catalog
from samspill.inventory import queries, services
from samspill.inventory.api.production import router as production_router
from samspill.inventory.api.schemas import (
    AdjustmentIn,
    CountDetailOut,
    CountedIn,
    CountIn,
    CountLineIn,
    CountLineOut,
    CountOut,
    DeliveryDetailOut,
    DeliveryFilters,
    DeliveryOut,
    LocationIn,
    LocationOut,
    MoveOut,
    PicksIn,
    PostCountIn,
    ProductStockOut,
    ReceiptDetailOut,
    ReceiptFilters,
    ReceiptOut,
    ReceiveIn,
    ReturnIn,
    StockFilters,
    StockLevelOut,
    StockValueFilters,
    StockValueOut,
    TrackingIn,
    WarehouseOut,
)
from samspill.inventory.models import Delivery
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["inventory"])
router.add_router("", production_router)


def _delivery_out(delivery):
    return delivery


# --- Locations ----------------------------------------------------------------------------


@router.get("/warehouses", response=list[WarehouseOut], summary="Warehouses")
def list_warehouses(request):
    require(request.user, "inventory.view_warehouse")
    return list(queries.warehouses())


@router.get("/locations", response=list[LocationOut], summary="Locations (tree order)")
def list_locations(request):
    require(request.user, "inventory.view_location")
    return [location for location, _depth in queries.location_tree(request.user)]


@router.post("/locations", response={201: LocationOut}, summary="Add a zone or bin")
def create_location(request, payload: LocationIn):
    location = services.create_location(
        actor=request.user,
        parent=payload.parent_id,
        name=payload.name,
        allow_negative=payload.allow_negative,
    )
    return Status(201, location)


# --- Stock --------------------------------------------------------------------------------


@router.get("/stock", response=list[StockLevelOut], summary="Stock per product and location")
@paginate
def list_stock(request, filters: Query[StockFilters]):
    require(request.user, "inventory.view_stocklevel")
    rows = queries.stock_levels(request.user)
    if filters.q:
        q = filters.q.strip()
        rows = rows.filter(
            Q(product__sku__icontains=q)
            | Q(product__name_nb__icontains=q)
            | Q(product__name_en__icontains=q)
        )
    if filters.product_id is not None:
        rows = rows.filter(product_id=filters.product_id)
    if filters.location_id is not None:
        rows = rows.filter(location_id=filters.location_id)
    if filters.warehouse_id is not None:
        rows = rows.filter(location__warehouse_id=filters.warehouse_id)
    if filters.in_stock:
        rows = rows.exclude(on_hand=0)
    return rows.order_by("product__sku", "location__code")


@router.get(
    "/products/{product_id}/stock", response=ProductStockOut, summary="Stock of one product"
)
def product_stock(request, product_id: int):
    require(request.user, "inventory.view_stocklevel")
    product = catalog.get_product(request.user, product_id)
    totals = queries.availability([product.pk])[product.pk]
    levels = queries.product_stock(product.pk)
    for level in levels:
        level.product = product
    return {
        "product_id": product.pk,
        "sku": product.sku,
        "unit": product.unit.code,
        "tracking": queries.tracking(product.pk),
        **totals,
        "locations": levels,
        "lots": [
            {
                "lot": lv.lot.name,
                "location_id": lv.location_id,
                "location": lv.location.code,
                "on_hand": lv.on_hand,
            }
            for lv in queries.lot_stock(product.pk)
        ],
    }


@router.put(
    "/products/{product_id}/tracking", response=TrackingIn, summary="Lot or serial tracking"
)
def set_tracking(request, product_id: int, payload: TrackingIn):
    row = services.set_tracking(actor=request.user, product=product_id, tracking=payload.tracking)
    return {"tracking": row.tracking}


@router.post("/adjustments", response={201: MoveOut}, summary="Adjust stock by hand")
def adjust(request, payload: AdjustmentIn):
    move = services.adjust_stock(
        actor=request.user,
        product=payload.product_id,
        location=payload.location_id,
        quantity=payload.quantity,
        unit=payload.unit,
        lot=payload.lot,
        reason=payload.reason,
    )
    return Status(201, move)


# --- Deliveries ---------------------------------------------------------------------------


@router.get("/deliveries", response=list[DeliveryOut], summary="List deliveries and returns")
@paginate
def list_deliveries(request, filters: Query[DeliveryFilters]):
    require(request.user, "inventory.view_delivery")
    rows = queries.delivery_list(request.user)
    if filters.state == "open":
        rows = rows.filter(state__in=Delivery.OPEN)
    elif filters.state:
        rows = rows.filter(state=filters.state)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.party_id is not None:
        rows = rows.filter(party_id=filters.party_id)
    if filters.order_id is not None:
        rows = rows.filter(order_id=filters.order_id)
    if filters.q:
        rows = rows.filter(Q(number__icontains=filters.q) | Q(order_number__icontains=filters.q))
    return rows.order_by("-created_at", "-pk")


@router.get("/deliveries/{delivery_id}", response=DeliveryDetailOut, summary="One delivery")
def get_delivery(request, delivery_id: int):
    require(request.user, "inventory.view_delivery")
    return _delivery_out(queries.get_delivery(request.user, delivery_id))


def _act(request, delivery_id: int, action, **kwargs):
    require(request.user, "inventory.view_delivery")
    delivery = queries.get_delivery(request.user, delivery_id)
    action(actor=request.user, delivery=delivery, **kwargs)
    return _delivery_out(queries.get_delivery(request.user, delivery_id))


@router.post(
    "/deliveries/{delivery_id}/pick", response=DeliveryDetailOut, summary="Record picked quantities"
)
def pick(request, delivery_id: int, payload: PicksIn):
    picks = [p.dict() for p in payload.picks]
    return _act(request, delivery_id, services.pick, picks=picks)


@router.post(
    "/deliveries/{delivery_id}/pick-reserved",
    response=DeliveryDetailOut,
    summary="Pick all reserved (untracked lines)",
)
def pick_reserved(request, delivery_id: int):
    return _act(request, delivery_id, services.pick_reserved)


@router.post(
    "/deliveries/{delivery_id}/ship", response=DeliveryDetailOut, summary="Ship what is picked"
)
def ship(request, delivery_id: int):
    return _act(request, delivery_id, services.ship)


@router.post(
    "/deliveries/{delivery_id}/check-availability",
    response=DeliveryDetailOut,
    summary="Reserve missing stock",
)
def check_availability(request, delivery_id: int):
    return _act(request, delivery_id, services.check_availability)


@router.post(
    "/deliveries/{delivery_id}/cancel",
    response=DeliveryDetailOut,
    summary="Cancel an open delivery",
)
def cancel(request, delivery_id: int):
    return _act(request, delivery_id, services.cancel)


@router.post("/returns", response={201: DeliveryDetailOut}, summary="Receive a customer return")
def receive_return(request, payload: ReturnIn):
    delivery = services.receive_return(
        actor=request.user,
        party=payload.party_id,
        order_id=payload.order_id,
        warehouse=payload.warehouse_code,
        note=payload.note,
        lines=[
            {
                "product": line.product_id,
                "quantity": line.quantity,
                "unit": line.unit,
                "lot": line.lot,
            }
            for line in payload.lines
        ],
    )
    return Status(201, _delivery_out(queries.get_delivery(request.user, delivery.pk)))


@router.get(
    "/stock-value",
    response=list[StockValueOut],
    summary="Stock value report: quantity and value per product at the end of a day",
)
@paginate
def stock_value(request, filters: Query[StockValueFilters]):
    require(request.user, "inventory.view_stockmove")
    return queries.stock_value(filters.at, filters.q or "", user=request.user)


# --- Receipts -------------------------------------------------------------------------------


@router.get("/receipts", response=list[ReceiptOut], summary="List receipts (goods expected)")
@paginate
def list_receipts(request, filters: Query[ReceiptFilters]):
    require(request.user, "inventory.view_receipt")
    rows = queries.receipt_list(request.user)
    if filters.state:
        rows = rows.filter(state=filters.state)
    if filters.party_id is not None:
        rows = rows.filter(party_id=filters.party_id)
    if filters.order_id is not None:
        rows = rows.filter(order_id=filters.order_id)
    if filters.q:
        rows = rows.filter(Q(number__icontains=filters.q) | Q(order_number__icontains=filters.q))
    return rows.order_by("-created_at", "-pk")


@router.get("/receipts/{receipt_id}", response=ReceiptDetailOut, summary="One receipt")
def get_receipt(request, receipt_id: int):
    require(request.user, "inventory.view_receipt")
    return queries.get_receipt(request.user, receipt_id)


@router.post(
    "/receipts/{receipt_id}/receive",
    response=ReceiptDetailOut,
    summary="Record goods that arrived (partial receipts allowed)",
)
def receive(request, receipt_id: int, payload: ReceiveIn):
    require(request.user, "inventory.view_receipt")
    receipt = queries.get_receipt(request.user, receipt_id)
    services.receive(
        actor=request.user, receipt=receipt, lines=[line.dict() for line in payload.lines]
    )
    return queries.get_receipt(request.user, receipt_id)


# --- Counts -------------------------------------------------------------------------------


def _count_out(user, pk):
    return queries.get_count(user, pk)


@router.get("/counts", response=list[CountOut], summary="Stock counts")
@paginate
def list_counts(request):
    require(request.user, "inventory.view_stockcount")
    return queries.count_list(request.user).order_by("-created_at", "-pk")


@router.post("/counts", response={201: CountDetailOut}, summary="Start a count sheet")
def create_count(request, payload: CountIn):
    count = services.create_count(actor=request.user, location=payload.location_id)
    return Status(201, _count_out(request.user, count.pk))


@router.get("/counts/{count_id}", response=CountDetailOut, summary="One count sheet")
def get_count(request, count_id: int):
    require(request.user, "inventory.view_stockcount")
    return _count_out(request.user, count_id)


@router.post("/counts/{count_id}/lines", response={201: CountLineOut}, summary="Add a line")
def add_count_line(request, count_id: int, payload: CountLineIn):
    count = queries.get_count(request.user, count_id)
    line = services.add_count_line(
        actor=request.user, count=count, product=payload.product_id, lot=payload.lot
    )
    return Status(201, line)


@router.patch("/counts/{count_id}", response=CountDetailOut, summary="Enter counted quantities")
def set_counted(request, count_id: int, payload: CountedIn):
    count = queries.get_count(request.user, count_id)
    services.set_counted(
        actor=request.user,
        count=count,
        counted={k: ("" if v is None else v) for k, v in payload.counted.items()},
    )
    return _count_out(request.user, count_id)


@router.post("/counts/{count_id}/post", response=CountDetailOut, summary="Post the differences")
def post_count(request, count_id: int, payload: PostCountIn):
    count = queries.get_count(request.user, count_id)
    services.post_count(actor=request.user, count=count, reason=payload.reason)
    return _count_out(request.user, count_id)
