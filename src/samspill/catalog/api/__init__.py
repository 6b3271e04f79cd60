"""/api/v1/catalog: thin adapters over `services` and `queries`. Errors are DomainErrors,
turned into problem+json by the API root; every write is one service call (one
transaction), so a failed request writes nothing."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from ninja import File, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status

from samspill.catalog import queries, services
from samspill.catalog.api.schemas import (
    CategoryIn,
    CategoryOut,
    PriceListIn,
    PriceListItemOut,
    PriceListItemsIn,
    PriceListOut,
    PriceListPatch,
    PriceOut,
    PricesIn,
    ProductFilters,
    ProductImportOut,
    ProductIn,
    ProductOut,
    ProductPatch,
    UnitOut,
)
from samspill.catalog.filters import ProductFilterSet
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["catalog"])

VIEW = "catalog.view_product"
VIEW_PRICES = "catalog.view_pricelist"
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _category(category_id: int | None):
    if category_id is None:
        return None
    category = next((c for c in queries.categories() if c.pk == category_id), None)
    if category is None:
        raise ValidationFailed(errors={"category_id": [_("There is no such category.")]})
    return category


def _problem_fields(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Service field names as the API calls them."""
    rename = {"category": "category_id", "parent": "parent_id"}
    return {rename.get(k, k): v for k, v in errors.items()}


# --- Reference data ------------------------------------------------------------------------


@router.get("/units", response=list[UnitOut], summary="Units of measure")
def list_units(request):
    require(request.user, "catalog.view_unit")
    return list(queries.units())


@router.get("/categories", response=list[CategoryOut], summary="Product categories")
def list_categories(request):
    require(request.user, "catalog.view_category")
    return queries.categories()


@router.post("/categories", response={201: CategoryOut}, summary="Create a product category")
def create_category(request, payload: CategoryIn):
    require(request.user, "catalog.view_category")
    parent = _category(payload.parent_id)
    try:
        category = services.create_category(actor=request.user, name=payload.name, parent=parent)
    except ValidationFailed as exc:
        exc.errors = _problem_fields(exc.errors)
        raise
    return Status(201, category)


# --- Products ------------------------------------------------------------------------------


