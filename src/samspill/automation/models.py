"""Tables of automation: rules and their run log, webhook subscriptions with their
deliveries, and inbound messages from other systems."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samspill.platform.models import OutboxEvent


class Rule(models.Model):
    """WHEN an event of `event_type` occurs AND its conditions hold THEN run the actions,
    in order. Conditions and actions are validated by the services before they are saved
    (see samspill.automation.definitions)."""

    class Match(models.TextChoices):
        ALL = "all", _("all conditions hold")
        ANY = "any", _("any condition holds")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    event_type = models.CharField(_("event"), max_length=100, db_index=True)
    match = models.CharField(_("match"), max_length=3, choices=Match.choices, default=Match.ALL)
    # [{"field": "payload.kind", "operator": "equals", "value": "organization"}, ...]
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    # [{"action": "parties.add_tag", "params": {"tag": "vip"}, "subject_field": ""}, ...]
    actions = models.JSONField(_("actions"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    run_as = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("runs as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The actions run with this user's permissions: whoever saved the rule."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("automation rule")
        verbose_name_plural = _("automation rules")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["event_type", "is_active"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(match__in=["all", "any"]), name="automation_rule_match_valid"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("automation:rule_detail", args=[self.pk])


class RuleRun(models.Model):
    """One evaluation of a rule for one event, with its outcome."""

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("Matched (test, actions not run)")
        SKIPPED = "skipped", _("Skipped: conditions not met")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        LOOP_STOPPED = "loop_stopped", _("Loop stopped")

    rule = models.ForeignKey(
        Rule, verbose_name=_("rule"), on_delete=models.CASCADE, related_name="runs"
    )
    event = models.ForeignKey(
        OutboxEvent,
        verbose_name=_("event"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event_type = models.CharField(_("event type"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    depth = models.PositiveSmallIntegerField(_("chain depth"), default=1)
    dry_run = models.BooleanField(_("test run"), default=False)
    # one entry per action: {"action": key, "ok": bool, "result": ..., "error": ...}
    details = models.JSONField(_("details"), default=list, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("rule run")
        verbose_name_plural = _("rule runs")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["rule", "-started_at"])]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.rule_id} {self.event_type} {self.outcome}"


class EventCause(models.Model):
    """The chain of rules whose actions caused an event: how loops are detected. Written
    in the transaction that publishes the event, only for events caused by a rule."""

    event = models.OneToOneField(
        OutboxEvent, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    rule_ids = models.JSONField(default=list)

    class Meta:
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.event_id} ← {self.rule_ids}"


def generate_secret() -> str:
    import secrets

    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A subscription: events of the chosen types (or all) are POSTed, signed, to a URL."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("target URL"), max_length=500)
    all_events = models.BooleanField(_("all events"), default=False)
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, default=generate_secret)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_type: str) -> bool:
        return self.is_active and (self.all_events or event_type in self.event_types)

    @property
    def secret_hint(self) -> str:
        return self.secret[:10] + "…"


class WebhookDelivery(models.Model):
    """One event to one webhook, attempted until it succeeds or is dead-lettered. Its id
    is the Samspill-Delivery header, the same on every attempt."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Delivered")
        FAILED = "failed", _("Failed, will retry")
        DEAD = "dead", _("Dead letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        OutboxEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="+"
    )
    event_type = models.CharField(_("event type"), max_length=100)
    rule = models.ForeignKey(
        Rule,
        verbose_name=_("sent by rule"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["webhook", "-created_at"]),
        ]
        default_permissions = ("view",)
        permissions = [("retry_webhookdelivery", "Can retry webhook deliveries")]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.webhook_id}"

    @property
    def can_retry(self) -> bool:
        return self.status in (self.Status.FAILED, self.Status.DEAD)


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: what the receiver answered, or why it failed."""

    delivery = models.ForeignKey(
        WebhookDelivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="log"
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "number"]
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.delivery_id} #{self.number}"

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class InboundMessage(models.Model):
    """A message another system posted to /api/v1/automation/inbound/<source>. The pair
    (source, idempotency key) is unique: a repeat returns the first message."""

    source = models.SlugField(_("source"), max_length=50)
    idempotency_key = models.CharField(_("idempotency key"), max_length=200)
    message_type = models.CharField(_("type"), max_length=100)
    data = models.JSONField(_("data"), default=dict, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        OutboxEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        ordering = ["-received_at", "-pk"]
        default_permissions = ("view", "add")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "idempotency_key"], name="automation_inbound_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}/{self.idempotency_key}"
