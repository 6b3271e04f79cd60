"""Tables of the CRM: leads and the web forms and scoring rules that capture and rank them,
the sales pipeline (stages and opportunities), activities and personal calendar feeds.

Rows are written only by `samspill.crm.services`."""

from __future__ import annotations

import secrets
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from samspill.organization.models import Team
from samspill.parties.models import Party


def new_key() -> str:
    return secrets.token_urlsafe(24)


class WebForm(models.Model):
    """A lead form on one website, identified by its public key."""

    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(_("form key"), max_length=64, unique=True, default=new_key)
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("default owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    thank_you = models.CharField(_("thank-you message"), max_length=300, blank=True, default="")
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("web form")
        verbose_name_plural = _("web forms")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ScoreRule(models.Model):
    """When a lead's field meets a condition, the lead gets `points` (negative allowed)."""

    class Field(models.TextChoices):
        NAME = "name", _("Name")
        COMPANY_NAME = "company_name", _("Company name")
        EMAIL = "email", _("Email")
        PHONE = "phone", _("Phone")
        ORGNR = "orgnr", _("Organisation number")
        SOURCE = "source", _("Source")
        MESSAGE = "message", _("Message")

    class Operator(models.TextChoices):
        IS_SET = "is_set", _("is filled in")
        IS_EMPTY = "is_empty", _("is empty")
        EQUALS = "equals", _("equals")
        CONTAINS = "contains", _("contains")
        ENDS_WITH = "ends_with", _("ends with")

    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    operator = models.CharField(_("condition"), max_length=10, choices=Operator.choices)
    value = models.CharField(_("value"), max_length=200, blank=True, default="")
    points = models.IntegerField(
        _("points"), validators=[MinValueValidator(-100), MaxValueValidator(100)]
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")
        ordering = ["id"]

    def __str__(self) -> str:
        shown = self.value
        if self.field == self.Field.SOURCE and self.value in Lead.Source.values:
            shown = str(Lead.Source(self.value).label)
        value = f" “{shown}”" if self.needs_value else ""
        return f"{self.get_field_display()} {self.get_operator_display()}{value}: {self.points:+d}"

    @property
    def needs_value(self) -> bool:
        return self.operator in (
            self.Operator.EQUALS,
            self.Operator.CONTAINS,
            self.Operator.ENDS_WITH,
        )

    def clean(self):
        if self.needs_value and not (self.value or "").strip():
            raise ValidationError({"value": _("This condition needs a value.")})

    def matches(self, lead: Lead) -> bool:
        actual = str(getattr(lead, self.field, "") or "").strip().lower()
        wanted = (self.value or "").strip().lower()
        if self.operator == self.Operator.IS_SET:
            return bool(actual)
        if self.operator == self.Operator.IS_EMPTY:
            return not actual
        if self.operator == self.Operator.EQUALS:
            return actual == wanted
        if self.operator == self.Operator.CONTAINS:
            return wanted in actual
        return actual.endswith(wanted)


class Lead(models.Model):
    """Someone who showed interest, not yet a customer: qualified, then converted into an
    organisation, a contact person and an opportunity, or disqualified with a reason."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        QUALIFIED = "qualified", _("Qualified")
        CONVERTED = "converted", _("Converted")
        DISQUALIFIED = "disqualified", _("Disqualified")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        WEB_FORM = "web_form", _("Web form")
        IMPORT = "import", _("Import")
        EMAIL = "email", _("Email")
        EVENT = "event", _("Event or fair")
        REFERRAL = "referral", _("Referral")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    company_name = models.CharField(_("company name"), max_length=200, blank=True, default="")
    email = models.EmailField(_("email"), max_length=254, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    orgnr = models.CharField(_("organisation number"), max_length=9, blank=True, default="")
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    message = models.TextField(_("message"), blank=True, default="")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    disqualify_reason = models.CharField(
        _("reason for disqualifying"), max_length=300, blank=True, default=""
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_leads",
    )
    score = models.IntegerField(_("score"), default=0)
    web_form = models.ForeignKey(
        WebForm,
        verbose_name=_("web form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_leads",
    )
    contact = models.ForeignKey(
        Party,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_contact_leads",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    converted_at = models.DateTimeField(_("converted"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("sales lead", "lead")
        verbose_name_plural = _("leads")
        ordering = ["-created_at", "-id"]
        permissions = [
            ("convert_lead", "Can convert a lead into a customer and an opportunity"),
            ("import_lead", "Can import leads from a CSV file"),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="crm_lead_status_idx"),
            models.Index(fields=["-score", "-id"], name="crm_lead_score_idx"),
            models.Index(fields=["-created_at", "-id"], name="crm_lead_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="disqualified") | ~Q(disqualify_reason=""),
                name="crm_lead_disqualified_has_reason",
                violation_error_message=_("Give a reason for disqualifying the lead."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.company_name})" if self.company_name else self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:lead_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.QUALIFIED)


class Stage(models.Model):
    """A column of the pipeline. Won and lost stages close an opportunity."""

    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(pgettext_lazy("position", "order"), default=0)
    probability = models.PositiveSmallIntegerField(
        _("probability %"), validators=[MaxValueValidator(100)], default=10
    )
    is_won = models.BooleanField(_("won"), default=False)
    is_lost = models.BooleanField(_("lost"), default=False)

    class Meta:
        verbose_name = _("pipeline stage")
        verbose_name_plural = _("pipeline stages")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~(Q(is_won=True) & Q(is_lost=True)),
                name="crm_stage_not_won_and_lost",
                violation_error_message=_("A stage cannot be both won and lost."),
            ),
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="crm_stage_probability_max_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.is_won or self.is_lost

    def clean(self):
        if self.is_won and self.probability != 100:
            raise ValidationError({"probability": _("A won stage has probability 100 %.")})
        if self.is_lost and self.probability != 0:
            raise ValidationError({"probability": _("A lost stage has probability 0 %.")})


class Opportunity(models.Model):
    """A possible sale to a party, moving through the pipeline stages."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")

    name = models.CharField(_("name"), max_length=200)
    party = models.ForeignKey(
        Party,
        verbose_name=_("customer"),
        on_delete=models.PROTECT,
        related_name="crm_opportunities",
    )
    contact = models.ForeignKey(
        Party,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_contact_opportunities",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=pgettext_lazy("sales lead", "lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="opportunities"
    )
    status = models.CharField(
        _("status"), max_length=4, choices=Status.choices, default=Status.OPEN, editable=False
    )
    expected_revenue = models.DecimalField(
        _("expected revenue"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, default="NOK", editable=False)
    close_date = models.DateField(_("expected close date"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_opportunities",
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="crm_opportunities",
    )
    reason = models.CharField(_("won/lost reason"), max_length=300, blank=True, default="")
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["close_date", "id"]
        indexes = [
            models.Index(fields=["stage", "close_date", "id"], name="crm_opp_board_idx"),
            models.Index(fields=["status", "close_date"], name="crm_opp_status_close_idx"),
            models.Index(fields=["close_date", "id"], name="crm_opp_close_idx"),
            models.Index(fields=["party", "status"], name="crm_opp_party_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("crm:opportunity_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Activity(models.Model):
    """A call, meeting, email or task with a due time, for a party (and perhaps one of its
    opportunities) or for a lead."""

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        TASK = "task", _("Task")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TASK)
    subject = models.CharField(_("subject"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, default="")
    due_at = models.DateTimeField(_("due"))
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), default=30, validators=[MaxValueValidator(24 * 60)]
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="crm_activities",
    )
    party = models.ForeignKey(
        Party,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="crm_activities",
    )
    opportunity = models.ForeignKey(
        Opportunity,
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=pgettext_lazy("sales lead", "lead"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="activities",
    )
    outcome = models.TextField(_("outcome"), blank=True, default="")
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(fields=["owner", "completed_at", "due_at"], name="crm_activity_mine_idx"),
            models.Index(fields=["due_at"], name="crm_activity_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(party__isnull=False) | Q(lead__isnull=False),
                name="crm_activity_party_or_lead",
                violation_error_message=_("Link the activity to a contact or a lead."),
            )
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("crm:activity_detail", args=[self.pk])

    @property
    def is_done(self) -> bool:
        return self.completed_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.completed_at is None and self.due_at < timezone.now()

    @property
    def is_due_soon(self) -> bool:
        """Open and due within the reminder lead time (the in-app side of the reminder)."""
        minutes = settings.SAMSPILL.get("CRM_REMINDER_MINUTES", 30)
        now = timezone.now()
        return self.completed_at is None and now <= self.due_at <= now + timedelta(minutes=minutes)


class CalendarFeed(models.Model):
    """The secret address of a user's iCalendar feed of their activities."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="crm_calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_key)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)
