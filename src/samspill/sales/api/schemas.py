"""Request and response schemas of /api/v1/sales."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

Language = Literal["nb", "en"]
Policy = Literal["order", "delivery"]


class LineIn(Schema):
    product_id: int
    quantity: Decimal = Field(..., gt=0, max_digits=15, decimal_places=3)
    unit_price: Decimal | None = Field(
        None,
        ge=0,
        max_digits=12,
        decimal_places=2,
        description="Leave out for the price list / catalog price (changing it needs the "
        "price permission).",
    )
    discount_percent: Decimal | None = Field(None, ge=0, le=100, decimal_places=2)
    description: str = Field("", max_length=300)


class LineOut(Schema):
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


class OrderLineOut(LineOut):
    delivered_quantity: Decimal


class DocumentIn(Schema):
    party_id: int
    contact_id: int | None = None
    currency: str = Field("NOK", min_length=3, max_length=3)
    price_list_id: int | None = None
    language: Language | None = None
    reference: str = Field("", max_length=100)
    opportunity_ref: str = Field("", max_length=50)
    notes: str = Field("", max_length=5000)
    lines: list[LineIn] = Field(..., min_length=1, max_length=500)


class QuoteIn(DocumentIn):
    issue_date: date | None = None
    valid_until: date | None = None
    terms: str = Field("", max_length=5000)


class QuotePatch(Schema):
    contact_id: int | None = None
    valid_until: date | None = None
    terms: str | None = Field(None, max_length=5000)
    notes: str | None = Field(None, max_length=5000)
    reference: str | None = Field(None, max_length=100)
    lines: list[LineIn] | None = Field(None, min_length=1, max_length=500)


class OrderIn(DocumentIn):
    order_date: date | None = None
    invoicing_policy: Policy = "order"
    warehouse_code: str = Field("", max_length=20)


class DocumentOut(Schema):
    id: int
    number: str
    party_id: int
    party_name: str = Field(..., alias="party.display_name")
    contact_id: int | None
    currency: str
    language: str
    status: str
    reference: str
    opportunity_ref: str
    net_total: Decimal
    vat_total: Decimal
    total: Decimal
    created_at: datetime


class QuoteOut(DocumentOut):
    issue_date: date
    valid_until: date
    sent_at: datetime | None
    decided_at: datetime | None


class QuoteDetailOut(QuoteOut):
    terms: str
    notes: str
    lines: list[LineOut]
    order_id: int | None = None


class OrderOut(DocumentOut):
    order_date: date
    quote_id: int | None
    invoicing_policy: str
    warehouse_code: str
    delivery_status: str
    invoice_status: str
    payment_status: str
    invoiced_amount: Decimal
    paid_amount: Decimal
    confirmed_at: datetime | None
    cancelled_at: datetime | None


class OrderDetailOut(OrderOut):
    notes: str
    lines: list[OrderLineOut]


class SendIn(Schema):
    to: str = Field("", max_length=254, description="Empty: the contact's or customer's email.")
    message: str = Field("", max_length=5000)


class DeclineIn(Schema):
    reason: str = Field("", max_length=2000)


class AcceptanceTokenIn(Schema):
    token: str = Field(..., max_length=500)


class TokenDeclineIn(AcceptanceTokenIn):
    reason: str = Field("", max_length=2000)


class LinkOut(Schema):
    url: str
    token: str


class QuoteFilters(Schema):
    q: str | None = Field(None, description="Number, reference or customer name")
    status: Literal["draft", "sent", "accepted", "declined", "expired"] | None = None
    open: bool | None = None
    party: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None


class OrderFilters(Schema):
    q: str | None = Field(None, description="Number, reference or customer name")
    status: Literal["draft", "confirmed", "cancelled"] | None = None
    delivery_status: Literal["nothing", "partial", "full"] | None = None
    invoice_status: Literal["nothing", "partial", "full"] | None = None
    payment_status: Literal["nothing", "partial", "full"] | None = None
    party: int | None = None
    ordered_from: date | None = None
    ordered_to: date | None = None


class StageFigureOut(Schema):
    stage_id: int
    name: str
    probability: int
    count: int
    value: Decimal
    weighted: Decimal


class ClosedOut(Schema):
    won: int
    won_value: Decimal
    lost: int
    lost_value: Decimal
    win_rate: Decimal | None = Field(None, description="Won of closed, per cent")
    lost_reasons: list[tuple[str, int]]


class ForecastMonthOut(Schema):
    month: date | None = Field(None, alias="key")
    label: str
    count: int
    total: Decimal
    weighted: Decimal


class TopCustomerOut(Schema):
    party_id: int
    name: str
    orders: int
    value: Decimal


class OrderFiguresOut(Schema):
    count: int
    value: Decimal
    average: Decimal | None


class FunnelOut(Schema):
    leads: int
    converted: int
    lead_rate: Decimal | None = Field(None, description="Converted of leads, per cent")
    opportunities: int
    ordered: int
    order_rate: Decimal | None = Field(None, description="With a confirmed order, per cent")


class DashboardOut(Schema):
    date_from: date
    date_to: date
    pipeline: list[StageFigureOut]
    closed: ClosedOut
    forecast: list[ForecastMonthOut]
    top_customers: list[TopCustomerOut]
    orders: OrderFiguresOut
    funnel: FunnelOut
