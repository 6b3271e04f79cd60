"""Validation, permissions, numbering and the stock engine shared by the inventory
commands. `apply_moves()` is the one place that writes stock moves and keeps the stock
levels (the summary of the moves) in step, in the caller's transaction."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.catalog import queries as catalog
from samspill.inventory.models import (
    MAX_QUANTITY,
    Location,
    Lot,
    LotLevel,
    ProductTracking,
    StockLevel,
    StockMove,
    Warehouse,
    qty,
)
from samspill.inventory.services import valuation, value_months
from samspill.platform.errors import Conflict, DomainError, NotFound, ValidationFailed
from samspill.platform.permissions import require

Errors = dict[str, list[str]]

VIEW_STOCK = "inventory.view_stocklevel"
ADJUST = "inventory.add_stockmove"
CHANGE_LOCATION = "inventory.add_location"
CHANGE_TRACKING = "inventory.change_producttracking"
HANDLE_DELIVERY = "inventory.change_delivery"
RECEIVE_RETURN = "inventory.add_delivery"
COUNT = "inventory.change_stockcount"
POST_COUNT = "inventory.post_stockcount"


class InsufficientStock(DomainError):
    status = 409
    code = "insufficient_stock"
    title = gettext_lazy("There is not enough stock")


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def fail(field: str, message: str, *, code: str = "validation_failed") -> NoReturn:
    raise ValidationFailed(message, code=code, errors={field: [message]})


def parse_quantity(
    value: Any, field: str = "quantity", *, signed: bool = False, zero: bool = False
) -> Decimal:
    """A quantity from a number or a text ("1,5" and "1.5"), at most three decimals, greater
    than zero (or, when `signed`, anything but zero)."""
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        fail(field, _("Enter a number."))
    if not number.is_finite():
        fail(field, _("Enter a number."))
    if number.normalize().as_tuple().exponent < -3:  # type: ignore[operator]
        fail(field, _("Use at most %(places)s decimals.") % {"places": 3})
    if abs(number) > MAX_QUANTITY:
        fail(field, _("This number is too large."))
    if zero:
        if number < 0:
            fail(field, _("Enter zero or more."))
    elif signed:
        if number == 0:
            fail(field, _("Enter a quantity other than zero."))
    elif number <= 0:
        fail(field, _("Enter a number greater than zero."))
    return qty(number)


def convert(product, quantity: Decimal, unit_code: str | None, field: str = "unit") -> Decimal:
    """`quantity` in unit `unit_code` expressed in the product's unit (catalog conversion),
    rounded to three decimals."""
    if not unit_code or unit_code == product.unit.code:
        return quantity
    unit = catalog.units().filter(code__iexact=unit_code).first()
    if unit is None:
        fail(field, _("There is no unit of measure “%(unit)s”.") % {"unit": unit_code})
    if unit.dimension != product.unit.dimension:
        fail(
            field,
            _("%(a)s cannot be converted to %(b)s.") % {"a": unit.name, "b": product.unit.name},
        )
    converted = qty(unit.convert(quantity, product.unit))
    if converted <= 0:
        fail(field, _("The quantity is too small for the product's unit."))
    return converted


def get_product(product_or_id):
    """A catalog product by instance or id (with its unit), or a validation error."""
    pk = getattr(product_or_id, "pk", product_or_id)
    product = catalog.product_list(None).filter(pk=pk).first() if str(pk).isdigit() else None
    if product is None:
        fail("product", _("There is no product with this id."))
    return product


def tracking_of(product_ids) -> dict[int, str]:
    """product id -> "none" | "lot" | "serial", in one query."""
    rows = dict(
        ProductTracking.objects.filter(product_id__in=set(product_ids)).values_list(
            "product_id", "tracking"
        )
    )
    return {pk: rows.get(pk, ProductTracking.Tracking.NONE) for pk in product_ids}


def resolve_lot(
    product, name: str | None, *, create: bool = False, field: str = "lot"
) -> Lot | None:
    """The lot (or serial number) `name` of a tracked product. Untracked products take no
    lot; tracked ones need one. Unknown lots are an error unless `create` (stock coming in)."""
    tracking = tracking_of([product.pk])[product.pk]
    name = (name or "").strip()
    if tracking == ProductTracking.Tracking.NONE:
        if name:
            fail(field, _("%(sku)s is not tracked by lot or serial number.") % {"sku": product.sku})
        return None
    if not name:
        message = (
            _("Enter the serial number of %(sku)s.")
            if tracking == ProductTracking.Tracking.SERIAL
            else _("Enter the lot of %(sku)s.")
        )
        fail(field, message % {"sku": product.sku})
    lot = Lot.objects.filter(product_id=product.pk, name=name).first()
    if lot is None:
        if not create:
            fail(
                field,
                _("%(sku)s has no lot or serial number “%(lot)s”.")
                % {"sku": product.sku, "lot": name},
                code="unknown_lot",
            )
        lot = Lot.objects.create(product_id=product.pk, name=name[:60])
    return lot


def next_number(instance, prefix: str) -> None:
    """Give a just-created row its number from its id (WH/OUT/00001): gap-free per kind is
    not required, unique and readable is."""
    instance.number = f"{prefix}{instance.pk:05d}"
    type(instance).objects.filter(pk=instance.pk).update(number=instance.number)


def temp_number() -> str:
    import uuid

    return "tmp-" + uuid.uuid4().hex[:16]


# --- Locations ---------------------------------------------------------------------------


VIRTUAL_LOCATIONS = [
    ("VIRTUELL/LEVERANDØR", "Leverandører", Location.Kind.SUPPLIER),
    ("VIRTUELL/KUNDE", "Kunder", Location.Kind.CUSTOMER),
    ("VIRTUELL/SVINN", "Lagersvinn", Location.Kind.LOSS),
    ("VIRTUELL/PRODUKSJON", "Produksjon", Location.Kind.PRODUCTION),
]


def ensure_setup() -> Warehouse:
    """The virtual locations and the default warehouse HOVED (view, stock and output
    locations). Idempotent; runs after every migrate and flush."""
    for code, name, kind in VIRTUAL_LOCATIONS:
        Location.objects.get_or_create(
            code=code, defaults={"name": name, "kind": kind, "allow_negative": True}
        )
    warehouse = Warehouse.objects.filter(is_default=True).first()
    if warehouse is not None:
        return warehouse
    view, _c = Location.objects.get_or_create(
        code="HOVED", defaults={"name": "Hovedlager", "kind": Location.Kind.VIEW}
    )
    stock, _c = Location.objects.get_or_create(
        code="HOVED/LAGER",
        defaults={"name": "Lager", "kind": Location.Kind.INTERNAL, "parent": view},
    )
    output, _c = Location.objects.get_or_create(
        code="HOVED/UT",
        defaults={"name": "Utlevering", "kind": Location.Kind.INTERNAL, "parent": view},
    )
    warehouse = Warehouse.objects.create(
        code="HOVED",
        name="Hovedlager",
        view_location=view,
        stock_location=stock,
        output_location=output,
        is_default=True,
    )
    Location.objects.filter(pk__in=[view.pk, stock.pk, output.pk]).update(warehouse=warehouse)
    return warehouse


def virtual(kind: str) -> Location:
    location = Location.objects.filter(kind=kind, parent__isnull=True).order_by("pk").first()
    if location is None:
        ensure_setup()
        location = Location.objects.filter(kind=kind).order_by("pk").first()
    if location is None:  # pragma: no cover - ensure_setup() creates every kind
        raise NotFound(_("There is no location of this kind."))
    return location


def get_warehouse(code: str | None = "") -> Warehouse:
    queryset = Warehouse.objects.select_related("stock_location", "output_location")
    warehouse = (
        queryset.filter(code__iexact=code).first()
        if code
        else queryset.filter(is_default=True).first()
    )
    if warehouse is None and not code:
        ensure_setup()
        warehouse = queryset.filter(is_default=True).first()
    if warehouse is None:
        raise NotFound(_("There is no warehouse “%(code)s”.") % {"code": code})
    return warehouse


def get_location(pk, field: str = "location") -> Location:
    location = Location.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if location is None:
        fail(field, _("There is no location with this id."))
    return location


# --- The stock engine ----------------------------------------------------------------------


def _lock_levels(keys) -> dict[tuple[int, int], StockLevel]:
    """The stock level rows of (product, location) keys, locked (FOR UPDATE), creating the
    missing ones. Locked in a fixed order so two transactions never wait on each other in
    a circle."""
    keys = sorted(set(keys))
    if not keys:
        return {}

    wanted = set(keys)

    def select():
        # product IN (...) AND location IN (...): a superset of the keys, kept flat for
        # SQLite's expression depth limit; the few extra rows are locked too, harmlessly.
        rows = (
            StockLevel.objects.select_for_update()
            .filter(product_id__in={p for p, _l in keys}, location_id__in={loc for _p, loc in keys})
            .order_by("product_id", "location_id")
        )
        return {
            (r.product_id, r.location_id): r
            for r in rows
            if (r.product_id, r.location_id) in wanted
        }

    levels = select()
    missing = [
        StockLevel(product_id=p, location_id=loc) for p, loc in keys if (p, loc) not in levels
    ]
    if missing:
        try:
            with transaction.atomic():
                StockLevel.objects.bulk_create(missing)
        except IntegrityError:
            pass  # created by a concurrent transaction in the meantime; read it locked below
        levels = select()
    return levels


def apply_moves(
    moves: list[StockMove],
    *,
    actor=None,
    check_negative: set[int] | None = None,
    counter_account: str | None = None,
) -> list[StockMove]:
    """Write done moves and update the stock levels (and lot levels) of both sides, in one
    batch; value them (unit cost, value, average cost) and book the document's ledger
    entry when accounting is set up (services.valuation). Raises InsufficientStock (and
    the caller's transaction rolls back) when an internal location that does not allow it
    would go below zero. Products whose ids are in `check_negative`=None are all checked;
    pass a set to check only those (consumables are shipped without a stock check).
    `counter_account`: the ledger account against stock instead of the usual one."""
    if not moves:
        return []
    now = timezone.now()
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    deltas: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    lot_deltas: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for move in moves:
        move.state = StockMove.State.DONE
        move.done_at = move.done_at or now
        move.created_by = user
        deltas[(move.product_id, move.from_location_id)] -= move.quantity
        deltas[(move.product_id, move.to_location_id)] += move.quantity
        if move.lot_id:
            lot_deltas[(move.lot_id, move.from_location_id)] -= move.quantity
            lot_deltas[(move.lot_id, move.to_location_id)] += move.quantity
    location_ids = {loc for _p, loc in deltas} | {loc for _l, loc in lot_deltas}
    locations = {loc.pk: loc for loc in Location.objects.filter(pk__in=location_ids)}
    kinds = {pk: loc.kind for pk, loc in locations.items()}
    valuation.value_moves(moves, kinds)  # before the levels change: receipts average on them
    StockMove.objects.bulk_create(moves, batch_size=1000)
    levels = _lock_levels(deltas)  # locks the products first: the summary below follows
    value_months.record(moves, kinds)
    for key, delta in deltas.items():
        levels[key].on_hand += delta
    StockLevel.objects.bulk_update(list(levels.values()), ["on_hand"], batch_size=1000)

    guarded = {pk for pk, loc in locations.items() if not loc.allow_negative}
    short = [
        level
        for key, level in levels.items()
        if key[1] in guarded
        and deltas[key] < 0
        and level.on_hand < 0
        and (check_negative is None or key[0] in check_negative)
    ]
    if short:
        level = short[0]
        product = get_product(level.product_id)
        raise InsufficientStock(
            _("There is not enough %(sku)s at %(location)s: %(missing)s %(unit)s missing.")
            % {
                "sku": product.sku,
                "location": locations[level.location_id].code,
                "missing": -level.on_hand,
                "unit": product.unit.code,
            },
            extra={"product_id": level.product_id, "location_id": level.location_id},
        )
    if lot_deltas:
        _apply_lot_deltas(lot_deltas, guarded)
    valuation.book(
        moves,
        kinds,
        description=moves[0].reference or moves[0].get_reason_display(),
        counter_account=counter_account,
    )
    return moves


def _apply_lot_deltas(lot_deltas: dict[tuple[int, int], Decimal], guarded: set[int]) -> None:
    keys = sorted(lot_deltas)
    wanted = set(keys)
    rows = {
        (r.lot_id, r.location_id): r
        for r in LotLevel.objects.select_for_update()
        .filter(lot_id__in={lot for lot, _l in keys}, location_id__in={loc for _l, loc in keys})
        .order_by("lot_id", "location_id")
        if (r.lot_id, r.location_id) in wanted
    }
    new = []
    for key in keys:
        row = rows.get(key)
        if row is None:
            row = LotLevel(lot_id=key[0], location_id=key[1], on_hand=Decimal(0))
            new.append(row)
        row.on_hand += lot_deltas[key]
        if key[1] in guarded and lot_deltas[key] < 0 and row.on_hand < 0:
            lot = Lot.objects.get(pk=key[0])
            raise InsufficientStock(
                _("Lot or serial number “%(lot)s” is not in stock there.") % {"lot": lot.name},
                code="lot_not_in_stock",
            )
    if rows:
        LotLevel.objects.bulk_update(list(rows.values()), ["on_hand"])
    if new:
        LotLevel.objects.bulk_create(new)


def conflict_if(condition: bool, message: str, code: str) -> None:
    if condition:
        raise Conflict(message, code=code)
