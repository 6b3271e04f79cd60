"""Request and response schemas of /api/v1/purchasing."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

Language = Literal["nb", "en"]
Status = Literal["draft", "sent", "confirmed", "partial", "received", "closed", "cancelled"]


class PurchaseLineIn(Schema):
    product_id: int
    quantity: Decimal = Field(..., gt=0, max_digits=15, decimal_places=3)
    unit_price: Decimal | None = Field(
        None,
        ge=0,
        max_digits=12,
        decimal_places=2,
        description="Leave out for the product's cost price.",
    )
    discount_percent: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    expected_date: date | None = None
    description: str = Field("", max_length=300)


class PurchaseLineOut(Schema):
    id: int
    position: int
    product_id: int
    sku: str
    description: str
    product_type: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    discount_percent: Decimal
    vat_category: str
    vat_rate: Decimal | None
    net_amount: Decimal
    vat_amount: Decimal
    expected_date: date | None
    received_quantity: Decimal
    billed_quantity: Decimal


class PurchaseHistoryLineOut(PurchaseLineOut):
    order_id: int
    order_number: str = Field(..., alias="order.number")
    order_date: date = Field(..., alias="order.order_date")
    order_status: str = Field(..., alias="order.status")
    party_id: int = Field(..., alias="order.party_id")
    party_name: str = Field(..., alias="order.party.display_name")


class PurchaseOrderIn(Schema):
    party_id: int
    language: Language | None = None
    order_date: date | None = None
    expected_date: date | None = None
    warehouse_code: str = Field("", max_length=20)
    reference: str = Field("", max_length=100)
    notes: str = Field("", max_length=5000)
    lines: list[PurchaseLineIn] = Field(..., min_length=1, max_length=500)


class PurchaseOrderPatch(Schema):
    language: Language | None = None
    order_date: date | None = None
    expected_date: date | None = None
    warehouse_code: str | None = Field(None, max_length=20)
    reference: str | None = Field(None, max_length=100)
    notes: str | None = Field(None, max_length=5000)
    lines: list[PurchaseLineIn] | None = Field(None, min_length=1, max_length=500)


class PurchaseOrderOut(Schema):
    id: int
    number: str
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    status: str
    language: str
    currency: str
    order_date: date
    expected_date: date | None
    warehouse_code: str
    reference: str
    net_total: Decimal
    vat_total: Decimal
    total: Decimal
    sent_at: datetime | None
    confirmed_at: datetime | None
    closed_at: datetime | None
    created_at: datetime


class PurchaseOrderDetailOut(PurchaseOrderOut):
    notes: str
    lines: list[PurchaseLineOut]

    @staticmethod
    def resolve_lines(obj):
        return getattr(obj, "lines_list", None) or list(obj.lines.all())


class PurchaseOrderSendIn(Schema):
    to: str = Field("", max_length=254, description="Empty: the supplier's email.")
    message: str = Field("", max_length=5000)


class PurchaseOrderFilters(Schema):
    q: str | None = Field(None, description="Number, supplier reference or supplier name")
    status: Status | None = None
    open: bool | None = None
    party: int | None = None
    ordered_from: date | None = None
    ordered_to: date | None = None


class PurchaseLineFilters(Schema):
    q: str | None = Field(None, description="Order number, SKU, description or supplier")
    party: int | None = Field(None, description="Supplier id")
    product: int | None = Field(None, description="Product id")
    status: Status | None = None
    ordered_from: date | None = None
    ordered_to: date | None = None


class SupplierInfoIn(Schema):
    product_id: int
    party_id: int
    price: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    supplier_sku: str = Field("", max_length=60)
    lead_time_days: int = Field(0, ge=0, le=3650)
    sequence: int = Field(10, ge=0)


class SupplierInfoOut(Schema):
    id: int
    product_id: int
    sku: str = Field(..., alias="product.sku")
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    supplier_sku: str
    price: Decimal
    lead_time_days: int
    sequence: int


class ReorderRuleIn(Schema):
    product_id: int
    warehouse_code: str = Field("", max_length=20, description="Empty: the default warehouse")
    min_quantity: Decimal = Field(..., ge=0, max_digits=15, decimal_places=3)
    max_quantity: Decimal = Field(..., gt=0, max_digits=15, decimal_places=3)
    party_id: int | None = Field(None, description="Empty: the preferred supplier")
    is_active: bool = True


class ReorderRuleOut(Schema):
    id: int
    product_id: int
    sku: str = Field(..., alias="product.sku")
    warehouse_code: str = Field(..., alias="warehouse.code")
    min_quantity: Decimal
    max_quantity: Decimal
    party_id: int | None
    is_active: bool


class ReplenishmentOut(Schema):
    rule_id: int
    product_id: int
    sku: str
    warehouse: str
    on_hand: Decimal
    incoming: Decimal
    reserved: Decimal
    projected: Decimal
    min_quantity: Decimal
    max_quantity: Decimal
    below: bool
    quantity: Decimal
    supplier_id: int | None
    price: Decimal | None


class ReplenishIn(Schema):
    rule_ids: list[int] | None = Field(None, description="Empty: every active rule")


class ReplenishOut(Schema):
    orders: list[PurchaseOrderOut]
    skipped: list[int]
