"""Events the sales domain publishes. Subjects: the customer (party) and the quote or the
order, so every step shows on the customer's 360-degree timeline.

`sales.order.confirmed` and `sales.order.cancelled` are a contract with inventory (see
docs/sales.md): their payloads must not change without a new version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event

QUOTE_SUBJECTS = {"party_id": "party", "quote_id": "quote"}
ORDER_SUBJECTS = {"party_id": "party", "order_id": "order"}


@dataclass(frozen=True, kw_only=True)
class QuoteEvent(Event):
    subject_fields: ClassVar[dict[str, str]] = QUOTE_SUBJECTS

    quote_id: int
    number: str
    party_id: int
    total: str = ""
    currency: str = "NOK"

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext(str(cls.template)) % {
            "number": payload.get("number", ""),
            "total": payload.get("total", ""),
            "currency": payload.get("currency", ""),
        }

    template: ClassVar[Any] = ""


@dataclass(frozen=True, kw_only=True)
class QuoteCreated(QuoteEvent):
    type: ClassVar[str] = "sales.quote.created"
    description: ClassVar[Any] = _("A quote was created")
    template: ClassVar[Any] = _("Quote %(number)s was created (%(total)s %(currency)s)")


@dataclass(frozen=True, kw_only=True)
class QuoteSent(QuoteEvent):
    type: ClassVar[str] = "sales.quote.sent"
    description: ClassVar[Any] = _("A quote was sent to the customer")
    template: ClassVar[Any] = _("Quote %(number)s was sent to the customer")


@dataclass(frozen=True, kw_only=True)
class QuoteAccepted(QuoteEvent):
    type: ClassVar[str] = "sales.quote.accepted"
    description: ClassVar[Any] = _("The customer accepted a quote")
    template: ClassVar[Any] = _("The customer accepted quote %(number)s")

    order_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class QuoteDeclined(QuoteEvent):
    type: ClassVar[str] = "sales.quote.declined"
    description: ClassVar[Any] = _("The customer declined a quote")
    template: ClassVar[Any] = _("The customer declined quote %(number)s")

    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class QuoteExpired(QuoteEvent):
    type: ClassVar[str] = "sales.quote.expired"
    description: ClassVar[Any] = _("A quote expired without an answer")
    template: ClassVar[Any] = _("Quote %(number)s expired without an answer")


@dataclass(frozen=True, kw_only=True)
class OrderConfirmed(Event):
    """Contract with inventory (version 1): see docs/sales.md."""

    type: ClassVar[str] = "sales.order.confirmed"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A sales order was confirmed")
    subject_fields: ClassVar[dict[str, str]] = ORDER_SUBJECTS

    order_id: int
    number: str
    party_id: int
    currency: str
    invoicing_policy: str
    warehouse_code: str = ""
    # [{"line_id", "product_id", "sku", "quantity" (Decimal as string), "unit",
    #   "product_type"}]
    lines: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Sales order %(number)s was confirmed") % {"number": payload["number"]}


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Event):
    type: ClassVar[str] = "sales.order.cancelled"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A sales order was cancelled")
    subject_fields: ClassVar[dict[str, str]] = ORDER_SUBJECTS

    order_id: int
    number: str
    party_id: int

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Sales order %(number)s was cancelled") % {"number": payload["number"]}


@dataclass(frozen=True, kw_only=True)
class OrderDelivered(Event):
    type: ClassVar[str] = "sales.order.delivered"
    description: ClassVar[Any] = _("Goods of a sales order were delivered")
    subject_fields: ClassVar[dict[str, str]] = ORDER_SUBJECTS

    order_id: int
    number: str
    party_id: int
    delivery_status: str  # "partial" or "full"
    delivery_id: int | None = None

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        if payload.get("delivery_status") == "full":
            return gettext("Sales order %(number)s is fully delivered") % payload
        return gettext("Sales order %(number)s is partially delivered") % payload


@dataclass(frozen=True, kw_only=True)
class OrderInvoiced(Event):
    type: ClassVar[str] = "sales.order.invoiced"
    description: ClassVar[Any] = _("A sales order was invoiced")
    subject_fields: ClassVar[dict[str, str]] = ORDER_SUBJECTS

    order_id: int
    number: str
    party_id: int
    amount: str
    invoice_status: str  # "partial" or "full"

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("%(amount)s of sales order %(number)s was invoiced") % payload


@dataclass(frozen=True, kw_only=True)
class OrderPaid(Event):
    type: ClassVar[str] = "sales.order.paid"
    description: ClassVar[Any] = _("A payment for a sales order was received")
    subject_fields: ClassVar[dict[str, str]] = ORDER_SUBJECTS

    order_id: int
    number: str
    party_id: int
    amount: str
    payment_status: str  # "partial" or "full"

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("%(amount)s was paid for sales order %(number)s") % payload
