"""Events the automation app publishes. A rule's run names the subjects of the event that
caused it (a party, an order ...), so their timelines show what automation did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class RuleCreated(Event):
    type: ClassVar[str] = "automation.rule.created"
    description: ClassVar[Any] = _("An automation rule was created")
    subject_fields: ClassVar[dict[str, str]] = {"rule_id": "automation_rule"}

    rule_id: int
    name: str
    event_type: str
    is_active: bool

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” was created") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class RuleUpdated(Event):
    type: ClassVar[str] = "automation.rule.updated"
    description: ClassVar[Any] = _("An automation rule was changed")
    subject_fields: ClassVar[dict[str, str]] = {"rule_id": "automation_rule"}

    rule_id: int
    name: str
    fields: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” was changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload.get("fields", [])),
        }


@dataclass(frozen=True, kw_only=True)
class RuleActivated(Event):
    type: ClassVar[str] = "automation.rule.activated"
    description: ClassVar[Any] = _("An automation rule was switched on")
    subject_fields: ClassVar[dict[str, str]] = {"rule_id": "automation_rule"}

    rule_id: int
    name: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” was switched on") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class RuleDeactivated(Event):
    type: ClassVar[str] = "automation.rule.deactivated"
    description: ClassVar[Any] = _("An automation rule was switched off")
    subject_fields: ClassVar[dict[str, str]] = {"rule_id": "automation_rule"}

    rule_id: int
    name: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” was switched off") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class RuleDeleted(Event):
    type: ClassVar[str] = "automation.rule.deleted"
    description: ClassVar[Any] = _("An automation rule was deleted")
    subject_fields: ClassVar[dict[str, str]] = {"rule_id": "automation_rule"}

    rule_id: int
    name: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” was deleted") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class _RuleRunEvent(Event):
    """A rule ran for an event: the causing event's subjects are this event's subjects."""

    # The subjects are those of the causing event, whatever their kinds.
    dynamic_subjects: ClassVar[bool] = True
    subject_fields: ClassVar[dict[str, str]] = {"rule_id": "automation_rule"}

    rule_id: int
    rule_name: str
    run_id: int
    event_id: str
    event_type: str
    event_subjects: dict[str, list[str]] = field(default_factory=dict)
    actions: list[str] = field(default_factory=list)

    def subjects(self) -> dict[str, list[str]]:
        result = {kind: [str(i) for i in ids] for kind, ids in self.event_subjects.items()}
        result.setdefault("automation_rule", [])
        if str(self.rule_id) not in result["automation_rule"]:
            result["automation_rule"].append(str(self.rule_id))
        return result


def _event_label(event_type: str) -> str:
    from samspill.platform.events import EVENT_TYPES

    event_class = EVENT_TYPES.get(event_type)
    return str(event_class.description) if event_class and event_class.description else event_type


@dataclass(frozen=True, kw_only=True)
class RuleFired(_RuleRunEvent):
    type: ClassVar[str] = "automation.rule.fired"
    description: ClassVar[Any] = _("An automation rule ran its actions")

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” ran (%(event)s)") % {
            "name": payload["rule_name"],
            "event": _event_label(payload["event_type"]),
        }


@dataclass(frozen=True, kw_only=True)
class RuleFailed(_RuleRunEvent):
    type: ClassVar[str] = "automation.rule.failed"
    description: ClassVar[Any] = _("An automation rule failed")

    failed_action: str = ""
    error: str = ""

    @classmethod
    def summarize(cls, payload):
        return gettext("Automation rule “%(name)s” failed: %(error)s") % {
            "name": payload["rule_name"],
            "error": payload.get("error") or "–",
        }


@dataclass(frozen=True, kw_only=True)
class WebhookCreated(Event):
    type: ClassVar[str] = "automation.webhook.created"
    description: ClassVar[Any] = _("A webhook was created")
    subject_fields: ClassVar[dict[str, str]] = {"webhook_id": "webhook"}

    webhook_id: int
    name: str
    url: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Webhook “%(name)s” was created") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class WebhookUpdated(Event):
    type: ClassVar[str] = "automation.webhook.updated"
    description: ClassVar[Any] = _("A webhook was changed")
    subject_fields: ClassVar[dict[str, str]] = {"webhook_id": "webhook"}

    webhook_id: int
    name: str
    fields: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload):
        return gettext("Webhook “%(name)s” was changed: %(fields)s") % {
            "name": payload["name"],
            "fields": ", ".join(payload.get("fields", [])),
        }


@dataclass(frozen=True, kw_only=True)
class WebhookSecretRotated(Event):
    type: ClassVar[str] = "automation.webhook.secret_rotated"
    description: ClassVar[Any] = _("A webhook got a new signing secret")
    subject_fields: ClassVar[dict[str, str]] = {"webhook_id": "webhook"}

    webhook_id: int
    name: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Webhook “%(name)s” got a new signing secret") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class WebhookDeleted(Event):
    type: ClassVar[str] = "automation.webhook.deleted"
    description: ClassVar[Any] = _("A webhook was deleted")
    subject_fields: ClassVar[dict[str, str]] = {"webhook_id": "webhook"}

    webhook_id: int
    name: str

    @classmethod
    def summarize(cls, payload):
        return gettext("Webhook “%(name)s” was deleted") % {"name": payload["name"]}


@dataclass(frozen=True, kw_only=True)
class InboundReceived(Event):
    type: ClassVar[str] = "automation.inbound.received"
    description: ClassVar[Any] = _("A message from another system was received")
    subject_fields: ClassVar[dict[str, str]] = {"message_id": "inbound_message"}

    message_id: int
    source: str
    message_type: str
    idempotency_key: str
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def summarize(cls, payload):
        return gettext("Message “%(type)s” received from %(source)s") % {
            "type": payload["message_type"],
            "source": payload["source"],
        }
