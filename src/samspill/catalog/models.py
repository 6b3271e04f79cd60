"""The catalog: what the company sells and buys — products and services, their units of
measure, categories, base prices, VAT category, and price lists with quantity breaks.

Sales, purchasing, inventory and invoicing all refer to these rows. Only
`samspill.catalog.services` writes them."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import list_currencies
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum import ean as stdnum_ean
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

CENT = Decimal("0.01")
MAX_PRICE = Decimal("9999999999.99")
BASE_CURRENCY = "NOK"
SKU_PATTERN = re.compile(r"^[A-Z0-9ÆØÅ][A-Z0-9ÆØÅ._/+-]{0,39}$")


def money(value) -> Decimal:
    """A price rounded to øre (ROUND_HALF_UP), the rounding point of the catalog."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# --- Identifiers ---------------------------------------------------------------------------


def normalize_sku(value: str) -> str:
    """SKUs are compared in one spelling: trimmed, upper case, inner spaces as hyphens."""
    return re.sub(r"\s+", "-", (value or "").strip()).upper()


def validate_sku(value: str) -> None:
    if not SKU_PATTERN.match(value or ""):
        raise ValidationError(
            _(
                "Use 1–40 letters, digits or . _ / + - for the SKU, starting with a letter "
                "or a digit."
            ),
            code="sku_format",
        )


def clean_barcode(value: str) -> str:
    """The compact EAN-13 barcode, or ValidationError (python-stdnum checks the digit)."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        compact = stdnum_ean.validate(value)
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of this EAN-13 barcode is wrong."), code="ean_checksum"
        ) from exc
    except StdnumError as exc:
        raise ValidationError(_("Enter an EAN-13 barcode: 13 digits."), code="ean_format") from exc
    if len(compact) != 13:
        raise ValidationError(_("Enter an EAN-13 barcode: 13 digits."), code="ean_format")
    return compact


def validate_currency(value: str) -> None:
    if value not in list_currencies():
        raise ValidationError(
            _("Choose a currency by its ISO 4217 code, such as NOK, EUR or SEK."),
            code="currency",
        )


# --- VAT ----------------------------------------------------------------------------------


class VatCategory(models.TextChoices):
    """The VAT treatment of what is sold. The accounting localisation maps each key to a VAT
    code; the catalog only names the category (and the rate people know it by)."""

    STANDARD = "standard", _("Standard rate (25 %)")
    FOOD = "food", _("Food (15 %)")
    LOW = "low", _("Low rate (12 %)")
    ZERO = "zero", _("Zero rate (0 %)")
    EXEMPT = "exempt", _("Outside the VAT act")


VAT_RATES: dict[str, Decimal | None] = {
    VatCategory.STANDARD: Decimal("25"),
    VatCategory.FOOD: Decimal("15"),
    VatCategory.LOW: Decimal("12"),
    VatCategory.ZERO: Decimal("0"),
    VatCategory.EXEMPT: None,  # no VAT applies at all
}


# --- Units of measure ----------------------------------------------------------------------


class Unit(models.Model):
    """A unit of measure. Units of the same dimension convert through `factor`, which says
    how many reference units (factor 1) one of this unit is: 1 g = 0.001 kg."""

    class Dimension(models.TextChoices):
        COUNT = "count", _("Count")
        TIME = "time", _("Time")
        WEIGHT = "weight", _("Weight")
        VOLUME = "volume", _("Volume")
        LENGTH = "length", _("Length")
        AREA = "area", _("Area")

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_nb = models.CharField(_("name (Norwegian)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    factor = models.DecimalField(
        _("factor"),
        max_digits=18,
        decimal_places=9,
        validators=[MinValueValidator(Decimal("0.000000001"))],
        help_text=_("How many reference units of the dimension one of this unit is."),
    )

    class Meta:
        verbose_name = _("unit of measure")
        verbose_name_plural = _("units of measure")
        ordering = ["dimension", "factor", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(factor__gt=0), name="catalog_unit_factor_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb

    def convert(self, quantity: Decimal, to: Unit) -> Decimal:
        """`quantity` of this unit expressed in `to` (same dimension only)."""
        if self.dimension != to.dimension:
            raise ValidationError(
                _("%(a)s cannot be converted to %(b)s.") % {"a": self.name, "b": to.name},
                code="unit_dimension",
            )
        return Decimal(quantity) * self.factor / to.factor


# --- Categories ----------------------------------------------------------------------------


class Category(models.Model):
    """A product group, optionally inside another ("Office > Paper")."""

    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "parent",
                Lower("name"),
                name="catalog_category_unique_name",
                violation_error_message=_("A category with this name exists at this level."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(parent__isnull=True),
                name="catalog_category_unique_top_name",
                violation_error_message=_("A category with this name exists at this level."),
            ),
        ]

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        names: list[str] = []
        node: Category | None = self
        seen: set[int | None] = set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent if node.parent_id else None
        return " / ".join(reversed(names))


# --- Products ------------------------------------------------------------------------------


class ProductQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Product(models.Model):
    """A product or a service the company sells or buys."""

    class Type(models.TextChoices):
        STOCKABLE = "stockable", _("Stockable product")
        CONSUMABLE = "consumable", _("Consumable")
        SERVICE = "service", _("Service")

    sku = models.CharField(_("SKU"), max_length=40, unique=True, validators=[validate_sku])
    name_nb = models.CharField(_("name (Norwegian)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    product_type = models.CharField(
        _("type"), max_length=12, choices=Type.choices, default=Type.STOCKABLE
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit of measure"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    sales_price = models.DecimalField(
        _("sales price (NOK)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Per unit, excluding VAT."),
    )
    cost_price = models.DecimalField(
        _("cost price (NOK)"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    vat_category = models.CharField(
        _("VAT category"), max_length=10, choices=VatCategory.choices, default=VatCategory.STANDARD
    )
    barcode = models.CharField(_("barcode (EAN-13)"), max_length=13, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        permissions = [("price_product", "Can set sales and cost prices of products")]
        constraints = [
            models.CheckConstraint(
                condition=Q(sales_price__gte=0) & Q(cost_price__gte=0),
                name="catalog_product_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(name_nb="") | ~Q(name_en=""), name="catalog_product_has_name"
            ),
            models.UniqueConstraint(
                fields=["barcode"],
                condition=~Q(barcode=""),
                name="catalog_product_unique_barcode",
                violation_error_message=_("Another product has this barcode."),
            ),
        ]
        indexes = [
            models.Index(fields=["name_nb"], name="catalog_product_name_nb"),
            models.Index(fields=["name_en"], name="catalog_product_name_en"),
            models.Index(fields=["is_active", "sku"], name="catalog_product_active_sku"),
            models.Index(fields=["sales_price"], name="catalog_product_sales_price"),
        ]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:product_detail", args=[self.pk])

    @property
    def name(self) -> str:
        """The name in the user's language, falling back to the other one."""
        if (get_language() or "nb").startswith("en"):
            return self.name_en or self.name_nb
        return self.name_nb or self.name_en

    def name_in(self, language: str) -> str:
        """The name in a document's language (a customer's), falling back to the other."""
        if language.startswith("en"):
            return self.name_en or self.name_nb
        return self.name_nb or self.name_en

    @property
    def vat_rate(self) -> Decimal | None:
        return VAT_RATES[self.vat_category]

    def clean(self) -> None:
        errors = {}
        if not (self.name_nb or "").strip() and not (self.name_en or "").strip():
            errors["name_nb"] = [_("Give the product a name in Norwegian or English.")]
        if self.product_type == self.Type.SERVICE and self.barcode:
            errors["barcode"] = [_("Services have no barcode.")]
        if errors:
            raise ValidationError(errors)


