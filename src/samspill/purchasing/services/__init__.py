"""Purchasing commands: the only code that writes the purchasing tables. Each is one
transaction, takes `actor=` keyword-only and raises DomainErrors with codes."""

from samspill.purchasing.services.common import LineInput, WrongState, vat_breakdown
from samspill.purchasing.services.orders import (
    cancel_order,
    close_order,
    confirm_order,
    create_order,
    mark_sent,
    merge_parties,
    order_html,
    record_receipt,
    render_pdf,
    send_order,
    update_order,
)

__all__ = [
    "LineInput",
    "WrongState",
    "cancel_order",
    "close_order",
    "confirm_order",
    "create_order",
    "mark_sent",
    "merge_parties",
    "order_html",
    "record_receipt",
    "render_pdf",
    "send_order",
    "update_order",
    "vat_breakdown",
]
