"""What a rule may say, and the strict check of a rule before it is saved.

The actions a rule can run are the automation app's own (send an e-mail, notify users,
call a webhook) and every action a domain registered in `samspill.platform.actions`
(add a tag to a party, assign an owner ...). Both are described by the same `Action`
(key, label, parameters); the built-in ones are run by the rule engine itself because
they need the event, not only a record id.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.automation import conditions, templating
from samspill.platform.actions import Action, Param, get_action
from samspill.platform.actions import actions as domain_actions
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import EVENT_TYPES
from samspill.platform.permissions import ROLES, allowed

MAX_CONDITIONS = 20
MAX_ACTIONS = 10

SEND_EMAIL = "automation.send_email"
NOTIFY_USERS = "automation.notify_users"
CALL_WEBHOOK = "automation.call_webhook"


def _user_choices():
    from samspill.users.models import User

    return [
        (u.username, f"{u.get_full_name() or u.username} ({u.username})")
        for u in User.objects.filter(is_active=True).order_by("username")
    ]


def _role_choices():
    return [(key, str(label)) for key, label in ROLES.items()]


def _webhook_choices():
    from samspill.automation.models import Webhook

    return [(w.pk, w.name) for w in Webhook.objects.order_by("name", "pk")]


def _builtin_run(subject_id, params, actor):  # pragma: no cover - never called directly
    raise RuntimeError("built-in automation actions are run by the rule engine")


_PLACEHOLDER_HELP = gettext_lazy("You can use placeholders from the event, e.g. {{ name }}.")

BUILTINS: dict[str, Action] = {
    action.key: action
    for action in (
        Action(
            key=SEND_EMAIL,
            label=gettext_lazy("Send an e-mail"),
            subject_kind="",
            description=gettext_lazy("An e-mail to the addresses you give."),
            params={
                "to": Param(
                    str,
                    label=gettext_lazy("To"),
                    help_text=gettext_lazy(
                        "E-mail addresses, separated by commas. Placeholders allowed."
                    ),
                ),
                "subject": Param(str, label=gettext_lazy("Subject"), help_text=_PLACEHOLDER_HELP),
                "body": Param(
                    str, label=gettext_lazy("Text"), multiline=True, help_text=_PLACEHOLDER_HELP
                ),
            },
            run=_builtin_run,
        ),
        Action(
            key=NOTIFY_USERS,
            label=gettext_lazy("Notify users"),
            subject_kind="",
            description=gettext_lazy("An e-mail to the chosen users and to everyone in the roles."),
            params={
                "users": Param(
                    list, label=gettext_lazy("Users"), required=False, choices=_user_choices
                ),
                "roles": Param(
                    list, label=gettext_lazy("Roles"), required=False, choices=_role_choices
                ),
                "subject": Param(str, label=gettext_lazy("Subject"), help_text=_PLACEHOLDER_HELP),
                "body": Param(
                    str, label=gettext_lazy("Text"), multiline=True, help_text=_PLACEHOLDER_HELP
                ),
            },
            run=_builtin_run,
        ),
        Action(
            key=CALL_WEBHOOK,
            label=gettext_lazy("Call a webhook"),
            subject_kind="",
            description=gettext_lazy("Send the event, signed, to one of the webhooks."),
            params={"webhook": Param(int, label=gettext_lazy("Webhook"), choices=_webhook_choices)},
            run=_builtin_run,
        ),
    )
}


def step_types() -> list[Action]:
    """Every action a rule can run: the built-in ones first, then the domains'."""
    return list(BUILTINS.values()) + [a for a in domain_actions() if a.key not in BUILTINS]


def step_type(key: str) -> Action | None:
    return BUILTINS.get(key) or get_action(key)


def event_choices() -> list[tuple[str, str]]:
    """(type, "description (type)") of every known event type, by type."""
    return [
        (key, f"{cls.description} ({key})" if cls.description else key)
        for key, cls in sorted(EVENT_TYPES.items())
    ]


def subject_field_choices(event_type: str, kind: str) -> list[str]:
    """The payload fields that name a record of `kind` in events of `event_type`."""
    event_class = EVENT_TYPES.get(event_type)
    if event_class is None or not kind:
        return []
    return [name for name, k in event_class.subject_fields.items() if k == kind]


def _jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    return value


