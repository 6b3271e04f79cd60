"""Request and response schemas of /api/v1/catalog."""

import datetime as dt
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

ProductType = Literal["stockable", "consumable", "service"]
VatCategoryKey = Literal["standard", "food", "low", "zero", "exempt"]


class UnitOut(Schema):
    id: int
    code: str
    name_nb: str
    name_en: str
    dimension: str
    factor: Decimal


class CategoryOut(Schema):
    id: int
    name: str
    parent_id: int | None
    path: str


class CategoryIn(Schema):
    name: str = Field(..., max_length=100)
    parent_id: int | None = None


class ProductOut(Schema):
    id: int
    sku: str
    name: str = Field(..., description="In the user's language, else the other one")
    name_nb: str
    name_en: str
    description: str
    product_type: str
    unit: str = Field(..., description="Unit of measure code")
    category_id: int | None
    category: str
    sales_price: Decimal = Field(..., description="NOK per unit, excluding VAT")
    cost_price: Decimal
    vat_category: str
    vat_rate: Decimal | None = Field(..., description="Percent; null outside the VAT act")
    barcode: str
    is_active: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_unit(obj) -> str:
        return obj.unit.code

    @staticmethod
    def resolve_category(obj) -> str:
        return obj.category.name if obj.category_id else ""


class ProductIn(Schema):
    sku: str = Field(..., max_length=60)
    name_nb: str = Field("", max_length=200)
    name_en: str = Field("", max_length=200)
    description: str = ""
    product_type: ProductType = "stockable"
    unit: str = Field(..., max_length=10, description="Unit of measure code, e.g. pcs, h, kg")
    category_id: int | None = None
    sales_price: Decimal = Field(Decimal("0"), description="NOK, at most 2 decimals, >= 0")
    cost_price: Decimal = Field(Decimal("0"), description="NOK, at most 2 decimals, >= 0")
    vat_category: VatCategoryKey = "standard"
    barcode: str = Field("", max_length=20, description="EAN-13")
    is_active: bool = True


class ProductPatch(Schema):
    sku: str | None = Field(None, max_length=60)
    name_nb: str | None = Field(None, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    description: str | None = None
    product_type: ProductType | None = None
    unit: str | None = Field(None, max_length=10)
    category_id: int | None = None
    sales_price: Decimal | None = None
    cost_price: Decimal | None = None
    vat_category: VatCategoryKey | None = None
    barcode: str | None = Field(None, max_length=20)


class ProductFilters(Schema):
    q: str | None = Field(None, description="SKU, name or barcode")
    product_type: ProductType | None = None
    category: int | None = Field(None, description="Category id (subcategories included)")
    vat_category: VatCategoryKey | None = None
    active: bool | None = None


class PriceListOut(Schema):
    id: int
    name: str
    currency: str
    valid_from: date | None
    valid_to: date | None
    is_active: bool
    notes: str


class PriceListIn(Schema):
    name: str = Field(..., max_length=100)
    currency: str = Field("NOK", max_length=3, description="ISO 4217")
    valid_from: date | None = None
    valid_to: date | None = None
    is_active: bool = True
    notes: str = ""


class PriceListPatch(Schema):
    name: str | None = Field(None, max_length=100)
    currency: str | None = Field(None, max_length=3)
    valid_from: date | None = None
    valid_to: date | None = None
    is_active: bool | None = None
    notes: str | None = None


class PriceListItemOut(Schema):
    id: int
    product_id: int
    sku: str
    min_quantity: Decimal
    unit_price: Decimal

    @staticmethod
    def resolve_sku(obj) -> str:
        return obj.product.sku


class PriceListItemIn(Schema):
    product_id: int | None = None
    sku: str | None = Field(None, max_length=60, description="Instead of product_id")
    min_quantity: Decimal = Field(Decimal("1"), description="From this quantity on")
    unit_price: Decimal = Field(..., description="In the price list's currency")


class PriceListItemsIn(Schema):
    items: list[PriceListItemIn]
    replace_all: bool = Field(
        False,
        description="Also remove the prices of products that are not in `items`",
    )
    products: list[int] = Field(
        default_factory=list, description="Product ids to remove from the list (no items)"
    )


class PriceOut(Schema):
    product_id: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    currency: str
    source: Literal["price_list", "base"]
    price_list_id: int | None
    price_list_name: str
    min_quantity: Decimal | None
    vat_category: str


class PriceLineIn(Schema):
    product_id: int
    quantity: Decimal = Decimal("1")


class PricesIn(Schema):
    lines: list[PriceLineIn] = Field(..., max_length=500)
    price_list: int | None = None
    date: dt.date | None = None
    currency: str | None = Field(None, max_length=3)


class ImportRowOut(Schema):
    row: int
    column: str
    message: str


class ProductImportOut(Schema):
    created: int
    updated: int
    unchanged: int
    written: bool
    errors: list[ImportRowOut]
