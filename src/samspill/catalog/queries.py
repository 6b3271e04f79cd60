"""Read side of the catalog: lists, lookups, search and the price of a product.

Other domains (sales, purchasing, inventory, invoicing) read the catalog through this
module, never through the models' managers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.catalog.models import (
    BASE_CURRENCY,
    Category,
    PriceList,
    PriceListItem,
    Product,
    Unit,
    money,
    validate_currency,
)
from samspill.platform.errors import DomainError, NotFound, ValidationFailed
from samspill.platform.permissions import VIEW, restrict

MAX_QUANTITY = Decimal("99999999999.999")


class NoPrice(DomainError):
    """No price can be given in the asked currency (only NOK falls back to the base price)."""

    status = 422
    code = "no_price"
    title = gettext_lazy("There is no price for this product")


# --- Products ------------------------------------------------------------------------------


def product_list(user=None) -> QuerySet[Product]:
    """Products with what list pages and the API show, in a fixed number of queries."""
    return restrict(Product.objects.select_related("unit", "category"), user, VIEW)


def get_product(user, pk) -> Product:
    product = product_list(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if product is None:
        raise NotFound(_("There is no product with this id."))
    return product


def get_product_by_sku(user, sku: str) -> Product:
    from samspill.catalog.models import normalize_sku

    product = product_list(user).filter(sku=normalize_sku(sku)).first()
    if product is None:
        raise NotFound(_("There is no product with this SKU."))
    return product


def search_condition(q: str) -> Q:
    q = q.strip()
    condition = (
        Q(sku__icontains=q.replace(" ", "-")) | Q(name_nb__icontains=q) | Q(name_en__icontains=q)
    )
    digits = q.replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        condition |= Q(barcode__startswith=digits)
    return condition


def search(user, q: str, limit: int = 10) -> list[Product]:
    """Products whose SKU, name (either language) or barcode matches; exact SKU and
    barcode hits first, active before archived."""
    q = (q or "").strip()
    if not q:
        return []
    rows = list(
        product_list(user).filter(search_condition(q)).order_by("-is_active", "sku")[: limit * 3]
    )
    exact = q.upper().replace(" ", "-")
    rows.sort(key=lambda p: (p.sku != exact and p.barcode != q, not p.is_active, p.sku))
    return rows[:limit]


def units() -> QuerySet[Unit]:
    return Unit.objects.all()


def categories() -> list[Category]:
    """All categories with their parents loaded, sorted by path."""
    rows = {c.pk: c for c in Category.objects.all()}
    for category in rows.values():
        if category.parent_id:
            category.parent = rows.get(category.parent_id)
    return sorted(rows.values(), key=lambda c: c.path.lower())


def product_counts() -> dict[str, int]:
    from django.db.models import Count

    return Product.objects.aggregate(
        total=Count("id"), active=Count("id", filter=Q(is_active=True))
    )


# --- Price lists ---------------------------------------------------------------------------


def price_list_list(user=None) -> QuerySet[PriceList]:
    from django.db.models import Count

    return restrict(PriceList.objects.annotate(item_count=Count("items")), user, VIEW)


def get_price_list(user, pk) -> PriceList:
    price_list = (
        restrict(PriceList.objects.all(), user, VIEW).filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if price_list is None:
        raise NotFound(_("There is no price list with this id."))
    return price_list


def price_list_items(price_list: PriceList) -> QuerySet[PriceListItem]:
    return price_list.items.select_related("product", "product__unit").order_by(
        "product__sku", "min_quantity"
    )


def product_prices(product: Product) -> QuerySet[PriceListItem]:
    """The breaks of a product on every price list."""
    return product.price_items.select_related("price_list").order_by(
        "price_list__name", "min_quantity"
    )


# --- Prices --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    """The price of a quantity of a product, as price_for() found it."""

    product_id: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    currency: str
    source: str  # "price_list" or "base"
    price_list_id: int | None = None
    price_list_name: str = ""
    min_quantity: Decimal | None = None
    vat_category: str = ""

    @property
    def amount(self) -> Decimal:
        """quantity × unit price, rounded to the minor unit (ROUND_HALF_UP)."""
        return money(self.quantity * self.unit_price)


def _quantity(value: Any) -> Decimal:
    try:
        quantity = (
            Decimal(str(value).replace(",", ".")) if not isinstance(value, Decimal) else value
        )
    except ArithmeticError:
        quantity = None
    if quantity is None or not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        raise ValidationFailed(
            _("The quantity must be a number greater than zero."),
            errors={"quantity": [_("The quantity must be a number greater than zero.")]},
        )
    return quantity


def _currency(value: str | None, price_list: PriceList | None) -> str:
    if value in (None, ""):
        return price_list.currency if price_list is not None else BASE_CURRENCY
    currency = str(value).strip().upper()
    try:
        validate_currency(currency)
    except Exception as exc:
        message = _("Choose a currency by its ISO 4217 code, such as NOK, EUR or SEK.")
        raise ValidationFailed(message, errors={"currency": [message]}) from exc
    if price_list is not None and price_list.currency != currency:
        message = _("The price list “%(name)s” is in %(currency)s.") % {
            "name": price_list.name,
            "currency": price_list.currency,
        }
        raise ValidationFailed(message, errors={"currency": [message]})
    return currency


def prices_for(
    lines: Sequence[tuple[Product, Any]],
    *,
    price_list: PriceList | None = None,
    on: date | None = None,
    currency: str | None = None,
) -> list[Price]:
    """The prices of several (product, quantity) lines at once, in one query: what an order
    or a quote with many lines needs. The rules are those of price_for()."""
    on = on or timezone.localdate()
    currency = _currency(currency, price_list)
    quantities = [_quantity(q) for _p, q in lines]
    lists: list[PriceList]
    if price_list is not None:
        lists = [price_list] if price_list.is_valid_on(on) else []
    elif currency != BASE_CURRENCY:
        lists = list(
            PriceList.objects.filter(currency=currency, is_active=True)
            .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        )
    else:
        lists = []
    best: dict[tuple[int, int], PriceListItem] = {}
    if lists and lines:
        rank = {pl.pk: (pl.valid_from or date.min, -pl.pk) for pl in lists}  # newer lists win a tie
        top = max(quantities)
        items = PriceListItem.objects.filter(
            price_list_id__in=list(rank),
            product_id__in={p.pk for p, _q in lines},
            min_quantity__lte=top,
        ).order_by("product_id", F("min_quantity").desc())
        by_product: dict[int, list[PriceListItem]] = {}
        for row in items:
            by_product.setdefault(row.product_id, []).append(row)
        for index, ((product, _q), quantity) in enumerate(zip(lines, quantities, strict=True)):
            candidates = [i for i in by_product.get(product.pk, []) if i.min_quantity <= quantity]
            if candidates:
                chosen = max(
                    candidates,
                    key=lambda i: (i.min_quantity, rank[i.price_list_id], -i.unit_price),
                )
                best[(index, product.pk)] = chosen
    names = {pl.pk: pl.name for pl in lists}
    result = []
    for index, ((product, _q), quantity) in enumerate(zip(lines, quantities, strict=True)):
        item: PriceListItem | None = best.get((index, product.pk))
        if item is not None:
            result.append(
                Price(
                    product_id=product.pk,
                    sku=product.sku,
                    quantity=quantity,
                    unit_price=item.unit_price,
                    currency=currency,
                    source="price_list",
                    price_list_id=item.price_list_id,
                    price_list_name=names[item.price_list_id],
                    min_quantity=item.min_quantity,
                    vat_category=product.vat_category,
                )
            )
        elif currency == BASE_CURRENCY:
            result.append(
                Price(
                    product_id=product.pk,
                    sku=product.sku,
                    quantity=quantity,
                    unit_price=product.sales_price,
                    currency=BASE_CURRENCY,
                    source="base",
                    vat_category=product.vat_category,
                )
            )
        else:
            raise NoPrice(
                _("There is no price in %(currency)s for %(sku)s on %(date)s.")
                % {"currency": currency, "sku": product.sku, "date": on.isoformat()},
                errors={"product": [_("No price in %(currency)s.") % {"currency": currency}]},
            )
    return result


def price_for(
    product: Product,
    quantity: Any = 1,
    *,
    price_list: PriceList | None = None,
    on: date | None = None,
    currency: str | None = None,
) -> Price:
    """The unit price of `quantity` of `product`.

    1. With `price_list`: if the list is active and valid on `on` (default today), the
       product's break with the largest "from quantity" that is not above `quantity` wins.
       `currency`, when given, must be the list's currency.
    2. Without a price list, in a currency other than NOK: the active price lists in that
       currency valid on `on` are searched the same way; if two lists have the same break,
       the one valid from the latest date wins (then the lower price).
    3. No break applies (product not on the list, quantity below its smallest break, list
       expired or inactive): in NOK, the product's base sales price; in another currency
       NoPrice is raised — the catalog never converts currencies.

    `quantity` is in the product's unit and must be greater than zero."""
    return prices_for([(product, quantity)], price_list=price_list, on=on, currency=currency)[0]


def price_lists_for_choice() -> Iterable[PriceList]:
    return PriceList.objects.filter(is_active=True).order_by("name")
