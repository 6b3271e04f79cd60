"""Commands of the automation app: build, change, switch and delete rules; subscribe
webhooks, rotate their secrets and retry deliveries; receive inbound messages.

Every command is one transaction, checks the actor's permission when an actor is given
(`actor=None` is the system), validates strictly before it writes (an unknown event type,
field, operator or action, or a bad parameter is a ValidationFailed and nothing is
written), records the audit trail and publishes its event."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.automation import definitions, engine, events, webhooks
from samspill.automation.models import (
    InboundMessage,
    Rule,
    RuleRun,
    Webhook,
    WebhookDelivery,
    generate_secret,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.events import EVENT_TYPES, publish
from samspill.platform.permissions import require

RULE_FIELDS = ("name", "description", "event_type", "match", "conditions", "actions", "is_active")
WEBHOOK_FIELDS = ("name", "url", "all_events", "event_types", "is_active")
SOURCE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
MAX_INBOUND_KEY = 200
MAX_INBOUND_TYPE = 100


def _check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


# --- Rules ------------------------------------------------------------------------------------


def _clean_rule(values: dict[str, Any], *, actor) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = str(values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the rule a name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    description = str(values.get("description") or "").strip()
    clean, problems = definitions.clean_definition(
        event_type=str(values.get("event_type") or ""),
        match=str(values.get("match") or "all"),
        conditions_in=values.get("conditions") or [],
        actions_in=values.get("actions") or [],
        actor=actor,
    )
    errors.update(problems)
    _raise_if(errors)
    return {
        "name": name,
        "description": description,
        "is_active": bool(values.get("is_active", True)),
        **clean,
    }


@transaction.atomic
def create_rule(
    *,
    actor,
    name: str,
    event_type: str,
    actions: list[dict],
    conditions: list[dict] | None = None,
    match: str = "all",
    description: str = "",
    is_active: bool = True,
) -> Rule:
    """Create a rule. Its actions will run with the permissions of `actor`."""
    _check(actor, "automation.add_rule")
    values = _clean_rule(
        {
            "name": name,
            "description": description,
            "event_type": event_type,
            "match": match,
            "conditions": conditions or [],
            "actions": actions,
            "is_active": is_active,
        },
        actor=actor,
    )
    user = _user(actor)
    rule = Rule.objects.create(**values, run_as=user, created_by=user)
    audit.record("create", rule, actor=actor, changes=audit.diff({}, audit.snapshot(rule)))
    publish(
        events.RuleCreated(
            rule_id=rule.pk, name=rule.name, event_type=rule.event_type, is_active=rule.is_active
        ),
        actor=actor,
    )
    return rule


@transaction.atomic
def update_rule(rule: Rule, *, actor, **changes) -> Rule:
    """Change any of name, description, event_type, match, conditions, actions and
    is_active. The whole rule is checked again, and from now on it runs as `actor`."""
    _check(actor, "automation.change_rule")
    unknown = sorted(set(changes) - set(RULE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)},
            errors={field: [_("Unknown field.")] for field in unknown},
        )
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    before = audit.snapshot(rule)
    current = {field: getattr(rule, field) for field in RULE_FIELDS}
    values = _clean_rule({**current, **changes}, actor=actor)
    for field, value in values.items():
        setattr(rule, field, value)
    user = _user(actor)
    if user is not None:
        rule.run_as = user
    changed = [f for f in RULE_FIELDS if current[f] != values[f]]
    after = audit.snapshot(rule)
    if not changed and before == after:
        return rule
    rule.updated_at = timezone.now()
    rule.save()
    audit.record("update", rule, actor=actor, changes=audit.diff(before, audit.snapshot(rule)))
    if changed:
        publish(events.RuleUpdated(rule_id=rule.pk, name=rule.name, fields=changed), actor=actor)
    if "is_active" in changed:
        switched = events.RuleActivated if rule.is_active else events.RuleDeactivated
        publish(switched(rule_id=rule.pk, name=rule.name), actor=actor)
    return rule


@transaction.atomic
def set_rule_active(rule: Rule, active: bool, *, actor) -> Rule:
    """Switch a rule on or off. Switching on checks the rule again (an action may have
    been removed since) and makes it run as `actor`."""
    _check(actor, "automation.change_rule")
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.is_active == bool(active):
        return rule
    if active:
        _clean_rule({f: getattr(rule, f) for f in RULE_FIELDS}, actor=actor)
        user = _user(actor)
        if user is not None:
            rule.run_as = user
    rule.is_active = bool(active)
    rule.updated_at = timezone.now()
    rule.save(update_fields=["is_active", "run_as", "updated_at"])
    audit.record("update", rule, actor=actor, changes={"is_active": [not active, bool(active)]})
    switched = events.RuleActivated if active else events.RuleDeactivated
    publish(switched(rule_id=rule.pk, name=rule.name), actor=actor)
    return rule


@transaction.atomic
def delete_rule(rule: Rule, *, actor) -> None:
    """Delete a rule with its run log."""
    _check(actor, "automation.delete_rule")
    audit.record("delete", rule, actor=actor, changes=audit.diff(audit.snapshot(rule), {}))
    publish(events.RuleDeleted(rule_id=rule.pk, name=rule.name), actor=actor)
    rule.delete()


@transaction.atomic
def dry_run_rule(rule: Rule, event, *, actor) -> RuleRun:
    """Check a rule's conditions against a stored event without running its actions. The
    run is logged as a test run: matched or skipped."""
    _check(actor, "automation.change_rule")
    if event.type != rule.event_type:
        raise ValidationFailed(
            _("The rule reacts to %(rule)s, not to %(event)s.")
            % {"rule": rule.event_type, "event": event.type},
            errors={"event": [_("Choose an event of the rule's type.")]},
        )
    return engine.run_rule(rule, event, dry_run=True)


# --- Webhooks ---------------------------------------------------------------------------------


def _clean_webhook(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = str(values.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the webhook a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    url = str(values.get("url") or "").strip()
    if not url:
        errors["url"] = [_("Enter the URL to send the events to.")]
    elif len(url) > 500:
        errors["url"] = [_("At most 500 characters.")]
    else:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = [_("Enter a full http:// or https:// URL.")]
        else:
            try:
                webhooks.resolve_target(url)
            except (webhooks.UnsafeTarget, webhooks.Unreachable) as exc:
                errors["url"] = [str(exc)]
    all_events = bool(values.get("all_events"))
    raw_types = values.get("event_types") or []
    if isinstance(raw_types, str):
        raw_types = [raw_types]
    event_types = sorted({str(t).strip() for t in raw_types if str(t).strip()})
    unknown = [t for t in event_types if t not in EVENT_TYPES]
    if unknown:
        errors["event_types"] = [
            _("Unknown event type: %(types)s.") % {"types": ", ".join(unknown)}
        ]
    elif not all_events and not event_types:
        errors["event_types"] = [_("Choose the events to send, or all events.")]
    _raise_if(errors)
    return {
        "name": name,
        "url": url,
        "all_events": all_events,
        "event_types": [] if all_events else event_types,
        "is_active": bool(values.get("is_active", True)),
    }


def _webhook_snapshot(webhook: Webhook) -> dict:
    return audit.snapshot(webhook, exclude=("secret",))


@transaction.atomic
def create_webhook(
    *,
    actor,
    name: str,
    url: str,
    event_types: Iterable[str] = (),
    all_events: bool = False,
    is_active: bool = True,
) -> Webhook:
    """Subscribe a URL to events. The new signing secret is on the returned webhook."""
    _check(actor, "automation.add_webhook")
    values = _clean_webhook(
        {
            "name": name,
            "url": url,
            "event_types": list(event_types),
            "all_events": all_events,
            "is_active": is_active,
        }
    )
    webhook = Webhook.objects.create(**values, created_by=_user(actor))
    audit.record("create", webhook, actor=actor, changes=audit.diff({}, _webhook_snapshot(webhook)))
    publish(
        events.WebhookCreated(webhook_id=webhook.pk, name=webhook.name, url=webhook.url),
        actor=actor,
    )
    return webhook


@transaction.atomic
def update_webhook(webhook: Webhook, *, actor, **changes) -> Webhook:
    """Change any of name, url, all_events, event_types and is_active."""
    _check(actor, "automation.change_webhook")
    unknown = sorted(set(changes) - set(WEBHOOK_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s.") % {"fields": ", ".join(unknown)},
            errors={field: [_("Unknown field.")] for field in unknown},
        )
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    before = _webhook_snapshot(webhook)
    current = {field: getattr(webhook, field) for field in WEBHOOK_FIELDS}
    values = _clean_webhook({**current, **changes})
    changed = [f for f in WEBHOOK_FIELDS if current[f] != values[f]]
    if not changed:
        return webhook
    for field, value in values.items():
        setattr(webhook, field, value)
    webhook.updated_at = timezone.now()
    webhook.save()
    audit.record(
        "update", webhook, actor=actor, changes=audit.diff(before, _webhook_snapshot(webhook))
    )
    publish(
        events.WebhookUpdated(webhook_id=webhook.pk, name=webhook.name, fields=changed),
        actor=actor,
    )
    return webhook


@transaction.atomic
def rotate_webhook_secret(webhook: Webhook, *, actor) -> Webhook:
    """Give the webhook a new signing secret (on the returned webhook); the old one stops
    working at once."""
    _check(actor, "automation.change_webhook")
    webhook = Webhook.objects.select_for_update().get(pk=webhook.pk)
    webhook.secret = generate_secret()
    webhook.updated_at = timezone.now()
    webhook.save(update_fields=["secret", "updated_at"])
    audit.record("update", webhook, actor=actor, changes={"secret": ["…", "…"]})
    publish(events.WebhookSecretRotated(webhook_id=webhook.pk, name=webhook.name), actor=actor)
    return webhook


@transaction.atomic
def delete_webhook(webhook: Webhook, *, actor) -> None:
    """Delete a webhook with its delivery log."""
    _check(actor, "automation.delete_webhook")
    audit.record("delete", webhook, actor=actor, changes=audit.diff(_webhook_snapshot(webhook), {}))
    publish(events.WebhookDeleted(webhook_id=webhook.pk, name=webhook.name), actor=actor)
    webhook.delete()


@transaction.atomic
def retry_delivery(delivery: WebhookDelivery, *, actor) -> WebhookDelivery:
    """Send a failed or dead-lettered delivery again, with a fresh set of attempts."""
    _check(actor, "automation.retry_webhookdelivery")
    delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery.pk)
    if not delivery.can_retry:
        raise Conflict(
            _("Only a failed or dead-lettered delivery can be retried."), code="not_retryable"
        )
    before = {"status": delivery.status, "attempts": delivery.attempts}
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit.record(
        "update",
        delivery,
        actor=actor,
        changes=audit.diff(before, {"status": delivery.status, "attempts": 0}),
    )
    webhooks.enqueue_on_commit([delivery.pk])
    return delivery


# --- Inbound messages -------------------------------------------------------------------------


@transaction.atomic
def receive_inbound(
    *, actor, source: str, message_type: str, idempotency_key: str, data: dict | None = None
) -> tuple[InboundMessage, bool]:
    """Record a message from another system and publish automation.inbound.received.
    Idempotent on (source, idempotency key): a repeat returns the first message and
    False, and writes nothing."""
    _check(actor, "automation.add_inboundmessage")
    errors: dict[str, list[str]] = {}
    source = (source or "").strip()
    message_type = (message_type or "").strip()
    key = (idempotency_key or "").strip()
    if not SOURCE.match(source):
        errors["source"] = [
            _("The source is 1 to 50 lower-case letters, digits, hyphens or underscores.")
        ]
    if not message_type:
        errors["type"] = [_("Give the message type.")]
    elif len(message_type) > MAX_INBOUND_TYPE:
        errors["type"] = [_("At most %(n)s characters.") % {"n": MAX_INBOUND_TYPE}]
    if not key:
        errors["idempotency_key"] = [_("Give an idempotency key (unique per message).")]
    elif len(key) > MAX_INBOUND_KEY or not key.isprintable():
        errors["idempotency_key"] = [
            _("At most %(n)s printable characters.") % {"n": MAX_INBOUND_KEY}
        ]
    if data is not None and not isinstance(data, dict):
        errors["data"] = [_("The data must be a JSON object.")]
    _raise_if(errors)

    existing = InboundMessage.objects.filter(source=source, idempotency_key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            message = InboundMessage.objects.create(
                source=source,
                idempotency_key=key,
                message_type=message_type,
                data=data or {},
                received_by=_user(actor),
            )
    except IntegrityError:  # the same message arrived at the same moment
        return InboundMessage.objects.get(source=source, idempotency_key=key), False
    row = publish(
        events.InboundReceived(
            message_id=message.pk,
            source=source,
            message_type=message_type,
            idempotency_key=key,
            data=message.data,
        ),
        actor=actor,
    )
    message.event = row
    message.save(update_fields=["event"])
    audit.record("create", message, actor=actor, changes={"source": [None, source]})
    return message, True
