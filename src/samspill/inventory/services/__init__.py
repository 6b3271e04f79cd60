"""Inventory commands: the only code that writes the inventory tables. Each is one
transaction, takes `actor=` keyword-only and raises DomainErrors with codes."""

from samspill.inventory.services.common import (
    InsufficientStock,
    apply_moves,
    ensure_setup,
    get_warehouse,
)
from samspill.inventory.services.counts import add_count_line, create_count, post_count, set_counted
from samspill.inventory.services.deliveries import (
    cancel,
    cancel_for_order,
    check_availability,
    clear_picks,
    create_delivery_for_order,
    pick,
    pick_reserved,
    receive_return,
    ship,
)
from samspill.inventory.services.production import (
    cancel_production,
    close_production,
    confirm_production,
    create_bom,
    create_production,
    finish_production,
    produce,
    scrap_production,
)
from samspill.inventory.services.receipts import (
    close_receipts_for_order,
    create_receipt,
    receive,
    reserve_waiting,
)
from samspill.inventory.services.stock import adjust_stock, create_location, set_tracking

__all__ = [
    "InsufficientStock",
    "add_count_line",
    "adjust_stock",
    "apply_moves",
    "cancel",
    "cancel_for_order",
    "cancel_production",
    "check_availability",
    "clear_picks",
    "close_production",
    "close_receipts_for_order",
    "confirm_production",
    "create_bom",
    "create_count",
    "create_delivery_for_order",
    "create_location",
    "create_production",
    "create_receipt",
    "ensure_setup",
    "finish_production",
    "get_warehouse",
    "pick",
    "pick_reserved",
    "post_count",
    "produce",
    "receive",
    "receive_return",
    "reserve_waiting",
    "scrap_production",
    "set_counted",
    "set_tracking",
    "ship",
]
