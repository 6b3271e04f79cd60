"""Parties: the one register of organisations and persons that every domain refers to
(customers, suppliers, partners, employees' contacts), with their addresses, contact points,
consents and the "contact person at" relation between a person and an organisation.

Only `samspill.parties.services` writes these tables."""

from __future__ import annotations

import functools
import re

import phonenumbers
from babel import Locale
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, validate_email
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import kontonr as stdnum_kontonr
from stdnum.no import orgnr as stdnum_orgnr

# --- Identifiers ---------------------------------------------------------------------------

# ISO 3166-1 codes that babel knows but that are not assigned country codes.
_NOT_ISO_3166 = {
    "AC",
    "CP",
    "CQ",
    "DG",
    "EA",
    "EU",
    "EZ",
    "IC",
    "QO",
    "TA",
    "UN",
    "XA",
    "XB",
    "XK",
    "ZZ",
}
DEFAULT_PHONE_REGION = "NO"
ERASED_NAME = "Erased person"
ORGNR_TAKEN = _("An organization with this organization number already exists.")


def clean_bank_account(value: str) -> str:
    """The compact form of a bank account: a Norwegian account number (11 digits, MOD11
    check digit) or an IBAN; or ValidationError."""
    value = re.sub(r"[\s.\-]", "", value or "").upper()
    if not value:
        return ""
    try:
        return stdnum_kontonr.validate(value) if value.isdigit() else stdnum_iban.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            _("Enter a valid Norwegian account number (11 digits, e.g. 8601.11.17947) or IBAN."),
            code="bank_account",
        ) from exc


def bank_account_keys(value: str) -> set[str]:
    """The forms a bank account may take on a bank statement: a Norwegian IBAN and its
    11-digit account number are the same account."""
    value = re.sub(r"[\s.\-]", "", value or "").upper()
    if not value:
        return set()
    keys = {value}
    if value.startswith("NO") and len(value) == 15:
        keys.add(value[4:])
    elif value.isdigit() and len(value) == 11:
        keys.add(f"NO{stdnum_iban.calc_check_digits('NO00' + value)}{value}")
    return keys


def clean_orgnr(value: str) -> str:
    """The compact form of a Norwegian organisation number, or ValidationError."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return stdnum_orgnr.validate(value)
    except InvalidChecksum as exc:
        raise ValidationError(
            _("The check digit of this organization number is wrong."), code="orgnr_checksum"
        ) from exc
    except (InvalidLength, StdnumError) as exc:
        raise ValidationError(
            _("Enter a valid Norwegian organization number: 9 digits."), code="orgnr_format"
        ) from exc


def format_orgnr(value: str) -> str:
    return stdnum_orgnr.format(value) if value else ""


def normalize_email(value: str) -> str:
    value = (value or "").strip()
    try:
        validate_email(value)
    except ValidationError as exc:
        raise ValidationError(_("Enter a valid email address."), code="invalid_email") from exc
    return value.lower()


def normalize_phone(value: str, region: str = DEFAULT_PHONE_REGION) -> str:
    """E.164 (+4741234567); numbers without a country code are read as Norwegian."""
    try:
        number = phonenumbers.parse((value or "").strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize(kind: str, value: str) -> str | None:
    """The normalized value, or None when the value is not a valid email/phone."""
    try:
        return normalize_email(value) if kind == "email" else normalize_phone(value)
    except ValidationError:
        return None


@functools.cache
def _countries(language: str) -> tuple[tuple[str, str], ...]:
    territories = Locale.parse(language).territories
    codes = [
        code
        for code in territories
        if isinstance(code, str) and len(code) == 2 and code.isalpha() and code not in _NOT_ISO_3166
    ]
    return tuple(sorted(((c, str(territories[c])) for c in codes), key=lambda item: item[1]))


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes with names in the active language, Norway first."""
    language = "nb" if (get_language() or "nb").startswith("nb") else "en"
    countries = _countries(language)
    return [c for c in countries if c[0] == "NO"] + [c for c in countries if c[0] != "NO"]


def validate_country(value: str) -> None:
    if value not in dict(_countries("en")):
        raise ValidationError(_("Choose a country (ISO 3166 two-letter code)."), code="country")


# --- Tables --------------------------------------------------------------------------------