def clean_step(event_type: str, raw: dict, *, actor=None) -> tuple[dict, dict[str, list[str]]]:
    """Check one action of a rule. Errors are keyed "action", "subject_field" or
    "params.<name>"."""
    errors: dict[str, list[str]] = {}
    key = str(raw.get("action") or "").strip()
    params = raw.get("params") or {}
    subject_field = str(raw.get("subject_field") or "").strip()
    step = {"action": key, "params": {}, "subject_field": subject_field}
    if not isinstance(params, dict):
        return step, {"params": [_("The parameters must be an object of name: value.")]}
    action = step_type(key)
    if action is None:
        errors["action"] = [
            _("Unknown action “%(key)s”.") % {"key": key} if key else _("Choose an action.")
        ]
        return step, errors
    if actor is not None and action.permission and not allowed(actor, action.permission):
        errors["action"] = [
            _("You may not use the action “%(label)s”: you lack the permission it needs.")
            % {"label": action.label}
        ]
    if action.subject_kind:
        kinds = conditions.subject_kinds(event_type)
        if kinds is not None and action.subject_kind not in kinds:
            errors["action"] = [
                _("“%(label)s” works on %(kind)s records, but this event is not about one.")
                % {"label": action.label, "kind": action.subject_kind}
            ]
        if subject_field and subject_field not in subject_field_choices(
            event_type, action.subject_kind
        ):
            errors["subject_field"] = [
                _("The event has no field “%(name)s” naming a %(kind)s record.")
                % {"name": subject_field, "kind": action.subject_kind}
            ]
    elif subject_field:
        errors["subject_field"] = [_("This action does not work on a record.")]

    templated = {name for name, value in params.items() if templating.has_placeholders(value)}
    for name in templated & set(action.param_specs()):
        try:
            templating.check(params[name], field=name)
        except ValidationFailed as exc:
            for message in exc.errors.get(name, [str(exc.message)]):
                errors.setdefault(f"params.{name}", []).append(message)
    try:
        cleaned = action.clean_params(params, skip=templated)
    except ValidationFailed as exc:
        for name, messages in exc.errors.items():
            errors.setdefault(f"params.{name}", []).extend(messages)
        cleaned = {}
    step["params"] = {name: _jsonable(value) for name, value in cleaned.items()}

    to = cleaned.get("to") if key == SEND_EMAIL and "params.to" not in errors else None
    if to and not templating.has_placeholders(to):
        for address in split_addresses(to):
            try:
                validate_email(address)
            except ValidationError:
                errors.setdefault("params.to", []).append(
                    _("“%(address)s” is not an e-mail address.") % {"address": address}
                )
    if key == NOTIFY_USERS and not errors and not (cleaned.get("users") or cleaned.get("roles")):
        errors["params.users"] = [_("Choose at least one user or role.")]
    return step, errors


def split_addresses(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def clean_definition(
    *, event_type: str, match: str, conditions_in: list, actions_in: list, actor=None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Check a rule's trigger, conditions and actions. Returns (clean values, errors keyed
    "event_type", "match", "conditions", "conditions.<i>.<key>", "actions",
    "actions.<i>.<key>")."""
    errors: dict[str, list[str]] = {}
    event_type = (event_type or "").strip()
    if event_type not in EVENT_TYPES:
        errors["event_type"] = [
            _("Unknown event type “%(type)s”.") % {"type": event_type}
            if event_type
            else _("Choose the event that starts the rule.")
        ]
    if match not in ("all", "any"):
        errors["match"] = [_("Choose whether all or any of the conditions must hold.")]
    if not isinstance(conditions_in, list):
        errors["conditions"] = [_("The conditions must be a list.")]
        conditions_in = []
    if not isinstance(actions_in, list):
        errors["actions"] = [_("The actions must be a list.")]
        actions_in = []
    if len(conditions_in) > MAX_CONDITIONS:
        errors["conditions"] = [_("At most %(n)s conditions.") % {"n": MAX_CONDITIONS}]
    if not actions_in and "actions" not in errors:
        errors["actions"] = [_("Add at least one action.")]
    if len(actions_in) > MAX_ACTIONS:
        errors["actions"] = [_("At most %(n)s actions.") % {"n": MAX_ACTIONS}]
    clean_conditions, clean_actions = [], []
    if "event_type" in errors:
        return {"event_type": event_type, "match": match}, errors
    for index, raw in enumerate(conditions_in):
        if not isinstance(raw, dict):
            errors[f"conditions.{index}"] = [_("A condition has a field, operator and value.")]
            continue
        condition, problems = conditions.clean_condition(event_type, raw)
        clean_conditions.append(condition)
        for key, messages in problems.items():
            errors[f"conditions.{index}.{key}"] = messages
    for index, raw in enumerate(actions_in):
        if not isinstance(raw, dict):
            errors[f"actions.{index}"] = [_("An action has a name and parameters.")]
            continue
        step, problems = clean_step(event_type, raw, actor=actor)
        clean_actions.append(step)
        for key, messages in problems.items():
            errors[f"actions.{index}.{key}"] = messages
    return {
        "event_type": event_type,
        "match": match,
        "conditions": clean_conditions,
        "actions": clean_actions,
    }, errors


def describe_step(step: dict) -> str:
    """The action in words, for the rule page: its label and its parameters."""
    action = step_type(step.get("action", ""))
    if action is None:
        return step.get("action", "")
    specs = action.param_specs()
    parts = []
    for name, value in (step.get("params") or {}).items():
        param = specs.get(name)
        if param is None or param.multiline or value in (None, "", []):
            continue
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        parts.append(f"{param.label}: {value}")
    label = str(action.label)
    return f"{label} ({'; '.join(parts)})" if parts else label
