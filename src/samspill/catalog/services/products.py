"""Create, change, archive, restore and delete products; product categories."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from samspill.catalog import events
from samspill.catalog.models import (
    Category,
    Product,
    Unit,
    VatCategory,
    clean_barcode,
    normalize_sku,
)
from samspill.catalog.services.common import (
    ADD_CATEGORY,
    ADD_PRODUCT,
    CHANGE_CATEGORY,
    CHANGE_PRODUCT,
    DELETE_PRODUCT,
    PRICE_FIELDS,
    PRICE_PRODUCT,
    Errors,
    add_error,
    check,
    full_clean,
    parse_decimal,
    product_snapshot,
    raise_if,
    resolve_category,
    resolve_unit,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict, PermissionDenied
from samspill.platform.events import publish
from samspill.platform.permissions import allowed

PRODUCT_FIELDS = (
    "sku",
    "name_nb",
    "name_en",
    "description",
    "product_type",
    "unit",
    "category",
    "sales_price",
    "cost_price",
    "vat_category",
    "barcode",
)
SKU_TAKEN = "sku_taken"


def _price_denied() -> PermissionDenied:
    return PermissionDenied(
        _("Only users who may set prices (finance) can set sales and cost prices.")
    )


def _assign(product: Product, data: Mapping[str, Any], errors: Errors) -> None:
    """Set product fields from input, normalising SKU, barcode, prices and references."""
    for field, value in data.items():
        if field == "sku":
            value = normalize_sku(value)
            if not value:
                add_error(errors, "sku", _("This field is required."))
        elif field == "barcode":
            try:
                value = clean_barcode(value or "")
            except ValidationError as exc:
                add_error(errors, "barcode", " ".join(exc.messages))
                value = ""
        elif field in PRICE_FIELDS:
            value = parse_decimal(value, field, errors)
            if value is None:
                continue
        elif field == "unit":
            value = resolve_unit(value, errors)
            if value is None:
                continue
        elif field == "category":
            value = resolve_category(value, errors)
        elif isinstance(value, str):
            value = value.strip()
        elif value is None:
            value = ""
        setattr(product, field, value)


def _validate(product: Product, errors: Errors) -> None:
    exclude = [f for f in ("sku", "barcode", "unit", *PRICE_FIELDS) if f in errors]
    full_clean(product, errors, exclude=exclude or None, constraints=False, unique=False)
    if "sku" not in errors and product.sku:
        taken = Product.objects.filter(sku=product.sku).exclude(pk=product.pk).exists()
        if taken:
            add_error(errors, "sku", _("Another product has this SKU."))
    if "barcode" not in errors and product.barcode:
        taken = Product.objects.filter(barcode=product.barcode).exclude(pk=product.pk).exists()
        if taken:
            add_error(errors, "barcode", _("Another product has this barcode."))


def _save(product: Product) -> None:
    """Save; a SKU or barcode taken by a concurrent request in the meantime is a conflict."""
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError as exc:
        raise Conflict(_("Another product has this SKU or barcode."), code="product_taken") from exc


def _created(product: Product, actor) -> None:
    audit.record("create", product, actor=actor, changes=audit.diff({}, product_snapshot(product)))
    publish(
        events.ProductCreated(
            product_id=product.pk,
            sku=product.sku,
            name=product.name_nb or product.name_en,
            product_type=product.product_type,
            vat_category=product.vat_category,
            sales_price=str(product.sales_price),
        ),
        actor=actor,
    )


@transaction.atomic
def create_product(
    *,
    actor,
    sku: str,
    unit: Unit | str | int,
    name_nb: str = "",
    name_en: str = "",
    description: str = "",
    product_type: str = Product.Type.STOCKABLE,
    category: Category | int | None = None,
    sales_price: Decimal | str | int = Decimal("0"),
    cost_price: Decimal | str | int = Decimal("0"),
    vat_category: str = VatCategory.STANDARD,
    barcode: str = "",
    is_active: bool = True,
) -> Product:
    """Add a product or a service. Setting a price or cost other than zero needs the price
    permission (finance). Publishes catalog.product.created."""
    check(actor, ADD_PRODUCT)
    errors: Errors = {}
    product = Product(is_active=bool(is_active))
    _assign(
        product,
        {
            "sku": sku,
            "name_nb": name_nb,
            "name_en": name_en,
            "description": description,
            "product_type": product_type,
            "unit": unit,
            "category": category,
            "sales_price": sales_price,
            "cost_price": cost_price,
            "vat_category": vat_category,
            "barcode": barcode,
        },
        errors,
    )
    _validate(product, errors)
    raise_if(errors)
    priced = product.sales_price or product.cost_price
    if actor is not None and priced and not allowed(actor, PRICE_PRODUCT):
        raise _price_denied()
    _save(product)
    _created(product, actor)
    return product


def _lock(product: Product) -> Product:
    return (
        Product.objects.select_for_update(of=("self",))
        .select_related("unit", "category")
        .get(pk=product.pk)
    )


@transaction.atomic
def update_product(*, actor, product: Product, **changes) -> Product:
    """Change fields of a product (any of PRODUCT_FIELDS). Prices and cost need the price
    permission, the other fields the change permission. Publishes catalog.product.updated
    with the changed fields; nothing when nothing changed."""
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise TypeError(f"update_product() got unknown fields: {sorted(unknown)}")
    product = _lock(product)
    before = product_snapshot(product)
    errors: Errors = {}
    _assign(product, changes, errors)
    _validate(product, errors)
    raise_if(errors)
    changed = audit.diff(before, product_snapshot(product))
    if not changed:
        return product
    if actor is not None:
        if set(changed) & set(PRICE_FIELDS) and not allowed(actor, PRICE_PRODUCT):
            raise _price_denied()
        if set(changed) - set(PRICE_FIELDS):
            check(actor, CHANGE_PRODUCT)
    _save(product)
    audit.record("update", product, actor=actor, changes=changed)
    publish(
        events.ProductUpdated(product_id=product.pk, sku=product.sku, fields=sorted(changed)),
        actor=actor,
    )
    return product


@transaction.atomic
def archive_product(*, actor, product: Product) -> Product:
    """Stop selling a product: it stays on past orders and invoices but is no longer offered.
    Publishes catalog.product.archived."""
    check(actor, CHANGE_PRODUCT)
    product = _lock(product)
    if not product.is_active:
        raise Conflict(_("This product is already archived."), code="product_archived")
    product.is_active = False
    product.save(update_fields=["is_active", "updated_at"])
    audit.record("update", product, actor=actor, changes={"is_active": [True, False]})
    publish(events.ProductArchived(product_id=product.pk, sku=product.sku), actor=actor)
    return product


@transaction.atomic
def restore_product(*, actor, product: Product) -> Product:
    """Offer an archived product again. Publishes catalog.product.restored."""
    check(actor, CHANGE_PRODUCT)
    product = _lock(product)
    if product.is_active:
        raise Conflict(_("This product is not archived."), code="product_active")
    product.is_active = True
    product.save(update_fields=["is_active", "updated_at"])
    audit.record("update", product, actor=actor, changes={"is_active": [False, True]})
    publish(events.ProductRestored(product_id=product.pk, sku=product.sku), actor=actor)
    return product


@transaction.atomic
def delete_product(*, actor, product: Product) -> None:
    """Delete a product that nothing refers to (a mistake); its price list prices go with it.
    A product on orders, invoices or stock moves cannot be deleted: archive it instead."""
    check(actor, DELETE_PRODUCT)
    product = _lock(product)
    snapshot = product_snapshot(product)
    label = str(product)
    try:
        with transaction.atomic():
            product.price_items.all().delete()
            Product.objects.filter(pk=product.pk).delete()
    except ProtectedError as exc:
        raise Conflict(
            _("This product is used elsewhere and cannot be deleted. Archive it instead."),
            code="product_in_use",
        ) from exc
    audit.record(
        "delete", product, actor=actor, changes=audit.diff(snapshot, {}), object_repr=label
    )


# --- Categories ----------------------------------------------------------------------------


def _check_parent(category: Category, parent: Category | None, errors: Errors) -> None:
    node = parent
    while node is not None:
        if category.pk is not None and node.pk == category.pk:
            add_error(errors, "parent", _("A category cannot be inside itself."))
            return
        node = node.parent


@transaction.atomic
def create_category(*, actor, name: str, parent: Category | int | None = None) -> Category:
    check(actor, ADD_CATEGORY)
    errors: Errors = {}
    category = Category(
        name=(name or "").strip(), parent=resolve_category(parent, errors, "parent")
    )
    full_clean(category, errors)
    raise_if(errors)
    category.save()
    audit.record("create", category, actor=actor, changes=audit.diff({}, audit.snapshot(category)))
    return category


@transaction.atomic
def update_category(*, actor, category: Category, **changes) -> Category:
    check(actor, CHANGE_CATEGORY)
    unknown = set(changes) - {"name", "parent"}
    if unknown:
        raise TypeError(f"update_category() got unknown fields: {sorted(unknown)}")
    category = Category.objects.select_for_update().get(pk=category.pk)
    before = audit.snapshot(category)
    errors: Errors = {}
    if "name" in changes:
        category.name = (changes["name"] or "").strip()
    if "parent" in changes:
        parent = resolve_category(changes["parent"], errors, "parent")
        _check_parent(category, parent, errors)
        category.parent = parent
    full_clean(category, errors)
    raise_if(errors)
    changed = audit.diff(before, audit.snapshot(category))
    if changed:
        category.save()
        audit.record("update", category, actor=actor, changes=changed)
    return category


@transaction.atomic
def delete_category(*, actor, category: Category) -> None:
    check(actor, CHANGE_CATEGORY)
    if category.products.exists() or category.children.exists():
        raise Conflict(
            _("This category still has products or subcategories."), code="category_in_use"
        )
    label = str(category)
    snapshot = audit.snapshot(category)
    pk = category.pk
    category.delete()
    category.pk = pk
    audit.record(
        "delete", category, actor=actor, changes=audit.diff(snapshot, {}), object_repr=label
    )
