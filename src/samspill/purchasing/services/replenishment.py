"""Replenishment: what each product's supplier sells it for (supplier info), min/max
reorder rules per product and warehouse, and turning what is below its minimum into draft
purchase orders, one per supplier (by hand from the replenishment screen, or nightly)."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.catalog import queries as catalog
from samspill.inventory import queries as inventory_queries
from samspill.platform import audit
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.purchasing.models import (
    PurchaseOrder,
    ReorderRule,
    ReplenishmentRun,
    SupplierInfo,
)
from samspill.purchasing.services.common import ADD, CHANGE, _decimal, check, resolve_supplier
from samspill.purchasing.services.orders import create_order

QTY = Decimal("0.001")


def _product(value, errors):
    pk = getattr(value, "pk", value)
    product = catalog.product_list(None).filter(pk=pk).first() if str(pk).isdigit() else None
    if product is None:
        errors.setdefault("product", []).append(_("Choose a product."))
    return product


def _raise(errors):
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], errors=errors)


@transaction.atomic
def save_supplier_info(
    *,
    actor,
    product,
    party,
    price,
    supplier_sku: str = "",
    lead_time_days: int | str = 0,
    sequence: int | str = 10,
) -> SupplierInfo:
    """Record (or change) what a supplier sells a product for: price per unit of the
    product in NOK, their SKU, lead time in days; the lowest sequence is preferred."""
    check(actor, CHANGE)
    errors: dict[str, list[str]] = {}
    product = _product(product, errors)
    supplier = resolve_supplier(party, errors)
    amount = _decimal(price, "price", errors)
    if amount is None and "price" not in errors:
        errors["price"] = [_("Enter a number.")]
    elif amount is not None and amount < 0:
        errors["price"] = [_("The unit price cannot be negative.")]
    days = _decimal(lead_time_days, "lead_time_days", errors) or Decimal(0)
    order = _decimal(sequence, "sequence", errors) or Decimal(10)
    if days < 0 or days != days.to_integral_value():
        errors["lead_time_days"] = [_("Enter a whole number of days, zero or more.")]
    _raise(errors)
    info = SupplierInfo.objects.filter(product=product, party=supplier).first()
    before = audit.snapshot(info) if info else {}
    info = info or SupplierInfo(product=product, party=supplier)
    info.price = amount.quantize(Decimal("0.01"))  # type: ignore[union-attr]
    info.supplier_sku = (supplier_sku or "").strip()[:60]
    info.lead_time_days = int(days)
    info.sequence = max(int(order), 0)
    info.save()
    audit.record(
        "update" if before else "create",
        info,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(info)),
    )
    return info


@transaction.atomic
def delete_supplier_info(info: SupplierInfo | int, *, actor) -> None:
    check(actor, CHANGE)
    pk = info.pk if isinstance(info, SupplierInfo) else int(info)
    row = SupplierInfo.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("There is no supplier info with this id."))
    audit.record("delete", row, actor=actor, changes=audit.diff(audit.snapshot(row), {}))
    row.delete()


@transaction.atomic
def save_reorder_rule(
    *,
    actor,
    product,
    min_quantity,
    max_quantity,
    warehouse_code: str = "",
    party=None,
    is_active: bool = True,
) -> ReorderRule:
    """Keep `product` between `min_quantity` and `max_quantity` in a warehouse (empty code:
    the default one), ordering from `party` or the product's preferred supplier."""
    check(actor, CHANGE)
    errors: dict[str, list[str]] = {}
    product = _product(product, errors)
    low = _decimal(min_quantity, "min_quantity", errors)
    high = _decimal(max_quantity, "max_quantity", errors)
    if low is None and "min_quantity" not in errors:
        errors["min_quantity"] = [_("Enter a number.")]
    if high is None and "max_quantity" not in errors:
        errors["max_quantity"] = [_("Enter a number.")]
    if low is not None and high is not None:
        if low < 0:
            errors["min_quantity"] = [_("Enter zero or more.")]
        elif high < low or high <= 0:
            errors["max_quantity"] = [_("The maximum must be above zero and at least the minimum.")]
    supplier = resolve_supplier(party, errors) if party not in (None, "") else None
    warehouses = inventory_queries.warehouses()
    code = (warehouse_code or "").strip()
    warehouse = (
        warehouses.filter(code__iexact=code).first()
        if code
        else warehouses.filter(is_default=True).first()
    )
    if warehouse is None:
        errors["warehouse_code"] = [_("There is no warehouse “%(code)s”.") % {"code": code}]
    _raise(errors)
    rule = ReorderRule.objects.filter(product=product, warehouse=warehouse).first()
    before = audit.snapshot(rule) if rule else {}
    rule = rule or ReorderRule(product=product, warehouse=warehouse)
    rule.min_quantity = low.quantize(QTY)  # type: ignore[union-attr]
    rule.max_quantity = high.quantize(QTY)  # type: ignore[union-attr]
    rule.party = supplier
    rule.is_active = bool(is_active)
    rule.save()
    audit.record(
        "update" if before else "create",
        rule,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(rule)),
    )
    return rule