class Tag(models.Model):
    """A free label on parties ("VIP", "Reseller", "Trade fair 2026")."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    colour = models.CharField(
        _("colour"),
        max_length=7,
        default="#6c757d",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Use a colour like #1f6feb."))],
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartyQuerySet(models.QuerySet):
    def current(self):
        """Parties that exist in their own right (not tombstones of a merge)."""
        return self.filter(merged_into__isnull=True)


class Party(models.Model):
    """An organisation or a person the business deals with."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", _("Organization")
        PERSON = "person", _("Person")

    class Language(models.TextChoices):
        NB = "nb", _("Norwegian Bokmål")
        EN = "en", _("English")

    ROLE_FIELDS = {
        "prospect": "is_prospect",
        "customer": "is_customer",
        "supplier": "is_supplier",
        "partner": "is_partner",
    }

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    orgnr = models.CharField(
        _("organization number"),
        max_length=9,
        blank=True,
        help_text=_("Norwegian organization number, 9 digits."),
    )
    website = models.URLField(_("website"), blank=True)
    bank_account = models.CharField(
        _("bank account"),
        max_length=34,
        blank=True,
        db_index=True,
        help_text=_("Norwegian account number (11 digits) or IBAN: identifies their payments."),
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.NB,
        help_text=_("Language of documents sent to them."),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_prospect = models.BooleanField(_("prospect"), default=False)
    is_customer = models.BooleanField(_("customer"), default=False)
    is_supplier = models.BooleanField(_("supplier"), default=False)
    is_partner = models.BooleanField(_("partner"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_parties",
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="parties")
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_parties",
    )
    erased_at = models.DateTimeField(_("erased"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = PartyQuerySet.as_manager()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["name", "id"]
        permissions = [
            ("merge_party", "Can merge parties"),
            ("erase_party", "Can erase personal data of a party"),
            ("export_party", "Can export personal data of a party"),
        ]
        indexes = [
            # The list's default order; tombstones of merges are never listed.
            models.Index(
                fields=["name", "id"],
                name="party_current_name_idx",
                condition=Q(merged_into__isnull=True),
            ),
            # varchar_pattern_ops (PostgreSQL; a plain index elsewhere): = and LIKE 'x%'
            # use it whatever the database collation.
            models.Index(
                fields=["orgnr"], name="party_orgnr_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["kind", "name"], name="party_kind_name_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["orgnr"],
                condition=~Q(orgnr="") & Q(merged_into__isnull=True),
                name="party_orgnr_unique",
                violation_error_message=ORGNR_TAKEN,
            ),
            models.CheckConstraint(
                condition=Q(kind="organization") | Q(orgnr=""),
                name="party_person_has_no_orgnr",
                violation_error_message=_("Only organizations have an organization number."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["organization", "person"]), name="party_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, **kwargs):
        if self.kind == self.Kind.PERSON and not self.erased_at:
            self.name = self.compose_name()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("parties:detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        if self.kind == self.Kind.PERSON and not self.erased_at:
            self.name = self.compose_name()
            if not self.name:  # clean() says which fields to fill in
                exclude = {*(exclude or ()), "name"}
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors: dict[str, list] = {}
        if self.kind == self.Kind.PERSON:
            self.first_name = self.first_name.strip()
            self.last_name = self.last_name.strip()
            if not self.erased_at:
                self.name = self.compose_name()
                if not self.name:
                    errors["first_name"] = [_("Enter a first name or a last name.")]
            if self.orgnr:
                errors["orgnr"] = [_("Only organizations have an organization number.")]
        else:
            self.name = (self.name or "").strip()
            if self.first_name or self.last_name:
                self.first_name = self.last_name = ""
            if self.orgnr:
                try:
                    self.orgnr = clean_orgnr(self.orgnr)
                except ValidationError as exc:
                    errors["orgnr"] = exc.messages
        if self.website and "://" not in self.website:
            self.website = "https://" + self.website.strip()
        if errors:
            raise ValidationError(errors)

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(_("Erased person"))
        return self.name

    @property
    def is_organization(self) -> bool:
        return self.kind == self.Kind.ORGANIZATION

    @property
    def is_person(self) -> bool:
        return self.kind == self.Kind.PERSON

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    @property
    def is_writable(self) -> bool:
        """Merge tombstones and erased persons can no longer be changed."""
        return not self.merged_into_id and not self.erased_at

    @property
    def roles(self) -> list[str]:
        return [role for role, field in self.ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def bank_account_display(self) -> str:
        """ "1234.56.78903" or the IBAN in groups of four."""
        value = self.bank_account
        if value.isdigit() and len(value) == 11:
            return stdnum_kontonr.format(value)
        return stdnum_iban.format(value) if value else ""

    @property
    def orgnr_display(self) -> str:
        return format_orgnr(self.orgnr)

    def compose_name(self) -> str:
        return " ".join(p for p in (self.first_name.strip(), self.last_name.strip()) if p)


class Relation(models.Model):
    """A person is a contact at an organisation."""

    person = models.ForeignKey(
        Party,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="organization_relations",
    )
    organization = models.ForeignKey(
        Party,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="contact_relations",
    )
    title = models.CharField(_("title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        ordering = ["-is_primary", "person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organization"],
                name="relation_unique_pair",
                violation_error_message=_("This person is already a contact at this organization."),
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(is_primary=True),
                name="relation_one_primary_per_organization",
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("organization")), name="relation_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.organization}"

    def clean(self):
        errors = {}
        if self.person_id and self.person.kind != Party.Kind.PERSON:
            errors["person"] = [_("Choose a person.")]
        if self.organization_id and self.organization.kind != Party.Kind.ORGANIZATION:
            errors["organization"] = [_("Choose an organization.")]
        if errors:
            raise ValidationError(errors)


class Address(models.Model):
    class Kind(models.TextChoices):
        POSTAL = "postal", _("Postal address")
        VISITING = "visiting", _("Visiting address")
        DELIVERY = "delivery", _("Delivery address")
        INVOICE = "invoice", _("Invoice address")

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="addresses"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.POSTAL)
    line1 = models.CharField(_("address line 1"), max_length=200)
    line2 = models.CharField(_("address line 2"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, default="NO", validators=[validate_country]
    )

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["postal_code"], name="address_postal_code_idx")]

    def __str__(self) -> str:
        place = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.line1, self.line2, place) if p)

    def clean(self):
        self.country = (self.country or "").strip().upper()
        self.postal_code = (self.postal_code or "").strip()
        if (
            self.country == "NO"
            and self.postal_code
            and not (len(self.postal_code) == 4 and self.postal_code.isdigit())
        ):
            raise ValidationError(
                {"postal_code": [_("A Norwegian postal code has 4 digits.")]}, code="postal_code"
            )


class ContactPoint(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="contact_points"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    normalized = models.CharField(_("normalized"), max_length=254, editable=False)
    is_primary = models.BooleanField(_("primary"), default=False)
    label = models.CharField(
        _("label"), max_length=50, blank=True, help_text=_("E.g. work, mobile")
    )

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["kind", "-is_primary", "id"]
        indexes = [
            models.Index(
                fields=["normalized"],
                name="contactpoint_normalized_idx",
                opclasses=["varchar_pattern_ops"],
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["party", "kind", "normalized"],
                name="contactpoint_unique_per_party",
                violation_error_message=_("This party already has this email or phone number."),
            ),
            models.UniqueConstraint(
                fields=["party", "kind"],
                condition=Q(is_primary=True),
                name="contactpoint_one_primary_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.value

    def clean(self):
        self.value = (self.value or "").strip()
        if self.kind not in self.Kind.values:
            return
        try:
            if self.kind == self.Kind.EMAIL:
                self.normalized = normalize_email(self.value)
            else:
                self.normalized = normalize_phone(self.value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.messages}) from exc

    @property
    def display_value(self) -> str:
        if self.kind == self.Kind.PHONE and self.normalized:
            number = phonenumbers.parse(self.normalized)
            fmt = (
                phonenumbers.PhoneNumberFormat.NATIONAL
                if number.country_code == 47
                else phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            return phonenumbers.format_number(number, fmt)
        return self.value


class Consent(models.Model):
    """Append-only: the consent of a party on a channel is its latest row."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        SMS = "sms", _("SMS")
        PHONE = "phone", _("Phone")
        POST = "post", _("Post")

    party = models.ForeignKey(
        Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="consents"
    )
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    granted = models.BooleanField(_("granted"))
    source = models.CharField(
        _("source"), max_length=100, help_text=_("Where it came from, e.g. web form, import")
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["party", "channel", "-recorded_at"], name="consent_current_idx")
        ]

    def __str__(self) -> str:
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.get_channel_display()}: {state}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("consents are append-only")
        super().save(*args, **kwargs)
