"""Norwegian VAT codes and the map from the catalog's VAT categories to them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class VatCode(models.Model):
    class Direction(models.TextChoices):
        SALES = "sales", _("Sales (output VAT)")
        PURCHASE = "purchase", _("Purchase (input VAT)")

    class Treatment(models.TextChoices):
        STANDARD = "standard", _("VAT at the rate")
        ZERO = "zero", _("Zero-rated")
        EXEMPT = "exempt", _("Outside the VAT act")
        NONE = "none", _("No VAT treatment")
        REVERSE_CHARGE = "reverse_charge", _("Reverse charge")
        IMPORT = "import", pgettext_lazy("VAT", "Import")

    code = models.CharField(_("code"), max_length=10, unique=True)
    standard_code = models.CharField(_("SAF-T standard tax code"), max_length=10)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    treatment = models.CharField(_("treatment"), max_length=20, choices=Treatment.choices)
    rate = models.DecimalField(
        _("rate (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    account = models.CharField(
        _("VAT account"),
        max_length=10,
        blank=True,
        help_text=_("Account number the VAT amount is posted to."),
    )
    deduction_account = models.CharField(
        _("deduction account"),
        max_length=10,
        blank=True,
        help_text=_("Input VAT account for reverse charge and import."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("VAT code")
        verbose_name_plural = _("VAT codes")
        ordering = ["direction", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def computes_vat(self) -> bool:
        return self.rate > 0 and self.treatment in (
            self.Treatment.STANDARD,
            self.Treatment.REVERSE_CHARGE,
            self.Treatment.IMPORT,
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.computes_vat and not self.account:
            raise ValidationError({"account": _("A code with a rate needs a VAT account.")})
        self_assessed = self.treatment in (self.Treatment.REVERSE_CHARGE, self.Treatment.IMPORT)
        if self_assessed and self.rate > 0 and not self.deduction_account:
            raise ValidationError(
                {"deduction_account": _("Reverse charge and import need a deduction account.")}
            )


class VatCategory(models.Model):
    """A VAT category of the catalog (standard, food, low, zero, exempt) and the codes a
    sale and a purchase in it use."""

    LABELS = {
        "standard": _("Standard rate (25 %)"),
        "food": _("Food and drink (15 %)"),
        "low": _("Low rate (12 %): transport, cinema, hotel"),
        "zero": _("Zero-rated (0 %)"),
        "exempt": _("Outside the VAT act"),
    }

    key = models.SlugField(_("category"), max_length=20, unique=True)
    sales_code = models.ForeignKey(
        VatCode, models.PROTECT, related_name="+", verbose_name=_("sales code")
    )
    purchase_code = models.ForeignKey(
        VatCode, models.PROTECT, related_name="+", verbose_name=_("purchase code")
    )

    class Meta:
        verbose_name = _("VAT category")
        verbose_name_plural = _("VAT categories")
        ordering = ["key"]

    def __str__(self):
        return str(self.label)

    @property
    def label(self):
        return self.LABELS.get(self.key, self.key)
