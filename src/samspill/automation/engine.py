"""The rule engine: runs the active rules of an event's type, after the event's own
transaction has committed (it is an event subscriber), so a failing action never blocks
or rolls back the business change that caused it.

Each action runs in its own savepoint, as the user the rule runs as, on the channel
"automation". The first failing action stops the rule; the run is logged (RuleRun) and
`automation.rule.fired` or `automation.rule.failed` is published about the causing
event's subjects.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.automation import chain, conditions, definitions, events, templating
from samspill.automation.models import Rule, RuleRun, Webhook
from samspill.platform.errors import DomainError
from samspill.platform.events import publish

log = logging.getLogger(__name__)


def handle_event(event) -> list[RuleRun]:
    """Event subscriber: run every active rule for this event's type."""
    rules = list(
        Rule.objects.filter(is_active=True, event_type=event.type)
        .select_related("run_as")
        .order_by("pk")
    )
    if not rules:
        return []
    causes = chain.chain_of(event)
    return [run_rule(rule, event, causes) for rule in rules]


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        details = [
            f"{field}: {message}" if field != "__all__" else message
            for field, messages in exc.errors.items()
            for message in messages
            if message != str(exc.message)
        ]
        return "; ".join([str(exc.message), *details])
    return f"{type(exc).__name__}: {exc}"


def run_rule(rule: Rule, event, causes: tuple[int, ...] = (), *, dry_run: bool = False) -> RuleRun:
    """Evaluate one rule for one stored event and, unless `dry_run`, run its actions."""
    started = time.monotonic()
    run = RuleRun(
        rule=rule, event=event, event_type=event.type, depth=len(causes) + 1, dry_run=dry_run
    )
    if not dry_run and (rule.pk in causes or run.depth > chain.MAX_DEPTH):
        run.outcome = RuleRun.Outcome.LOOP_STOPPED
        run.error = (
            _("The event was caused by this rule itself; it is not run again.")
            if rule.pk in causes
            else _("The chain of rules causing each other is longer than %(n)s.")
            % {"n": chain.MAX_DEPTH}
        )
        run.details = [{"chain": list(causes)}]
        run.duration_ms = _elapsed_ms(started)
        run.save()
        log.warning("automation loop stopped", extra={"rule": rule.pk, "event": str(event.pk)})
        return run
    try:
        matched = conditions.evaluate(rule.conditions, rule.match, conditions.context_of(event))
    except Exception as exc:  # a stored rule the engine cannot read
        log.exception("rule conditions failed", extra={"rule": rule.pk})
        run.outcome, run.error = RuleRun.Outcome.FAILED, _error_text(exc)
        run.duration_ms = _elapsed_ms(started)
        run.save()
        return run
    if not matched or dry_run:
        run.outcome = RuleRun.Outcome.MATCHED if matched else RuleRun.Outcome.SKIPPED
        run.duration_ms = _elapsed_ms(started)
        run.save()
        return run

    run.outcome = RuleRun.Outcome.MATCHED
    run.save()
    failed_action = ""
    with chain.running((*causes, rule.pk)):
        for step in rule.actions:
            key = step.get("action", "")
            try:
                with transaction.atomic():
                    result = execute(step, event, rule)
            except Exception as exc:
                if not isinstance(exc, DomainError):
                    log.exception("automation action failed", extra={"rule": rule.pk})
                run.error = _("%(action)s: %(error)s") % {
                    "action": definitions.describe_step(step),
                    "error": _error_text(exc),
                }
                run.details.append({"action": key, "ok": False, "error": _error_text(exc)})
                failed_action = key
                break
            run.details.append({"action": key, "ok": True, "result": result})
        run.outcome = RuleRun.Outcome.FAILED if failed_action else RuleRun.Outcome.SUCCEEDED
        run.duration_ms = _elapsed_ms(started)
        run.save(update_fields=["outcome", "error", "details", "duration_ms"])
        common: dict[str, Any] = {
            "rule_id": rule.pk,
            "rule_name": rule.name,
            "run_id": run.pk,
            "event_id": str(event.pk),
            "event_type": event.type,
            "event_subjects": event.subjects or {},
            "actions": [s.get("action", "") for s in rule.actions],
        }
        if failed_action:
            publish(
                events.RuleFailed(**common, failed_action=failed_action, error=run.error[:500]),
                actor=rule.run_as,
            )
        else:
            publish(events.RuleFired(**common), actor=rule.run_as)
    return run


