"""Actions that automation rules may run on a domain's records, declared by the domain.

A domain registers what it lets rules do in its AppConfig.ready(), without the automation
app importing it (the same hook-registry pattern as navigation and search):

    from samspill.platform.actions import Action, Param, register_action

    register_action(Action(
        key="parties.add_tag",
        label=_("Add a tag"),
        subject_kind="party",
        params={"tag": Param(str, label=_("Tag"))},
        run=add_tag_from_rule,           # fn(subject_id, params, actor)
        permission="parties.change_party",
    ))

`run` receives the id of the record the event is about (a string, as in the event's
subjects), the parameters already checked and converted by `Action.clean_params`, and the
user the rule runs as. It calls the domain's own service, so the domain's validation,
permission check, audit trail and events apply exactly as if a person had done it. It
raises a DomainError when it cannot act; the rule run is then logged as failed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from samspill.platform.errors import ValidationFailed

ACTION_KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
PARAM_TYPES = (str, int, bool, Decimal, list)
TRUE_WORDS = {"1", "true", "yes", "on", "ja", "sann"}
FALSE_WORDS = {"0", "false", "no", "off", "nei", "usann", ""}

Choices = Iterable[tuple[Any, Any]] | Callable[[], Iterable[tuple[Any, Any]]]


@dataclass(frozen=True)
class Param:
    """One parameter of an action. `type` is str, int, bool, Decimal or list (of str)."""

    type: type = str
    label: Any = ""
    required: bool = True
    help_text: Any = ""
    # allowed values: pairs (value, label), or a callable returning them (read when used)
    choices: Choices | None = None
    multiline: bool = False  # a long text: a text area in the rule builder

    def choice_list(self) -> list[tuple[str, str]]:
        if self.choices is None:
            return []
        items = self.choices() if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in items]


@dataclass(frozen=True)
class Action:
    key: str  # "<domain>.<verb>", e.g. "parties.add_tag"
    label: Any  # lazy translated, what the action does, for people building rules
    subject_kind: str  # the kind of record it acts on ("party"), "" for none
    params: dict[str, Param | type]
    run: Callable[[str | None, dict[str, Any], Any], Any]
    permission: str | None = None  # who builds a rule with this action needs it
    description: Any = ""
    _specs: dict[str, Param] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if not ACTION_KEY.match(self.key):
            raise ValueError(f"action key {self.key!r} is not <domain>.<verb>")
        specs = {}
        for name, spec in self.params.items():
            param = spec if isinstance(spec, Param) else Param(spec, label=name)
            if param.type not in PARAM_TYPES:
                raise ValueError(f"action {self.key}: parameter {name!r} has type {param.type!r}")
            specs[name] = param
        object.__setattr__(self, "_specs", specs)

    @property
    def domain(self) -> str:
        return self.key.split(".", 1)[0]

    def param_specs(self) -> dict[str, Param]:
        return dict(self._specs)

    def clean_params(self, raw: dict[str, Any] | None, *, skip: Iterable[str] = ()) -> dict:
        """Check and convert raw parameter values (from a form or JSON). Raises
        ValidationFailed with one error list per parameter name. Names in `skip` are
        passed through unchanged (e.g. values holding {{ placeholders }})."""
        raw = dict(raw or {})
        skip = set(skip)
        errors: dict[str, list[str]] = {}
        unknown = sorted(set(raw) - set(self._specs))
        for name in unknown:
            errors[name] = [_("This action has no parameter “%(name)s”.") % {"name": name}]
        cleaned: dict[str, Any] = {}
        for name, param in self._specs.items():
            if name in skip:
                cleaned[name] = raw.get(name)
                continue
            try:
                value = convert(param, raw.get(name))
            except ValueError as exc:
                errors[name] = [str(exc)]
                continue
            if value is None:
                if param.required:
                    errors[name] = [_("This parameter is required.")]
                continue
            cleaned[name] = value
        if errors:
            first = next(iter(errors.values()))[0]
            raise ValidationFailed(first, errors=errors)
        return cleaned


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def convert(param: Param, value):
    """The value converted to the parameter's type; None when empty. ValueError (with a
    translated message) when it cannot be converted or is not among the choices."""
    if _empty(value):
        return None if param.type is not bool else False
    kind = param.type
    if kind is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("Enter yes or no."))
    if kind is int:
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValueError(_("Enter a whole number.")) from None
        if number != number.to_integral_value():
            raise ValueError(_("Enter a whole number."))
        result: Any = int(number)
    elif kind is Decimal:
        if isinstance(value, bool | float):
            raise ValueError(_("Enter a number."))
        try:
            result = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not result.is_finite():
            raise ValueError(_("Enter a number."))
    elif kind is list:
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        result = [str(item).strip() for item in items if str(item).strip()]
        if not result:
            return None
    else:
        if not isinstance(value, str | int | Decimal) or isinstance(value, bool):
            raise ValueError(_("Enter a text."))
        result = str(value).strip()
    if param.choices is not None:
        allowed = {value for value, _label in param.choice_list()}
        values = result if isinstance(result, list) else [result]
        wrong = [str(v) for v in values if str(v) not in allowed]
        if wrong:
            raise ValueError(
                _("Not one of the allowed values: %(values)s.") % {"values": ", ".join(wrong)}
            )
    return result


_registry: dict[str, Action] = {}


def register_action(action: Action) -> None:
    """Declare an action. Registering the same key twice replaces the first (app reload)."""
    _registry[action.key] = action


def actions() -> list[Action]:
    """Every registered action, by key."""
    return [_registry[key] for key in sorted(_registry)]


def get_action(key: str) -> Action | None:
    return _registry.get(key)


def unregister_action(key: str) -> None:
    """Remove an action (tests)."""
    _registry.pop(key, None)
