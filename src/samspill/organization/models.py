"""The company this installation runs, its departments, teams and who is in them.

Identifier fields normalise what people type ("923 609 016", "no93 8601 1117 947") to the
compact form when the record is validated, and check it with python-stdnum/phonenumbers.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import phonenumbers
from babel import Locale
from babel.core import get_global
from babel.numbers import get_currency_name, get_territory_currencies
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import kontonr, orgnr

# --- Choices -----------------------------------------------------------------------------------


def _babel_locale() -> Locale:
    try:
        return Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE))
    except (ValueError, TypeError):
        return Locale.parse("en")


@lru_cache(maxsize=1)
def _legal_tender_currencies() -> tuple[str, ...]:
    """ISO 4217 codes of the currencies that are legal tender somewhere today."""
    territories = get_global("territory_currencies").keys()
    codes = set()
    for territory in territories:
        codes.update(get_territory_currencies(territory, tender=True))
    return tuple(sorted(codes))


def currency_choices() -> list[tuple[str, str]]:
    """ISO 4217 currencies, labelled in the active language ("NOK – norske kroner")."""
    locale = _babel_locale()
    return [
        (code, f"{code} – {get_currency_name(code, locale=locale)}")
        for code in _legal_tender_currencies()
    ]


_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 countries, labelled and sorted in the active language."""
    names = _babel_locale().territories
    rows = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    ]
    return sorted(rows, key=lambda row: row[1])


def month_choices() -> list[tuple[int, str]]:
    return list(MONTHS.items())


# --- Identifier fields -------------------------------------------------------------------------


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value).upper()


class NormalizingCharField(models.CharField):
    """A CharField that compacts what people type before validating it, and accepts the
    formatted input in forms (the form field is longer than the stored value)."""

    def normalize(self, value: str) -> str:
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if isinstance(value, str) and value.strip():
            return self.normalize(value.strip())
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": 50, **kwargs})


def validate_orgnr(value: str) -> None:
    try:
        orgnr.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid Norwegian organisation number: 9 digits with a correct check digit."),
            code="invalid_orgnr",
        ) from exc


class OrgNumberField(NormalizingCharField):
    """Norwegian organisation number, stored as 9 digits ("NO 923 609 016 MVA" accepted)."""

    default_validators = [validate_orgnr]

    def normalize(self, value):
        value = _compact(value)
        value = value.removeprefix("NO").removesuffix("MVA")
        return value


def validate_iban(value: str) -> None:
    try:
        stdnum_iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid IBAN, e.g. NO93 8601 1117 947."), code="invalid_iban"
        ) from exc


class IbanField(NormalizingCharField):
    default_validators = [validate_iban]

    def normalize(self, value):
        return stdnum_iban.compact(value)


def validate_kontonr(value: str) -> None:
    try:
        kontonr.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid Norwegian bank account number: 11 digits, e.g. 8601.11.17947."),
            code="invalid_account_number",
        ) from exc


class BankAccountField(NormalizingCharField):
    """Norwegian bank account number (BBAN), stored as 11 digits."""

    default_validators = [validate_kontonr]

    def normalize(self, value):
        return _compact(value)


def _parse_phone(value: str):
    try:
        number = phonenumbers.parse(value, "NO")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def validate_phone(value: str) -> None:
    if _parse_phone(value) is None:
        raise ValidationError(
            _("Enter a valid phone number, e.g. +47 22 12 34 56."), code="invalid_phone"
        )


class PhoneField(NormalizingCharField):
    """A phone number stored in E.164 form (+4722123456); Norwegian numbers may omit +47."""

    default_validators = [validate_phone]

    def normalize(self, value):
        number = _parse_phone(value)
        if number is None:
            return value
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(value: str) -> str:
    number = _parse_phone(value) if value else None
    if number is None:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


# Norwegian dunning rules (inkassoforskriften): the inkassosats (§ 1-1, kr 700 since 2017)
# and the most a creditor may charge for a written reminder or a collection notice sent at
# least 14 days after the due date, 1/20 of it (§ 1-2).
INKASSOSATS = Decimal("700.00")
MAX_REMINDER_FEE = (INKASSOSATS / 20).quantize(Decimal("0.01"))


# --- Company -----------------------------------------------------------------------------------


