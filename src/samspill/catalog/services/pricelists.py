"""Price lists and their quantity breaks."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.catalog import events
from samspill.catalog.models import BASE_CURRENCY, PriceList, PriceListItem, Product
from samspill.catalog.services.common import (
    ADD_PRICELIST,
    CHANGE_PRICELIST,
    Errors,
    add_error,
    check,
    full_clean,
    merge,
    parse_decimal,
    raise_if,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish

PRICE_LIST_FIELDS = ("name", "currency", "valid_from", "valid_to", "is_active", "notes")
MAX_QUANTITY = Decimal("99999999999.999")


def _assign(price_list: PriceList, data: Mapping[str, Any]) -> None:
    for field, value in data.items():
        if field == "currency":
            value = (value or "").strip().upper()
        elif field in ("name", "notes"):
            value = (value or "").strip()
        elif field == "is_active":
            value = bool(value)
        setattr(price_list, field, value)


def _validate(price_list: PriceList, errors: Errors) -> None:
    full_clean(price_list, errors)
    if "__all__" in errors:  # the date-order constraint: show it on the end date
        errors.setdefault("valid_to", []).extend(errors.pop("__all__"))
        errors["valid_to"] = list(dict.fromkeys(errors["valid_to"]))


@transaction.atomic
def create_price_list(
    *,
    actor,
    name: str,
    currency: str = BASE_CURRENCY,
    valid_from: date | None = None,
    valid_to: date | None = None,
    is_active: bool = True,
    notes: str = "",
) -> PriceList:
    """Create a price list (prices are added with set_price_list_items).
    Publishes catalog.pricelist.created."""
    check(actor, ADD_PRICELIST)
    errors: Errors = {}
    price_list = PriceList()
    _assign(
        price_list,
        {
            "name": name,
            "currency": currency,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "is_active": is_active,
            "notes": notes,
        },
    )
    _validate(price_list, errors)
    raise_if(errors)
    price_list.save()
    audit.record("create", price_list, actor=actor, changes=audit.diff({}, _snapshot(price_list)))
    publish(
        events.PriceListCreated(
            price_list_id=price_list.pk, name=price_list.name, currency=price_list.currency
        ),
        actor=actor,
    )
    return price_list


def _snapshot(price_list: PriceList) -> dict[str, Any]:
    return audit.snapshot(price_list, exclude=("created_at", "updated_at"))


@transaction.atomic
def update_price_list(*, actor, price_list: PriceList, **changes) -> PriceList:
    """Change name, currency, validity dates, active flag or notes. The currency of a list
    that has prices cannot change (its prices are in that currency).
    Publishes catalog.pricelist.updated; nothing when nothing changed."""
    unknown = set(changes) - set(PRICE_LIST_FIELDS)
    if unknown:
        raise TypeError(f"update_price_list() got unknown fields: {sorted(unknown)}")
    check(actor, CHANGE_PRICELIST)
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    before = _snapshot(price_list)
    errors: Errors = {}
    _assign(price_list, changes)
    _validate(price_list, errors)
    if (
        "currency" not in errors
        and price_list.currency != before["currency"]
        and price_list.items.exists()
    ):
        add_error(
            errors,
            "currency",
            _(
                "This price list has prices in %(currency)s. Create a new price list for "
                "another currency."
            )
            % {"currency": before["currency"]},
        )
    raise_if(errors)
    changed = audit.diff(before, _snapshot(price_list))
    if not changed:
        return price_list
    price_list.save()
    audit.record("update", price_list, actor=actor, changes=changed)
    publish(
        events.PriceListUpdated(
            price_list_id=price_list.pk, name=price_list.name, fields=sorted(changed)
        ),
        actor=actor,
    )
    return price_list


def _product_key(data: Mapping[str, Any]) -> tuple[str, Any]:
    if data.get("product") is not None:
        product = data["product"]
        return ("pk", product.pk if isinstance(product, Product) else product)
    if data.get("product_id") is not None:
        return ("pk", data["product_id"])
    return ("sku", str(data.get("sku") or "").strip().upper())


def _breaks(items: Iterable[PriceListItem]) -> list[list[str]]:
    return [
        [str(i.min_quantity), str(i.unit_price)]
        for i in sorted(items, key=lambda i: i.min_quantity)
    ]


@transaction.atomic
def set_price_list_items(
    *,
    actor,
    price_list: PriceList,
    items: Iterable[Mapping[str, Any]],
    products: Iterable[Product | int] = (),
    replace_all: bool = False,
) -> list[PriceListItem]:
    """Set the quantity breaks of products on a price list, in bulk.

    `items` are mappings with `product` (a Product or id), `product_id` or `sku`, and
    `min_quantity` (default 1) and `unit_price` in the list's currency. Every product named
    in `items` or `products` gets exactly the given breaks (none: it leaves the list); with
    `replace_all`, products not named lose their prices on this list. Errors are keyed
    `items.<index>.<field>`; nothing is written when one item is wrong.
    Publishes catalog.pricelist.updated listing the products whose prices changed."""
    check(actor, CHANGE_PRICELIST)
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    rows = [dict(item) for item in items]
    errors: Errors = {}
    keys = [_product_key(row) for row in rows]
    ids = {value for kind, value in keys if kind == "pk"}
    ids |= {p.pk if isinstance(p, Product) else p for p in products}
    skus = {value for kind, value in keys if kind == "sku" and value}
    found: dict[tuple[str, Any], Product] = {}
    query = Product.objects.filter(pk__in=[i for i in ids if isinstance(i, int)])
    if skus:
        query = query | Product.objects.filter(sku__in=skus)
    for match in query.only("pk", "sku"):
        found[("pk", match.pk)] = match
        found[("sku", match.sku)] = match
    wanted: list[PriceListItem] = []
    seen: set[tuple[int, Decimal]] = set()
    for index, (row, key) in enumerate(zip(rows, keys, strict=True)):
        prefix = f"items.{index}."
        item_errors: Errors = {}
        product: Product | None = found.get(key)
        if product is None:
            add_error(item_errors, "product", _("There is no such product."))
        raw_quantity = row.get("min_quantity")
        quantity = parse_decimal(
            Decimal("1") if raw_quantity in (None, "") else raw_quantity,
            "min_quantity",
            item_errors,
            places=3,
            maximum=MAX_QUANTITY,
        )
        price = parse_decimal(row.get("unit_price"), "unit_price", item_errors)
        if product is not None and quantity is not None:
            if (product.pk, quantity) in seen:
                add_error(
                    item_errors,
                    "min_quantity",
                    _("This product already has a price from this quantity."),
                )
            seen.add((product.pk, quantity))
        if item_errors:
            merge(errors, {prefix + field: msgs for field, msgs in item_errors.items()})
            continue
        assert product is not None and quantity is not None and price is not None
        wanted.append(
            PriceListItem(
                price_list=price_list, product=product, min_quantity=quantity, unit_price=price
            )
        )
    missing_ids = [i for i in ids - {p.pk for p in found.values()} if ("pk", i) not in keys]
    if missing_ids:
        add_error(errors, "products", _("There is no such product."))
    raise_if(errors)

    affected = {item.product_id for item in wanted} | {
        p.pk if isinstance(p, Product) else p for p in products
    }
    existing = PriceListItem.objects.filter(price_list=price_list)
    if not replace_all:
        existing = existing.filter(product_id__in=affected)
    old_items = list(
        existing.select_related("product").only(
            "id", "product_id", "product__sku", "min_quantity", "unit_price"
        )
    )
    before: dict[int, list[PriceListItem]] = defaultdict(list)
    after: dict[int, list[PriceListItem]] = defaultdict(list)
    skus_by_id = {p.pk: p.sku for p in found.values()}
    for item in old_items:
        before[item.product_id].append(item)
        skus_by_id[item.product_id] = item.product.sku
    for item in wanted:
        after[item.product_id].append(item)
    changes = {
        f"prices {skus_by_id[pid]}": [_breaks(before[pid]), _breaks(after[pid])]
        for pid in sorted(before.keys() | after.keys())
        if _breaks(before[pid]) != _breaks(after[pid])
    }
    if not changes:
        return list(PriceListItem.objects.filter(price_list=price_list))
    existing.filter(pk__in=[i.pk for i in old_items]).delete()
    PriceListItem.objects.bulk_create(wanted, batch_size=1000)
    PriceList.objects.filter(pk=price_list.pk).update(updated_at=timezone.now())
    audit.record("update", price_list, actor=actor, changes=changes)
    changed_products = sorted(
        pid for pid in before.keys() | after.keys() if _breaks(before[pid]) != _breaks(after[pid])
    )
    publish(
        events.PriceListUpdated(
            price_list_id=price_list.pk,
            name=price_list.name,
            fields=["prices"],
            product_ids=changed_products,
        ),
        actor=actor,
    )
    return list(PriceListItem.objects.filter(price_list=price_list))


@transaction.atomic
def delete_price_list(*, actor, price_list: PriceList) -> None:
    """Delete a price list with its prices. Deactivate it instead to keep its history."""
    check(actor, CHANGE_PRICELIST)
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    if price_list.is_active:
        raise Conflict(
            _("Deactivate the price list before you delete it."), code="pricelist_active"
        )
    label, pk = str(price_list), price_list.pk
    snapshot = _snapshot(price_list)
    price_list.delete()
    price_list.pk = pk
    audit.record(
        "delete", price_list, actor=actor, changes=audit.diff(snapshot, {}), object_repr=label
    )
