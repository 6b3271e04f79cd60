"""Quotes and sales orders: what the company offers a customer and what the customer has
ordered, with lines priced from the catalog and totals in Decimal (ROUND_HALF_UP to øre)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from samspill.platform.money import CENT, HUNDRED, money  # noqa: F401  (the shared money rules)


class Language(models.TextChoices):
    NB = "nb", _("Norwegian Bokmål")
    EN = "en", _("English")


class Document(models.Model):
    """What a quote and an order share: customer, currency, lines and totals."""

    number = models.CharField(_("number"), max_length=20, unique=True)
    party = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        "parties.Party",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    currency = models.CharField(_("currency"), max_length=3, default="NOK")
    price_list = models.ForeignKey(
        "catalog.PriceList",
        verbose_name=_("price list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NB
    )
    reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    opportunity_ref = models.CharField(
        _("opportunity"), max_length=50, blank=True, help_text=_("The CRM opportunity, if any.")
    )
    notes = models.TextField(_("notes"), blank=True)
    net_total = models.DecimalField(
        _("total excl. VAT"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    vat_total = models.DecimalField(_("VAT"), max_digits=14, decimal_places=2, default=Decimal("0"))
    total = models.DecimalField(
        _("total incl. VAT"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
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
        abstract = True

    def __str__(self) -> str:
        return self.number


class Quote(Document):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issue_date = models.DateField(_("date"))
    valid_until = models.DateField(_("valid until"))
    terms = models.TextField(_("terms"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    decided_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["-issue_date", "-id"]
        permissions = [
            ("send_quote", "Can send quotes to customers"),
            ("price_quote", "Can change prices and discounts on quotes and orders"),
        ]
        indexes = [
            models.Index(fields=["status", "valid_until"], name="sales_quote_status_valid"),
            models.Index(fields=["party", "status"], name="sales_quote_party_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issue_date")),
                name="sales_quote_valid_after_issue",
                violation_error_message=_("The quote must be valid on or after its date."),
            )
        ]

    def get_absolute_url(self) -> str:
        return reverse("sales:quote_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Order(Document):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed")
        CANCELLED = "cancelled", _("Cancelled")

    class InvoicingPolicy(models.TextChoices):
        ORDER = "order", _("On order")
        DELIVERY = "delivery", _("On delivery")

    class DeliveryStatus(models.TextChoices):
        NOTHING = "nothing", _("Not delivered")
        PARTIAL = "partial", _("Partially delivered")
        FULL = "full", _("Fully delivered")

    class InvoiceStatus(models.TextChoices):
        NOTHING = "nothing", _("Not invoiced")
        PARTIAL = "partial", _("Partially invoiced")
        FULL = "full", _("Fully invoiced")

    class PaymentStatus(models.TextChoices):
        NOTHING = "nothing", _("Not paid")
        PARTIAL = "partial", _("Partially paid")
        FULL = "full", _("Paid")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    quote = models.OneToOneField(
        Quote,
        verbose_name=_("quote"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order",
    )
    order_date = models.DateField(_("order date"))
    invoicing_policy = models.CharField(
        _("invoicing"),
        max_length=10,
        choices=InvoicingPolicy.choices,
        default=InvoicingPolicy.ORDER,
    )
    warehouse_code = models.CharField(
        _("warehouse"), max_length=20, blank=True, help_text=_("Empty: the default warehouse.")
    )
    delivery_status = models.CharField(
        _("delivery"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.NOTHING
    )
    invoice_status = models.CharField(
        _("invoicing status"),
        max_length=10,
        choices=InvoiceStatus.choices,
        default=InvoiceStatus.NOTHING,
    )
    payment_status = models.CharField(
        _("payment"), max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.NOTHING
    )
    invoiced_amount = models.DecimalField(
        _("invoiced"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    paid_amount = models.DecimalField(
        _("paid"), max_digits=14, decimal_places=2, default=Decimal("0")
    )
    invoice_note = models.CharField(
        _("invoicing note"),
        max_length=300,
        blank=True,
        help_text=_("Why the last invoice of the order was left as a draft."),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        ordering = ["-order_date", "-id"]
        permissions = [
            ("confirm_order", "Can confirm sales orders"),
            ("cancel_order", "Can cancel sales orders"),
        ]
        indexes = [
            models.Index(fields=["party", "order_date"], name="sales_order_party_date"),
            models.Index(fields=["status", "order_date"], name="sales_order_status_date"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("sales:order_detail", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Line(models.Model):
    """A line of a quote or an order: a catalog product, its quantity, unit price, discount
    and VAT. The amounts are computed by the services, never typed in."""

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

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"


class QuoteLine(Line):
    quote = models.ForeignKey(
        Quote, verbose_name=_("quote"), on_delete=models.CASCADE, related_name="lines"
    )

    class Meta(Line.Meta):
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")


class OrderLine(Line):
    order = models.ForeignKey(
        Order, verbose_name=_("order"), on_delete=models.CASCADE, related_name="lines"
    )
    delivered_quantity = models.DecimalField(
        _("delivered"), max_digits=15, decimal_places=3, default=Decimal("0")
    )

    class Meta(Line.Meta):
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