@router.get("/products", response=list[ProductOut], summary="List products")
@paginate
def list_products(request, filters: Query[ProductFilters]):
    require(request.user, VIEW)
    data = {k: v for k, v in filters.dict().items() if v is not None}
    if "active" in data:
        data["active"] = "true" if data["active"] else "false"
    filterset = ProductFilterSet(data, queryset=queries.product_list(request.user))
    if not filterset.is_valid():
        raise ValidationFailed(errors={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.order_by("sku", "id")


@router.post("/products", response={201: ProductOut}, summary="Create a product or service")
def create_product(request, payload: ProductIn):
    require(request.user, VIEW)
    data = payload.dict()
    data["category"] = _category(data.pop("category_id"))
    try:
        product = services.create_product(actor=request.user, **data)
    except ValidationFailed as exc:
        exc.errors = _problem_fields(exc.errors)
        raise
    return Status(201, queries.get_product(request.user, product.pk))


@router.post("/products/import", response=ProductImportOut, summary="Import products from CSV")
def import_products(request, file: File[UploadedFile], all_or_nothing: bool = False):
    """Columns: sku, name_nb, name_en, description, unit, product_type, category,
    sales_price, cost_price, vat_category, barcode, active. Existing SKUs are updated."""
    require(request.user, VIEW)
    if file.size and file.size > MAX_IMPORT_BYTES:
        raise ValidationFailed(errors={"file": [_("The file is larger than 5 MB.")]})
    result = services.import_products(
        actor=request.user, content=file.read(), all_or_nothing=all_or_nothing
    )
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "written": result.written,
        "errors": [{"row": e.row, "column": e.column, "message": e.message} for e in result.errors],
    }


@router.get("/products/{int:product_id}", response=ProductOut, summary="Get a product")
def get_product(request, product_id: int):
    require(request.user, VIEW)
    return queries.get_product(request.user, product_id)


@router.patch("/products/{int:product_id}", response=ProductOut, summary="Change a product")
def patch_product(request, product_id: int, payload: ProductPatch):
    require(request.user, VIEW)
    product = queries.get_product(request.user, product_id)
    changes = payload.dict(exclude_unset=True)
    if "category_id" in changes:
        changes["category"] = _category(changes.pop("category_id"))
    for key in [k for k, v in changes.items() if v is None and k != "category"]:
        raise ValidationFailed(errors={key: [_("This field cannot be empty.")]})
    try:
        services.update_product(actor=request.user, product=product, **changes)
    except ValidationFailed as exc:
        exc.errors = _problem_fields(exc.errors)
        raise
    return queries.get_product(request.user, product_id)


@router.post("/products/{int:product_id}/archive", response=ProductOut, summary="Archive a product")
def archive_product(request, product_id: int):
    require(request.user, VIEW)
    product = queries.get_product(request.user, product_id)
    services.archive_product(actor=request.user, product=product)
    return queries.get_product(request.user, product_id)


@router.post("/products/{int:product_id}/restore", response=ProductOut, summary="Restore a product")
def restore_product(request, product_id: int):
    require(request.user, VIEW)
    product = queries.get_product(request.user, product_id)
    services.restore_product(actor=request.user, product=product)
    return queries.get_product(request.user, product_id)


@router.delete(
    "/products/{int:product_id}",
    response={204: None},
    summary="Delete a product nothing refers to",
)
def delete_product(request, product_id: int):
    require(request.user, VIEW)
    services.delete_product(
        actor=request.user, product=queries.get_product(request.user, product_id)
    )
    return Status(204, None)


@router.get(
    "/products/{int:product_id}/prices",
    response=list[PriceListItemOut],
    summary="A product's quantity breaks on every price list",
)
def product_prices(request, product_id: int):
    require(request.user, VIEW_PRICES)
    return list(queries.product_prices(queries.get_product(request.user, product_id)))


# --- Price lists ---------------------------------------------------------------------------


@router.get("/price-lists", response=list[PriceListOut], summary="List price lists")
@paginate
def list_price_lists(request, active: bool | None = None, currency: str | None = None):
    require(request.user, VIEW_PRICES)
    rows = queries.price_list_list(request.user)
    if active is not None:
        rows = rows.filter(is_active=active)
    if currency:
        rows = rows.filter(currency=currency.upper())
    return rows.order_by("name", "id")


@router.post("/price-lists", response={201: PriceListOut}, summary="Create a price list")
def create_price_list(request, payload: PriceListIn):
    require(request.user, VIEW_PRICES)
    return Status(201, services.create_price_list(actor=request.user, **payload.dict()))


@router.get("/price-lists/{int:price_list_id}", response=PriceListOut, summary="Get a price list")
def get_price_list(request, price_list_id: int):
    require(request.user, VIEW_PRICES)
    return queries.get_price_list(request.user, price_list_id)


@router.patch(
    "/price-lists/{int:price_list_id}", response=PriceListOut, summary="Change a price list"
)
def patch_price_list(request, price_list_id: int, payload: PriceListPatch):
    require(request.user, VIEW_PRICES)
    price_list = queries.get_price_list(request.user, price_list_id)
    changes = payload.dict(exclude_unset=True)
    for key in ("name", "currency", "is_active"):
        if key in changes and changes[key] is None:
            raise ValidationFailed(errors={key: [_("This field cannot be empty.")]})
    if changes.get("notes", "") is None:
        changes["notes"] = ""
    return services.update_price_list(actor=request.user, price_list=price_list, **changes)


@router.delete(
    "/price-lists/{int:price_list_id}", response={204: None}, summary="Delete a price list"
)
def delete_price_list(request, price_list_id: int):
    require(request.user, VIEW_PRICES)
    price_list = queries.get_price_list(request.user, price_list_id)
    services.delete_price_list(actor=request.user, price_list=price_list)
    return Status(204, None)


@router.get(
    "/price-lists/{int:price_list_id}/items",
    response=list[PriceListItemOut],
    summary="Prices on a price list",
)
@paginate
def list_price_list_items(request, price_list_id: int, product_id: int | None = None):
    require(request.user, VIEW_PRICES)
    items = queries.price_list_items(queries.get_price_list(request.user, price_list_id))
    if product_id is not None:
        items = items.filter(product_id=product_id)
    return items


@router.put(
    "/price-lists/{int:price_list_id}/items",
    response=list[PriceListItemOut],
    summary="Set the quantity breaks of products on a price list (bulk)",
)
def set_price_list_items(request, price_list_id: int, payload: PriceListItemsIn):
    """Every product named in `items` (or in `products`) gets exactly the given breaks;
    with `replace_all`, products not named leave the list."""
    require(request.user, VIEW_PRICES)
    price_list = queries.get_price_list(request.user, price_list_id)
    services.set_price_list_items(
        actor=request.user,
        price_list=price_list,
        items=[item.dict() for item in payload.items],
        products=payload.products,
        replace_all=payload.replace_all,
    )
    return list(queries.price_list_items(price_list))


# --- Price lookup --------------------------------------------------------------------------


@router.get("/price", response=PriceOut, summary="The price of a quantity of a product")
def price(
    request,
    product: int,
    quantity: Decimal = Decimal("1"),
    price_list: int | None = None,
    date: date | None = None,
    currency: str | None = Query(None, max_length=3),
):
    """Most specific quantity break of the price list valid on `date`; NOK falls back to
    the product's base price, another currency without a price answers 422 `no_price`."""
    require(request.user, VIEW)
    try:
        item = queries.get_product(request.user, product)
    except NotFound as exc:
        raise ValidationFailed(
            errors={"product": [_("There is no product with this id.")]}
        ) from exc
    chosen = None
    if price_list is not None:
        require(request.user, VIEW_PRICES)
        try:
            chosen = queries.get_price_list(request.user, price_list)
        except NotFound as exc:
            raise ValidationFailed(
                errors={"price_list": [_("There is no price list with this id.")]}
            ) from exc
    result = queries.price_for(item, quantity, price_list=chosen, on=date, currency=currency)
    return {**result.__dict__, "amount": result.amount}


@router.post("/prices", response=list[PriceOut], summary="Price several lines at once")
def prices(request, payload: PricesIn):
    """The price of every (product, quantity) line of a quote or an order, by the rules of
    GET /price, in one lookup. Unknown products are reported as `lines.<index>.product_id`."""
    require(request.user, VIEW)
    ids = [line.product_id for line in payload.lines]
    products = {p.pk: p for p in queries.product_list(request.user).filter(pk__in=ids)}
    missing = {
        f"lines.{i}.product_id": [_("There is no product with this id.")]
        for i, pk in enumerate(ids)
        if pk not in products
    }
    if missing:
        raise ValidationFailed(errors=missing)
    chosen = None
    if payload.price_list is not None:
        require(request.user, VIEW_PRICES)
        try:
            chosen = queries.get_price_list(request.user, payload.price_list)
        except NotFound as exc:
            raise ValidationFailed(
                errors={"price_list": [_("There is no price list with this id.")]}
            ) from exc
    results = queries.prices_for(
        [(products[line.product_id], line.quantity) for line in payload.lines],
        price_list=chosen,
        on=payload.date,
        currency=payload.currency,
    )
    return [{**r.__dict__, "amount": r.amount} for r in results]
