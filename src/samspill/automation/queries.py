"""Read side of automation: selectors for the pages and the API, narrowed to what the
viewer may see, with the relations they show (a fixed number of queries per page)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from samspill.automation.models import (
    InboundMessage,
    Rule,
    RuleRun,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from samspill.platform.errors import NotFound
from samspill.platform.models import OutboxEvent
from samspill.platform.permissions import restrict


def rules(viewer=None) -> QuerySet:
    last = RuleRun.objects.filter(rule=OuterRef("pk"), dry_run=False).order_by("-started_at")
    return restrict(
        Rule.objects.select_related("run_as", "created_by").annotate(
            last_outcome=Subquery(last.values("outcome")[:1]),
            last_run_at=Subquery(last.values("started_at")[:1]),
        ),
        viewer,
    )


def rule(pk, viewer=None) -> Rule:
    row = rules(viewer).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such automation rule."))
    return row


def runs(viewer=None, rule_id=None) -> QuerySet:
    rows = RuleRun.objects.select_related("rule")
    if rule_id is not None:
        rows = rows.filter(rule_id=rule_id)
    return restrict(rows, viewer)


def recent_events(event_type: str, limit: int = 20) -> list[OutboxEvent]:
    """The latest stored events of a type, to test a rule against."""
    return list(OutboxEvent.objects.filter(type=event_type).order_by("-occurred_at")[:limit])


def event(pk) -> OutboxEvent:
    row = OutboxEvent.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such event."))
    return row


def webhooks(viewer=None) -> QuerySet:
    undelivered = [WebhookDelivery.Status.FAILED, WebhookDelivery.Status.DEAD]
    return restrict(
        Webhook.objects.select_related("created_by").annotate(
            failing=Count("deliveries", filter=Q(deliveries__status__in=undelivered))
        ),
        viewer,
    )


def webhook(pk, viewer=None) -> Webhook:
    row = webhooks(viewer).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such webhook."))
    return row


def deliveries(viewer=None, webhook_id=None) -> QuerySet:
    rows = WebhookDelivery.objects.select_related("webhook", "rule")
    if webhook_id is not None:
        rows = rows.filter(webhook_id=webhook_id)
    return restrict(rows, viewer)


def delivery(pk, viewer=None) -> WebhookDelivery:
    try:
        row = deliveries(viewer).filter(pk=pk).first()
    except ValidationError:  # not a UUID
        row = None
    if row is None:
        raise NotFound(_("No such webhook delivery."))
    return row


def attempts_of(delivery_row: WebhookDelivery) -> QuerySet:
    return WebhookAttempt.objects.filter(delivery=delivery_row).order_by("-number")


def inbound_messages(viewer=None) -> QuerySet:
    return restrict(InboundMessage.objects.select_related("received_by"), viewer)


def inbound_message(pk, viewer=None) -> InboundMessage:
    row = inbound_messages(viewer).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such inbound message."))
    return row
