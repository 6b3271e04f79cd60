"""Purchasing commands: the only code that writes the purchasing tables. Each is one
transaction, takes `actor=` keyword-only and raises DomainErrors with codes."""

from samspill.platform.money import vat_breakdown
from samspill.purchasing.services.common import LineInput, WrongState
from samspill.purchasing.services.orders import (
    cancel_order,
    close_order,
    confirm_order,
    create_order,
    mark_sent,
    merge_parties,
    order_html,
    record_billing,
    record_receipt,
    render_pdf,
    send_order,
    update_order,
)
from samspill.purchasing.services.replenishment import (
    delete_reorder_rule,
    delete_supplier_info,
    nightly,
    replenish,
    save_reorder_rule,
    save_supplier_info,
)

__all__ = [
    "LineInput",
    "WrongState",
    "cancel_order",
    "close_order",
    "confirm_order",
    "create_order",
    "delete_reorder_rule",
    "delete_supplier_info",
    "mark_sent",
    "merge_parties",
    "nightly",
    "order_html",
    "record_billing",
    "record_receipt",
    "render_pdf",
    "replenish",
    "save_reorder_rule",
    "save_supplier_info",
    "send_order",
    "update_order",
    "vat_breakdown",
]
