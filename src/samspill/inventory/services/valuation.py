"""Stock valuation: every done move carries its unit cost and value; the moving weighted
average cost per product (company-wide) takes in each receipt at its purchase price; and
when accounting is set up, each business document that moves stock books one ledger
entry (receipt Dr 1460 / Cr 2985, delivery Dr 4300 / Cr 1460, return the other way,
adjustments and counts 1460 against 4390; a production order's components out and
finished goods in, both against 4300 at the same value, net to nothing and book nothing).

Both run inside `apply_moves`, in the caller's transaction: a move and its value, the
average cost and the ledger entry commit together or not at all."""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils import timezone

from samspill.catalog import queries as catalog
from samspill.inventory.models import Location, ProductCost, StockLevel, StockMove

COST = Decimal("0.0001")
CENT = Decimal("0.01")
ZERO = Decimal(0)

STOCK_ACCOUNT = "1460"  # Varelager, handelsvarer
COGS_ACCOUNT = "4300"  # Innkjøp av handelsvarer (cost of goods sold)
RECEIVED_NOT_BILLED = "2985"  # Varer mottatt, ikke fakturert
SHRINKAGE_ACCOUNT = "4390"  # Varesvinn og telleforskjeller
LEDGER_ACCOUNTS = (STOCK_ACCOUNT, COGS_ACCOUNT, RECEIVED_NOT_BILLED, SHRINKAGE_ACCOUNT)
JOURNAL = "GEN"

# The account on the other side of 1460 for a move between an internal location and a
# virtual one of this kind.
COUNTER_ACCOUNT: dict[str, str] = {
    Location.Kind.SUPPLIER: RECEIVED_NOT_BILLED,
    Location.Kind.CUSTOMER: COGS_ACCOUNT,
    Location.Kind.LOSS: SHRINKAGE_ACCOUNT,
    Location.Kind.PRODUCTION: COGS_ACCOUNT,
}


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def cost(value) -> Decimal:
    return Decimal(value).quantize(COST, rounding=ROUND_HALF_UP)


def _is_receipt(move: StockMove, kinds: dict[int, str]) -> bool:
    return (
        kinds[move.from_location_id] == Location.Kind.SUPPLIER
        and kinds[move.to_location_id] == Location.Kind.INTERNAL
        and move.unit_cost is not None
    )


def _is_produced(move: StockMove, kinds: dict[int, str]) -> bool:
    """Finished goods of a production order coming into stock: valued at what the
    order's components were worth."""
    return (
        kinds[move.from_location_id] == Location.Kind.PRODUCTION
        and kinds[move.to_location_id] == Location.Kind.INTERNAL
        and move.production_id is not None
    )


def _is_consumed(move: StockMove, kinds: dict[int, str]) -> bool:
    return (
        kinds[move.from_location_id] == Location.Kind.INTERNAL
        and kinds[move.to_location_id] == Location.Kind.PRODUCTION
        and move.production_id is not None
    )