# --- Actions ---------------------------------------------------------------------------------


def _render_params(params: dict, payload: dict) -> dict:
    return {
        name: templating.render(value, payload) if templating.has_placeholders(value) else value
        for name, value in params.items()
    }


def execute(step: dict, event, rule: Rule):
    """Run one action of a rule for an event. Returns what it did (JSON), raises on failure."""
    key = step.get("action", "")
    action = definitions.step_type(key)
    if action is None:
        raise DomainError(_("The action “%(key)s” no longer exists.") % {"key": key})
    payload = event.payload or {}
    params = _render_params(step.get("params") or {}, payload)
    if key == definitions.SEND_EMAIL:
        return _send_email(action.clean_params(params))
    if key == definitions.NOTIFY_USERS:
        return _notify_users(action.clean_params(params))
    if key == definitions.CALL_WEBHOOK:
        return _call_webhook(action.clean_params(params), event, rule)
    params = action.clean_params(params)
    subject_ids: list[str | None] = [None]
    if action.subject_kind:
        subject_ids = _subject_ids(step, event, action.subject_kind)
    for subject_id in subject_ids:
        action.run(subject_id, params, rule.run_as)
    return {"subjects": [s for s in subject_ids if s is not None]}


def _subject_ids(step: dict, event, kind: str) -> list[str | None]:
    field = step.get("subject_field") or ""
    if field:
        value = (event.payload or {}).get(field)
        values = value if isinstance(value, list) else [value]
        ids = [str(v) for v in values if v not in (None, "")]
    else:
        ids = [str(v) for v in (event.subjects or {}).get(kind, [])]
    if not ids:
        raise DomainError(_("The event names no %(kind)s record to act on.") % {"kind": kind})
    return list(dict.fromkeys(ids))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:200]


def _send_email(params: dict) -> dict:
    addresses = definitions.split_addresses(params["to"])
    for address in addresses:
        try:
            validate_email(address)
        except ValidationError as exc:
            raise DomainError(
                _("“%(address)s” is not an e-mail address.") % {"address": address}
            ) from exc
    if not addresses:
        raise DomainError(_("The e-mail has no recipient."))
    message = EmailMessage(
        subject=_one_line(params["subject"]),
        body=params["body"],
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=addresses,
    )
    message.send()
    return {"to": addresses, "subject": message.subject}


def _notify_users(params: dict) -> dict:
    from samspill.users.models import User

    usernames, roles = params.get("users") or [], params.get("roles") or []
    people = list(
        User.objects.filter(is_active=True)
        .filter(Q(username__in=usernames) | Q(groups__name__in=roles))
        .distinct()
        .order_by("username")
    )
    with_email = [u for u in people if u.email]
    if not with_email:
        raise DomainError(_("None of the users to notify has an e-mail address."))
    subject = _one_line(params["subject"])
    messages = [
        EmailMessage(subject, params["body"], settings.DEFAULT_FROM_EMAIL, [u.email])
        for u in with_email
    ]
    get_connection().send_messages(messages)
    return {
        "notified": [u.username for u in with_email],
        "without_email": [u.username for u in people if not u.email],
        "subject": subject,
        "at": timezone.now().isoformat(),
    }


def _call_webhook(params: dict, event, rule: Rule) -> dict:
    from samspill.automation import webhooks

    webhook = Webhook.objects.filter(pk=params["webhook"]).first()
    if webhook is None:
        raise DomainError(_("The webhook no longer exists."))
    if not webhook.is_active:
        raise DomainError(_("The webhook “%(name)s” is switched off.") % {"name": webhook.name})
    (delivery,) = webhooks.create_deliveries(event, [webhook], rule=rule)
    return {"webhook": webhook.pk, "delivery": str(delivery.pk)}