# --- Price lists ---------------------------------------------------------------------------


class PriceList(models.Model):
    """Prices agreed for a group of customers or a market ("Forhandler", "EUR export"), in
    one currency, valid in a date range, with quantity breaks per product."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    currency = models.CharField(
        _("currency"), max_length=3, default=BASE_CURRENCY, validators=[validate_currency]
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("price list")
        verbose_name_plural = _("price lists")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="catalog_pricelist_dates_in_order",
                violation_error_message=_("The end date is before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:pricelist_detail", args=[self.pk])

    def is_valid_on(self, day) -> bool:
        return (
            self.is_active
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": [_("The end date is before the start date.")]})


class PriceListItem(models.Model):
    """The unit price of a product on a price list from a minimum quantity on (a break)."""

    price_list = models.ForeignKey(
        PriceList, verbose_name=_("price list"), on_delete=models.CASCADE, related_name="items"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="price_items"
    )
    min_quantity = models.DecimalField(
        _("from quantity"),
        max_digits=14,
        decimal_places=3,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("price list item")
        verbose_name_plural = _("price list items")
        ordering = ["price_list", "product", "min_quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price_list", "product", "min_quantity"],
                name="catalog_pricelistitem_unique_break",
                violation_error_message=_("This product already has a price from this quantity."),
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=0) & Q(unit_price__gte=0),
                name="catalog_pricelistitem_not_negative",
            ),
        ]
        indexes = [
            models.Index(
                fields=["product", "price_list", "min_quantity"], name="catalog_item_lookup"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product.sku} ≥ {self.min_quantity}: {self.unit_price}"