@transaction.atomic
def delete_reorder_rule(rule: ReorderRule | int, *, actor) -> None:
    check(actor, CHANGE)
    pk = rule.pk if isinstance(rule, ReorderRule) else int(rule)
    row = ReorderRule.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("There is no reorder rule with this id."))
    audit.record("delete", row, actor=actor, changes=audit.diff(audit.snapshot(row), {}))
    row.delete()


@transaction.atomic
def replenish(*, actor, rule_ids=None) -> dict[str, Any]:
    """Draft purchase orders for everything below its minimum (the active rules, or those
    in `rule_ids`), one per supplier and warehouse, each line ordering up to the maximum
    at the supplier's price, expected after the supplier's lead time. Rules without a
    supplier are skipped and reported. Returns {"orders": [...], "skipped": [rule ids]}."""
    from samspill.purchasing import queries

    check(actor, ADD)
    groups: dict[tuple[int, str], list[dict[str, Any]]] = defaultdict(list)
    skipped = []
    today = timezone.localdate()
    for row in queries.replenishment(rule_ids=rule_ids, below_only=True):
        if row.supplier is None:
            skipped.append(row.rule.pk)
            continue
        groups[(row.supplier.pk, row.rule.warehouse.code)].append(
            {
                "product_id": row.rule.product_id,
                "quantity": row.quantity,
                "unit_price": row.price,
                "expected_date": today + timedelta(days=row.lead_time_days),
            }
        )
    orders: list[PurchaseOrder] = []
    for (party_id, code), lines in sorted(groups.items()):
        orders.append(
            create_order(
                actor=actor,
                party=party_id,
                lines=lines,
                warehouse_code=code,
                expected_date=max(line["expected_date"] for line in lines),
                notes=_("Replenishment: ordered up to the maximum of the reorder rules."),
            )
        )
    return {"orders": orders, "skipped": skipped}


def nightly() -> int:
    """Housekeeping job: once a day, from SAMSPILL["REPLENISH_HOUR"] (local time; -1:
    off), run the replenishment as the system. Returns how many orders it made."""
    hour = int(getattr(settings, "SAMSPILL", {}).get("REPLENISH_HOUR", -1))
    if hour < 0:
        return 0
    now = timezone.localtime()
    if now.hour < hour:
        return 0
    today = now.date()
    if ReplenishmentRun.objects.filter(day=today).exists():
        return 0
    try:
        with transaction.atomic():
            run = ReplenishmentRun.objects.create(day=today)
            result = replenish(actor=None)
            run.orders = len(result["orders"])
            run.save(update_fields=["orders"])
    except IntegrityError:  # another worker ran it
        return 0
    return run.orders
