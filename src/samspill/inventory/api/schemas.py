"""Request and response schemas of /api/v1/inventory."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema


class WarehouseOut(Schema):
    id: int
    code: str
    name: str
    is_default: bool
    stock_location_id: int
    output_location_id: int


class LocationOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    warehouse_id: int | None
    allow_negative: bool
    is_active: bool


class LocationIn(Schema):
    parent_id: int
    name: str = Field(..., max_length=60)
    allow_negative: bool = False


class StockLevelOut(Schema):
    product_id: int
    sku: str
    location_id: int
    location: str
    unit: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_location(obj) -> str:
        return obj.location.code

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.product.unit.code

    @staticmethod
    def resolve_available(obj) -> Decimal:
        return obj.on_hand - obj.reserved


class StockFilters(Schema):
    q: str | None = Field(None, description="SKU or product name contains")
    product_id: int | None = None
    location_id: int | None = None
    warehouse_id: int | None = None
    in_stock: bool | None = Field(None, description="Only rows with stock on hand")


class LotOut(Schema):
    lot: str
    location_id: int
    location: str
    on_hand: Decimal


class ProductStockOut(Schema):
    product_id: int
    sku: str
    unit: str
    tracking: str
    on_hand: Decimal
    reserved: Decimal
    available: Decimal
    locations: list[StockLevelOut]
    lots: list[LotOut]


class AdjustmentIn(Schema):
    product_id: int
    location_id: int
    quantity: Decimal = Field(..., description="Positive adds stock, negative removes it")
    unit: str | None = Field(None, description="Unit code; default the product's unit")
    lot: str | None = None
    reason: str = Field(..., max_length=200)


class MoveOut(Schema):
    id: int
    product_id: int
    from_location_id: int
    to_location_id: int
    quantity: Decimal
    lot: str | None
    reason: str
    reference: str
    done_at: datetime

    @staticmethod
    def resolve_lot(obj) -> str | None:
        return obj.lot.name if obj.lot_id else None


class TrackingIn(Schema):
    tracking: Literal["none", "lot", "serial"]


class PickOut(Schema):
    quantity: Decimal
    lot: str | None

    @staticmethod
    def resolve_lot(obj) -> str | None:
        return obj.lot.name if obj.lot_id else None


class DeliveryLineOut(Schema):
    id: int
    product_id: int
    sku: str
    order_line_id: int | None
    quantity: Decimal
    reserved: Decimal
    done: Decimal
    is_consumable: bool
    picks: list[PickOut]

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_picks(obj):
        return list(obj.picks.all())


class DeliveryOut(Schema):
    id: int
    number: str
    kind: str
    state: str
    party_id: int
    party: str
    warehouse: str
    order_id: int | None
    order_number: str
    backorder_of_id: int | None
    created_at: datetime
    done_at: datetime | None

    @staticmethod
    def resolve_party(obj) -> str:
        return str(obj.party)

    @staticmethod
    def resolve_warehouse(obj) -> str:
        return obj.warehouse.code


class DeliveryDetailOut(DeliveryOut):
    lines: list[DeliveryLineOut]

    @staticmethod
    def resolve_lines(obj):
        from samspill.inventory.queries import delivery_lines

        return delivery_lines(obj)


class DeliveryFilters(Schema):
    state: Literal["open", "waiting", "ready", "done", "cancelled"] | None = None
    kind: Literal["outgoing", "return"] | None = None
    party_id: int | None = None
    order_id: int | None = None
    q: str | None = Field(None, description="Delivery or order number contains")


class PickIn(Schema):
    line_id: int
    quantity: Decimal
    lot: str | None = None


class PicksIn(Schema):
    picks: list[PickIn] = Field(..., min_length=1)


class ReturnLineIn(Schema):
    product_id: int
    quantity: Decimal
    unit: str | None = None
    lot: str | None = None


class ReturnIn(Schema):
    party_id: int
    order_id: int | None = None
    warehouse_code: str = ""
    note: str = Field("", max_length=200)
    lines: list[ReturnLineIn] = Field(..., min_length=1)


class CountLineOut(Schema):
    id: int
    product_id: int
    sku: str
    lot: str | None
    expected: Decimal
    counted: Decimal | None
    difference: Decimal | None

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku

    @staticmethod
    def resolve_lot(obj) -> str | None:
        return obj.lot.name if obj.lot_id else None


class CountOut(Schema):
    id: int
    number: str
    location_id: int
    location: str
    state: str
    reason: str
    created_at: datetime
    posted_at: datetime | None

    @staticmethod
    def resolve_location(obj) -> str:
        return obj.location.code


class CountDetailOut(CountOut):
    lines: list[CountLineOut]

    @staticmethod
    def resolve_lines(obj):
        from samspill.inventory.queries import count_lines

        return list(count_lines(obj))


class CountIn(Schema):
    location_id: int


class CountedIn(Schema):
    counted: dict[int, Decimal | None] = Field(
        ..., description="line id -> counted (null: not counted)"
    )


class CountLineIn(Schema):
    product_id: int
    lot: str | None = None


class PostCountIn(Schema):
    reason: str = Field(..., max_length=200)


class ReceiptLineOut(Schema):
    id: int
    product_id: int
    sku: str
    order_line_id: int | None
    quantity: Decimal
    done: Decimal

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku


class ReceiptOut(Schema):
    id: int
    number: str
    state: str
    party_id: int
    party: str
    warehouse: str
    order_id: int | None
    order_number: str
    expected_date: date | None
    created_at: datetime
    done_at: datetime | None

    @staticmethod
    def resolve_party(obj) -> str:
        return str(obj.party)

    @staticmethod
    def resolve_warehouse(obj) -> str:
        return obj.warehouse.code


class ReceiptDetailOut(ReceiptOut):
    lines: list[ReceiptLineOut]

    @staticmethod
    def resolve_lines(obj):
        from samspill.inventory.queries import receipt_lines

        return receipt_lines(obj)


class ReceiptFilters(Schema):
    state: Literal["expected", "done", "cancelled"] | None = None
    party_id: int | None = None
    order_id: int | None = None
    q: str | None = Field(None, description="Receipt or purchase order number contains")


class ReceiveLineIn(Schema):
    line_id: int
    quantity: Decimal
    lot: str | None = None


class ReceiveIn(Schema):
    lines: list[ReceiveLineIn] = Field(..., min_length=1)


class StockValueOut(Schema):
    product_id: int
    sku: str
    name_nb: str
    name_en: str
    quantity: Decimal
    value: Decimal

    @staticmethod
    def resolve_quantity(obj) -> Decimal:
        return Decimal(obj["quantity"]).quantize(Decimal("0.001"))

    @staticmethod
    def resolve_value(obj) -> Decimal:
        return Decimal(obj["value"]).quantize(Decimal("0.01"))


class StockValueFilters(Schema):
    at: date | None = Field(None, description="Value at the end of this day (default today)")
    q: str | None = Field(None, description="SKU or name contains")