def value_moves(moves: list[StockMove], kinds: dict[int, str]) -> None:
    """Give each move (not yet written) its unit cost and value. A receipt's move brings
    its purchase price (set by the caller) and updates the product's average cost:
    (on hand × average + quantity × price) / (on hand + quantity), on hand counted over
    every internal location before the receipt. Finished goods of a production order
    come in at exactly the value of the components it consumed in the same batch (their
    unit cost = that value / quantity produced) and are mixed into the average the same
    way. Every other move takes the average (the catalog's cost price until the first
    receipt)."""
    product_ids = {move.product_id for move in moves}
    receiving = {
        move.product_id for move in moves if _is_receipt(move, kinds) or _is_produced(move, kinds)
    }
    costs = (
        {
            row.product_id: row
            for row in ProductCost.objects.filter(product_id__in=product_ids).select_for_update()
        }
        if receiving
        else {row.product_id: row for row in ProductCost.objects.filter(product_id__in=product_ids)}
    )
    missing = product_ids - set(costs)
    fallback = (
        dict(catalog.product_list(None).filter(pk__in=missing).values_list("pk", "cost_price"))
        if missing
        else {}
    )
    on_hand: dict[int, Decimal] = {}
    if receiving:
        on_hand = dict(
            StockLevel.objects.filter(
                product_id__in=receiving, location__kind=Location.Kind.INTERNAL
            )
            .values("product_id")
            .annotate(total=Sum("on_hand"))
            .values_list("product_id", "total")
        )
    average = {pk: row.average_cost for pk, row in costs.items()}
    for pk in missing:
        average[pk] = cost(fallback.get(pk) or ZERO)
    changed: set[int] = set()
    for move in moves:
        pk = move.product_id
        if _is_receipt(move, kinds):
            price = cost(move.unit_cost)  # type: ignore[arg-type]
            held = max(on_hand.get(pk) or ZERO, ZERO)
            total = held + move.quantity
            average[pk] = cost((held * average[pk] + move.quantity * price) / total)
            on_hand[pk] = total
            move.unit_cost = price
            changed.add(pk)
        elif _is_produced(move, kinds):
            continue  # valued below, once every component has its value
        else:
            move.unit_cost = average[pk]
        move.value = money(move.quantity * move.unit_cost)
    for move in moves:
        if not _is_produced(move, kinds):
            continue
        pk = move.product_id
        consumed = sum(
            (
                other.value or ZERO
                for other in moves
                if other.production_id == move.production_id and _is_consumed(other, kinds)
            ),
            ZERO,
        )
        held = max(on_hand.get(pk) or ZERO, ZERO)
        total = held + move.quantity
        average[pk] = cost((held * average[pk] + consumed) / total)
        on_hand[pk] = total
        move.unit_cost = cost(consumed / move.quantity)
        move.value = money(consumed)
        changed.add(pk)
    if changed:
        update = [costs[pk] for pk in changed if pk in costs]
        for row in update:
            row.average_cost = average[row.product_id]
        if update:
            ProductCost.objects.bulk_update(update, ["average_cost", "updated_at"])
        new = [
            ProductCost(product_id=pk, average_cost=average[pk])
            for pk in changed
            if pk not in costs
        ]
        if new:
            ProductCost.objects.bulk_create(new)


def ledger_lines(
    moves: list[StockMove], kinds: dict[int, str], counter_account: str | None = None
) -> list[dict]:
    """The balanced lines of the ledger entry for these moves: the stock account against
    the account of each virtual location's kind (or `counter_account` for all of them),
    netted per account; [] when nothing is worth booking (moves inside the warehouse, zero
    values)."""
    net: dict[str, Decimal] = defaultdict(Decimal)
    for move in moves:
        src, dst = kinds[move.from_location_id], kinds[move.to_location_id]
        value = move.value or ZERO
        if src == Location.Kind.INTERNAL and dst in COUNTER_ACCOUNT:
            net[counter_account or COUNTER_ACCOUNT[dst]] += value
            net[STOCK_ACCOUNT] -= value
        elif dst == Location.Kind.INTERNAL and src in COUNTER_ACCOUNT:
            net[STOCK_ACCOUNT] += value
            net[counter_account or COUNTER_ACCOUNT[src]] -= value
    lines = []
    for account in sorted(net):
        amount = net.get(account, ZERO)
        if amount > 0:
            lines.append({"account": account, "debit": amount})
        elif amount < 0:
            lines.append({"account": account, "credit": -amount})
    return lines


def ledger_ready(day) -> bool:
    """Accounting is set up for `day`: the accounts and the journal exist and a fiscal
    year covers the day (two queries)."""
    from samspill.accounting import queries as accounting

    if not accounting.fiscal_years().filter(start__lte=day, end__gte=day).exists():
        return False
    found = accounting.accounts().filter(number__in=LEDGER_ACCOUNTS).count()
    return found == len(LEDGER_ACCOUNTS) and accounting.journals().filter(code=JOURNAL).exists()


def book(
    moves: list[StockMove],
    kinds: dict[int, str],
    *,
    description: str,
    counter_account: str | None = None,
) -> None:
    """One posted ledger entry for the moves of one business document, when accounting is
    set up (a system entry: the person moving stock needs no accounting permission).
    `counter_account` books the other side somewhere else than the usual account (the
    demo's opening stock against 4300, the change in stock)."""
    lines = ledger_lines(moves, kinds, counter_account)
    if not lines:
        return
    day = timezone.localdate()
    if not ledger_ready(day):
        return
    from samspill.accounting import services as accounting

    accounting.create_entry(
        actor=None,
        journal=JOURNAL,
        date=day,
        lines=lines,
        description=description[:200],
        post=True,
    )