class Company(models.Model):
    """The one company this installation runs: its legal identity, currency, fiscal year,
    addresses and bank account. A singleton: the row always has id 1."""

    SINGLETON_ID = 1

    legal_name = models.CharField(_("legal name"), max_length=200)
    org_number = OrgNumberField(_("organisation number"), max_length=9)
    mva_registered = models.BooleanField(
        _("registered for VAT (MVA)"),
        default=False,
        help_text=_("Registered in the VAT register: the number is shown with the MVA suffix."),
    )
    base_currency = models.CharField(
        _("base currency"), max_length=3, choices=currency_choices, default="NOK"
    )
    fiscal_year_start_month = models.PositiveSmallIntegerField(
        _("fiscal year starts in"),
        choices=month_choices,
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    postal_street = models.CharField(_("postal address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    postal_city = models.CharField(_("city"), max_length=100, blank=True)
    postal_country = models.CharField(
        _("country"), max_length=2, choices=country_choices, default="NO"
    )
    visiting_street = models.CharField(_("visiting address"), max_length=200, blank=True)
    visiting_code = models.CharField(_("postal code"), max_length=10, blank=True)
    visiting_city = models.CharField(_("city"), max_length=100, blank=True)
    visiting_country = models.CharField(
        _("country"), max_length=2, choices=country_choices, default="NO"
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = PhoneField(_("phone"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    iban = IbanField(_("IBAN"), max_length=34, blank=True)
    bank_account = BankAccountField(
        _("bank account number"),
        max_length=11,
        blank=True,
        help_text=_("Norwegian account number (11 digits)."),
    )
    kid_method = models.CharField(
        _("KID check digit"),
        max_length=5,
        choices=[("mod10", "MOD10"), ("mod11", "MOD11")],
        default="mod10",
        help_text=_("How the customer identification number (KID) on invoices is checked."),
    )
    invoice_payment_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=14,
        validators=[MaxValueValidator(365)],
        help_text=_("Days from the invoice date to the due date, unless the invoice says."),
    )
    reminder_fee = models.DecimalField(
        _("reminder fee"),
        max_digits=8,
        decimal_places=2,
        default=MAX_REMINDER_FEE,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_REMINDER_FEE)],
        help_text=_(
            "Charged on a reminder or a collection notice sent at least 14 days after the "
            "due date (purregebyr). At most 1/20 of the inkassosats: 35 kr."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days to pay a reminder"),
        default=14,
        validators=[MinValueValidator(14), MaxValueValidator(60)],
        help_text=_("The new deadline of a reminder or collection notice: at least 14 days."),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("company")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="company_is_singleton"),
            models.CheckConstraint(
                condition=Q(fiscal_year_start_month__gte=1, fiscal_year_start_month__lte=12),
                name="company_fiscal_month_1_12",
            ),
        ]

    def __str__(self) -> str:
        return self.legal_name

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON_ID
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        for prefix in ("postal", "visiting"):
            code = getattr(self, f"{prefix}_code")
            if (
                code
                and getattr(self, f"{prefix}_country") == "NO"
                and not re.fullmatch(r"\d{4}", code)
            ):
                errors[f"{prefix}_code"] = _("A Norwegian postal code has 4 digits.")
        if errors:
            raise ValidationError(errors)

    @property
    def org_number_display(self) -> str:
        """ "NO 923 609 016 MVA" when VAT-registered, else "923 609 016"."""
        if not self.org_number:
            return ""
        formatted = orgnr.format(self.org_number)
        return f"NO {formatted} MVA" if self.mva_registered else formatted

    @property
    def iban_display(self) -> str:
        return stdnum_iban.format(self.iban) if self.iban else ""

    @property
    def bank_account_display(self) -> str:
        return kontonr.format(self.bank_account) if self.bank_account else ""

    @property
    def phone_display(self) -> str:
        return format_phone(self.phone)

    @property
    def postal_lines(self) -> list[str]:
        return self.address_lines("postal")

    @property
    def visiting_lines(self) -> list[str]:
        return self.address_lines("visiting")

    def address_lines(self, prefix: str = "postal") -> list[str]:
        street = getattr(self, f"{prefix}_street")
        place = " ".join(
            p for p in (getattr(self, f"{prefix}_code"), getattr(self, f"{prefix}_city")) if p
        )
        lines = [line for line in street.splitlines() if line.strip()] + ([place] if place else [])
        country = getattr(self, f"{prefix}_country")
        if lines and country and country != "NO":
            lines.append(dict(country_choices()).get(country, country))
        return lines


# --- Departments, teams, memberships --------------------------------------------------------------


class Department(models.Model):
    """A part of the company, in the front office (facing customers) or the back office."""

    class Office(models.TextChoices):
        FRONT = "front", _("Front office")
        BACK = "back", _("Back office")

    class Function(models.TextChoices):
        SALES = "sales", _("Sales")
        MARKETING = "marketing", _("Marketing")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        FINANCE = "finance", _("Finance")
        HR = "hr", _("HR")
        IT = "it", _("IT")
        OPERATIONS = "operations", _("Operations and logistics")
        LEGAL = "legal", _("Legal")
        MANAGEMENT = "management", _("Management")

    FRONT_FUNCTIONS = frozenset({"sales", "marketing", "customer_service"})

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("Short code, e.g. SALG or OKO: capital letters, digits and hyphens."),
    )
    office = models.CharField(_("office"), max_length=5, choices=Office.choices)
    function = models.CharField(_("function"), max_length=20, choices=Function.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["office", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(office__in=["front", "back"]), name="department_office_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.code:
            self.code = self.code.strip().upper()
            if not re.fullmatch(r"[A-Z0-9ÆØÅ][A-Z0-9ÆØÅ\-]*", self.code):
                raise ValidationError(
                    {"code": _("Use capital letters, digits and hyphens only, e.g. SALG-NORD.")}
                )

    @classmethod
    def office_for(cls, function: str) -> str:
        """The usual office of a function: sales, marketing and service face customers."""
        return cls.Office.FRONT if function in cls.FRONT_FUNCTIONS else cls.Office.BACK


class Team(models.Model):
    """A group of people in a department who work together, with a lead."""

    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="teams"
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
    )
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "name"],
                name="team_name_unique_in_department",
                violation_error_message=_("The department already has a team with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user in a team, as a member or as a lead. A user may be in several teams."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        LEAD = "lead", _("Lead")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(
        _("role in team"), max_length=10, choices=Role.choices, default=Role.MEMBER
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                name="membership_once_per_team",
                violation_error_message=_("This person is already in the team."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["member", "lead"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.team}"
