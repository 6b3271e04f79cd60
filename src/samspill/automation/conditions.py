"""Conditions of a rule: a field of the event, an operator and a value.

A field is a dotted path into what the rule knows about the event:

- `payload.<field>[.<key>...]` a field of the event's payload (`payload.kind`,
  `payload.data.email` for an inbound message);
- `subjects.<kind>` the ids of the records of that kind the event is about;
- `event.type`, `event.channel` (ui, api, import, automation, system), `event.actor_id`,
  `event.version`, `event.occurred_at`.

Text comparisons ignore case. Numbers are compared as numbers, dates as dates.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.platform.events import EVENT_TYPES

MISSING = object()


@dataclasses.dataclass(frozen=True)
class Operator:
    key: str
    label: Any
    needs_value: bool = True
    takes_list: bool = False  # the value is a list (comma-separated in forms)


OPERATORS: dict[str, Operator] = {
    op.key: op
    for op in (
        Operator("equals", gettext_lazy("equals")),
        Operator("not_equals", gettext_lazy("does not equal")),
        Operator("contains", gettext_lazy("contains")),
        Operator("greater", gettext_lazy("is greater than")),
        Operator("less", gettext_lazy("is less than")),
        Operator("in", gettext_lazy("is one of"), takes_list=True),
        Operator("is_empty", gettext_lazy("is empty"), needs_value=False),
        Operator("is_not_empty", gettext_lazy("is not empty"), needs_value=False),
        Operator("changed_includes", gettext_lazy("changed fields include"), takes_list=True),
    )
}

EVENT_FIELDS = {
    "type": gettext_lazy("Event type"),
    "channel": gettext_lazy("Channel (ui, api, import, automation, system)"),
    "actor_id": gettext_lazy("Id of the user who did it"),
    "version": gettext_lazy("Schema version"),
    "occurred_at": gettext_lazy("When it happened"),
}
CHANGED_FIELD_NAMES = ("fields", "changed", "changed_fields")


# --- What an event type offers --------------------------------------------------------------


def payload_fields(event_type: str) -> dict[str, str]:
    """Payload field name -> its type as text ("int", "list[str]"), for an event type."""
    event_class = EVENT_TYPES.get(event_type)
    if event_class is None:
        return {}
    return {f.name: _type_text(f.type) for f in dataclasses.fields(event_class)}


def _type_text(annotation) -> str:
    if isinstance(annotation, str):
        return annotation
    return getattr(annotation, "__name__", None) or str(annotation)


def list_fields(event_type: str) -> list[str]:
    return [
        name
        for name, kind in payload_fields(event_type).items()
        if kind.replace("typing.", "").lower().startswith(("list", "tuple"))
    ]


def subject_kinds(event_type: str) -> set[str] | None:
    """The kinds of record the event names as subjects; None when they vary per event."""
    event_class = EVENT_TYPES.get(event_type)
    if event_class is None:
        return set()
    if getattr(event_class, "dynamic_subjects", False):
        return None
    return set(event_class.subject_fields.values())


def field_suggestions(event_type: str) -> list[tuple[str, str]]:
    """(path, description) of the fields a condition can test, for the rule builder."""
    result = [(f"payload.{name}", kind) for name, kind in payload_fields(event_type).items()]
    kinds = subject_kinds(event_type)
    for kind in sorted(kinds or ()):
        result.append((f"subjects.{kind}", _("ids of the %(kind)s records") % {"kind": kind}))
    result.extend((f"event.{name}", str(label)) for name, label in EVENT_FIELDS.items())
    return result


def changed_fields_path(event_type: str) -> str | None:
    lists = list_fields(event_type)
    for name in CHANGED_FIELD_NAMES:
        if name in lists:
            return f"payload.{name}"
    return None


# --- Validation ------------------------------------------------------------------------------


def _as_number(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, str):
        text = value.strip().replace(" ", "").replace("\u00a0", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    return None


def _as_moment(value) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment


def _split(value) -> list[str]:
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(item).strip() for item in items if str(item).strip()]


def clean_condition(event_type: str, raw: dict) -> tuple[dict, dict[str, list[str]]]:
    """Check one condition against the event type. Returns (clean condition, errors by
    key among "field", "operator", "value")."""
    errors: dict[str, list[str]] = {}
    path = str(raw.get("field") or "").strip()
    operator_key = str(raw.get("operator") or "").strip()
    value = raw.get("value")

    operator = OPERATORS.get(operator_key)
    if operator is None:
        errors["operator"] = [
            _("Unknown operator “%(op)s”. Use one of: %(known)s.")
            % {"op": operator_key, "known": ", ".join(OPERATORS)}
        ]
    if not path and operator_key == "changed_includes":
        path = changed_fields_path(event_type) or ""
        if not path:
            errors["field"] = [_("This event does not list changed fields.")]
    elif not path:
        errors["field"] = [_("Choose the field to test.")]
    else:
        problem = _check_path(event_type, path)
        if problem:
            errors["field"] = [problem]

    clean_value: Any = None
    if operator is not None:
        if not operator.needs_value:
            clean_value = None
        elif operator.takes_list:
            clean_value = _split(value if value is not None else "")
            if not clean_value:
                errors["value"] = [_("Enter one or more values, separated by commas.")]
        else:
            if value is None or (isinstance(value, str) and not value.strip()):
                if operator.key in ("greater", "less"):
                    errors["value"] = [_("Enter a number or a date to compare with.")]
                clean_value = ""
            elif isinstance(value, dict | list):
                errors["value"] = [_("Enter a single value.")]
            else:
                clean_value = value.strip() if isinstance(value, str) else value
                if operator.key in ("greater", "less") and (
                    _as_number(clean_value) is None and _as_moment(clean_value) is None
                ):
                    errors["value"] = [_("Enter a number or a date (YYYY-MM-DD) to compare with.")]
        if operator.key == "changed_includes" and "field" not in errors:
            name = path.split(".", 1)[1].split(".")[0] if path.startswith("payload.") else ""
            if name not in list_fields(event_type):
                errors["field"] = [_("“Changed fields include” needs a field that is a list.")]
    return {"field": path, "operator": operator_key, "value": clean_value}, errors


def _check_path(event_type: str, path: str) -> str | None:
    root, _dot, rest = path.partition(".")
    if not rest:
        return _("Write the field as payload.<name>, subjects.<kind> or event.<name>.")
    if root == "payload":
        name = rest.split(".", 1)[0]
        fields = payload_fields(event_type)
        if name not in fields:
            return _("The event has no field “%(name)s”. Its fields: %(fields)s.") % {
                "name": name,
                "fields": ", ".join(fields) or "–",
            }
        return None
    if root == "subjects":
        kinds = subject_kinds(event_type)
        if "." in rest or (kinds is not None and rest not in kinds):
            return _("The event is not about records of the kind “%(kind)s”.") % {"kind": rest}
        return None
    if root == "event":
        if rest not in EVENT_FIELDS:
            return _("Unknown event field “%(name)s”. Use one of: %(known)s.") % {
                "name": rest,
                "known": ", ".join(EVENT_FIELDS),
            }
        return None
    return _("Write the field as payload.<name>, subjects.<kind> or event.<name>.")


# --- Evaluation ----------------------------------------------------------------------------


def context_of(event) -> dict[str, Any]:
    """What conditions see of a stored event (an OutboxEvent row)."""
    return {
        "payload": event.payload or {},
        "subjects": event.subjects or {},
        "event": {
            "type": event.type,
            "channel": event.channel,
            "actor_id": event.actor_id,
            "version": event.version,
            "occurred_at": event.occurred_at.isoformat() if event.occurred_at else None,
        },
    }


def resolve(context: dict[str, Any], path: str):
    value: Any = context
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part, MISSING)
        elif isinstance(value, list | tuple) and part.lstrip("-").isdigit():
            index = int(part)
            value = value[index] if -len(value) <= index < len(value) else MISSING
        else:
            return MISSING
        if value is MISSING:
            return MISSING
    return value


def _is_empty(value) -> bool:
    return value is MISSING or value is None or value == "" or value == [] or value == {}


def _text(value) -> str:
    return str(value).strip().casefold()


def _equals(actual, expected) -> bool:
    if actual is MISSING or actual is None:
        return expected is None or _text(expected) == ""
    if isinstance(actual, bool):
        word = _text(expected)
        return (word in ("1", "true", "yes", "ja", "on")) == actual if word else False
    if isinstance(actual, list | tuple):
        return sorted(_text(v) for v in actual) == sorted(_text(v) for v in _split(expected))
    left, right = _as_number(actual), _as_number(expected)
    if left is not None and right is not None:
        return left == right
    return _text(actual) == _text(expected)


def _compare(actual, expected, greater: bool) -> bool:
    left, right = _as_number(actual), _as_number(expected)
    if left is None or right is None:
        moment_left, moment_right = _as_moment(actual), _as_moment(expected)
        if moment_left is None or moment_right is None:
            return False
        if (moment_left.tzinfo is None) != (moment_right.tzinfo is None):
            moment_left = moment_left.replace(tzinfo=None)
            moment_right = moment_right.replace(tzinfo=None)
        return moment_left > moment_right if greater else moment_left < moment_right
    return left > right if greater else left < right


def holds(condition: dict, context: dict[str, Any]) -> bool:
    actual = resolve(context, condition["field"])
    expected = condition.get("value")
    op = condition["operator"]
    if op == "equals":
        return _equals(actual, expected)
    if op == "not_equals":
        return not _equals(actual, expected)
    if op == "contains":
        if isinstance(actual, list | tuple):
            return any(_equals(item, expected) for item in actual)
        if isinstance(actual, dict):
            return _text(expected) in {_text(k) for k in actual}
        if isinstance(actual, str):
            return _text(expected) in actual.casefold()
        return False
    if op == "greater":
        return _compare(actual, expected, greater=True)
    if op == "less":
        return _compare(actual, expected, greater=False)
    if op == "in":
        return any(_equals(actual, item) for item in expected or [])
    if op == "is_empty":
        return _is_empty(actual)
    if op == "is_not_empty":
        return not _is_empty(actual)
    if op == "changed_includes":
        if not isinstance(actual, list | tuple):
            return False
        changed = {_text(v) for v in actual}
        return any(_text(item) in changed for item in expected or [])
    raise ValueError(f"unknown operator {op!r}")


def evaluate(conditions: list[dict], match: str, context: dict[str, Any]) -> bool:
    """Whether the rule's conditions hold (no conditions: always)."""
    if not conditions:
        return True
    results = (holds(condition, context) for condition in conditions)
    return any(results) if match == "any" else all(results)


def describe(condition: dict) -> str:
    """The condition in words, for the rule page."""
    operator = OPERATORS.get(condition.get("operator", ""))
    label = str(operator.label) if operator else condition.get("operator", "")
    value = condition.get("value")
    if operator is not None and not operator.needs_value:
        return _("%(field)s %(operator)s") % {"field": condition.get("field"), "operator": label}
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return _("%(field)s %(operator)s “%(value)s”") % {
        "field": condition.get("field"),
        "operator": label,
        "value": value,
    }
