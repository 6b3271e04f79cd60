"""Purchase orders: what the company asks suppliers for (a request for quotation while
draft or sent) and has ordered from them once confirmed, with lines priced in Decimal
(ROUND_HALF_UP to øre) and the quantities received into stock and billed so far.

Only `samspill.purchasing.services` writes these tables."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samspill.platform.money import CENT, HUNDRED, money  # noqa: F401  (the shared money rules)


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("RFQ sent")
        CONFIRMED = "confirmed", _("Confirmed")
        PARTIAL = "partial", _("Partly received")
        RECEIVED = "received", _("Received")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    class Language(models.TextChoices):
        NB = "nb", _("Norwegian Bokmål")
        EN = "en", _("English")

    EDITABLE = (Status.DRAFT, Status.SENT)
    OPEN = (Status.CONFIRMED, Status.PARTIAL)

    number = models.CharField(_("number"), max_length=20, unique=True)
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NB
    )
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    order_date = models.DateField(_("order date"))
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    warehouse_code = models.CharField(
        _("warehouse"), max_length=20, blank=True, help_text=_("Empty: the default warehouse.")
    )
    reference = models.CharField(_("supplier reference"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    net_total = models.DecimalField(
        _("total excl. VAT"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(
        _("total incl. VAT"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-order_date", "-id"]
        permissions = [
            ("send_purchaseorder", "Can send purchase orders to suppliers"),
            ("confirm_purchaseorder", "Can confirm purchase orders"),
            ("cancel_purchaseorder", "Can cancel and close purchase orders"),
        ]
        indexes = [
            models.Index(fields=["party", "order_date"], name="purch_order_party_date"),
            models.Index(fields=["status", "order_date"], name="purch_order_status_date"),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("purchasing:order_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class PurchaseOrderLine(models.Model):
    """A line of a purchase order: product, quantity in a unit, unit price, discount, VAT
    from the product's category, expected date; what has arrived and what is billed."""

    order = models.ForeignKey(
        PurchaseOrder,
        verbose_name=_("purchase order"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    sku = models.CharField(_("SKU"), max_length=40)
    description = models.CharField(_("description"), max_length=300)
    product_type = models.CharField(_("product type"), max_length=12)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=15,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=10)
    unit_price = models.DecimalField(
        _("unit price"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    discount_percent = models.DecimalField(
        _("discount %"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    vat_category = models.CharField(_("VAT category"), max_length=10)
    vat_rate = models.DecimalField(
        _("VAT %"), max_digits=5, decimal_places=2, null=True, blank=True
    )  # None: outside the VAT act
    net_amount = models.DecimalField(_("amount excl. VAT"), max_digits=14, decimal_places=2)
    vat_amount = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2)
    expected_date = models.DateField(_("expected"), null=True, blank=True)
    received_quantity = models.DecimalField(
        _("received"), max_digits=15, decimal_places=3, default=Decimal("0")
    )
    billed_quantity = models.DecimalField(
        _("billed"), max_digits=15, decimal_places=3, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["product", "order"], name="purch_line_product")]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0), name="purchasing_line_quantity_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"

    @property
    def unit_cost(self) -> Decimal:
        """The net price of one unit after discount (not rounded)."""
        return self.unit_price * (HUNDRED - self.discount_percent) / HUNDRED


class SupplierInfo(models.Model):
    """What a supplier sells of a product: their SKU, their price per unit (the product's
    unit, NOK) and how many days delivery takes. The preferred supplier of a product is
    the one with the lowest sequence."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    supplier_sku = models.CharField(_("supplier SKU"), max_length=60, blank=True)
    price = models.DecimalField(
        _("purchase price"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    lead_time_days = models.PositiveIntegerField(_("lead time (days)"), default=0)
    sequence = models.PositiveIntegerField(
        _("sequence"), default=10, help_text=_("The lowest is the preferred supplier.")
    )

    class Meta:
        verbose_name = _("supplier info")
        verbose_name_plural = _("supplier info")
        ordering = ["product_id", "sequence", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "party"], name="purchasing_supplierinfo_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.party_id}: {self.price}"


class ReorderRule(models.Model):
    """Keep a product between a minimum and a maximum in a warehouse: when on hand plus
    incoming minus reserved falls below the minimum, order up to the maximum (from the
    rule's supplier, else the product's preferred supplier)."""

    product = models.ForeignKey(
        "catalog.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="+"
    )
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        verbose_name=_("warehouse"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    min_quantity = models.DecimalField(_("minimum"), max_digits=15, decimal_places=3)
    max_quantity = models.DecimalField(_("maximum"), max_digits=15, decimal_places=3)
    party = models.ForeignKey(
        "parties.Party",
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: the product's preferred supplier."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("reorder rule")
        verbose_name_plural = _("reorder rules")
        ordering = ["product_id", "warehouse_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "warehouse"], name="purchasing_reorderrule_unique"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__gte=0) & Q(max_quantity__gte=models.F("min_quantity")),
                name="purchasing_reorderrule_min_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_id}@{self.warehouse_id}: {self.min_quantity}-{self.max_quantity}"


class ReplenishmentRun(models.Model):
    """The nightly replenishment of one day: at most one per day (the unique date is the
    lock between workers)."""

    day = models.DateField(_("date"), unique=True)
    orders = models.PositiveIntegerField(_("purchase orders"), default=0)
    ran_at = models.DateTimeField(_("ran"), auto_now_add=True)

    class Meta:
        verbose_name = _("replenishment run")
        verbose_name_plural = _("replenishment runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)
