"""Events purchasing publishes. Subjects: the supplier (party) and the purchase order
(kind "purchase_order"), so every step shows on the supplier's 360-degree timeline and
on the order's own timeline (the receipts inventory makes name the order too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event

ORDER_SUBJECTS = {"party_id": "party", "order_id": "purchase_order"}


@dataclass(frozen=True, kw_only=True)
class PurchaseOrderEvent(Event):
    subject_fields: ClassVar[dict[str, str]] = ORDER_SUBJECTS
    template: ClassVar[Any] = ""

    order_id: int
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


@dataclass(frozen=True, kw_only=True)
class OrderCreated(PurchaseOrderEvent):
    type: ClassVar[str] = "purchasing.order.created"
    description: ClassVar[Any] = _("A purchase order (request for quotation) was created")
    template: ClassVar[Any] = _("Purchase order %(number)s was created (%(total)s %(currency)s)")


@dataclass(frozen=True, kw_only=True)
class OrderSent(PurchaseOrderEvent):
    type: ClassVar[str] = "purchasing.order.sent"
    description: ClassVar[Any] = _("A purchase order was sent to the supplier")
    template: ClassVar[Any] = _("Purchase order %(number)s was sent to the supplier")


@dataclass(frozen=True, kw_only=True)
class OrderConfirmed(PurchaseOrderEvent):
    """The order is placed: inventory expects the goods (receipt_id, when there are goods).
    `lines` = [{"line_id", "product_id", "quantity", "unit", "unit_cost"}]."""

    type: ClassVar[str] = "purchasing.order.confirmed"
    description: ClassVar[Any] = _("A purchase order was confirmed")
    template: ClassVar[Any] = _("Purchase order %(number)s was confirmed")

    receipt_id: int | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class OrderReceived(PurchaseOrderEvent):
    """Goods of the order arrived: `lines` = [{"line_id", "quantity"}] of this arrival;
    `status` is the order's status afterwards (partial or received)."""

    type: ClassVar[str] = "purchasing.order.received"
    description: ClassVar[Any] = _("Goods of a purchase order arrived")
    template: ClassVar[Any] = _("Goods of purchase order %(number)s arrived")

    status: str = ""
    lines: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class OrderClosed(PurchaseOrderEvent):
    type: ClassVar[str] = "purchasing.order.closed"
    description: ClassVar[Any] = _("A purchase order was closed: nothing more will arrive")
    template: ClassVar[Any] = _("Purchase order %(number)s was closed")


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(PurchaseOrderEvent):
    type: ClassVar[str] = "purchasing.order.cancelled"
    description: ClassVar[Any] = _("A purchase order was cancelled")
    template: ClassVar[Any] = _("Purchase order %(number)s was cancelled")
