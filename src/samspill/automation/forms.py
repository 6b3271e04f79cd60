"""Input shapes of the automation pages: the rule builder (a rule form with rows of
conditions and rows of actions) and the webhook form. They only collect values; the rule
itself is checked by automation.services, whose errors are shown on the right rows."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.forms.formsets import BaseFormSet, formset_factory
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from samspill.automation import conditions, definitions
from samspill.platform.errors import DomainError


def _bootstrap(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(
            widget, forms.CheckboxSelectMultiple | forms.RadioSelect | forms.CheckboxInput
        ):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        else:
            widget.attrs.setdefault("class", "form-control")


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the rule is for, for the people who come after you."),
    )
    event_type = forms.ChoiceField(
        label=_("When this happens"),
        help_text=_("The event that starts the rule."),
    )
    match = forms.ChoiceField(
        label=_("Run the actions when"),
        choices=[("all", _("all conditions hold")), ("any", _("any condition holds"))],
        initial="all",
        widget=forms.RadioSelect,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = [("", "—"), *definitions.event_choices()]
        _bootstrap(self)
        self.fields["event_type"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("automation:builder_fields"),
                "hx-target": "#rule-fields",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )


class ConditionForm(forms.Form):
    field = forms.CharField(
        label=_("Field"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "rule-fields", "autocomplete": "off"}),
    )
    operator = forms.ChoiceField(label=_("Test"), required=False)
    value = forms.CharField(
        label=_("Value"),
        required=False,
        max_length=500,
        help_text=_("For “is one of” and “changed fields include”: separate with commas."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [("", "—")] + [
            (op.key, op.label) for op in conditions.OPERATORS.values()
        ]
        _bootstrap(self)

    def as_condition(self) -> dict:
        data = self.cleaned_data
        return {"field": data["field"], "operator": data["operator"], "value": data["value"]}


PARAM_PREFIX = "p_"


class ActionForm(forms.Form):
    """One action row. Its parameter fields depend on the chosen action (from the posted
    data or the initial values), so the row is re-rendered when the action changes."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    subject_field = forms.ChoiceField(label=_("On"), required=False)

    def __init__(self, *args, event_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.event_type = event_type
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [("", "—")] + [(a.key, a.label) for a in definitions.step_types()]
        key = self.chosen_action()
        self.step_type = definitions.step_type(key) if key else None
        kind = self.step_type.subject_kind if self.step_type else ""
        subject_field = self.fields["subject_field"]
        assert isinstance(subject_field, forms.ChoiceField)
        subject_field.choices = [
            ("", _("every %(kind)s record the event is about") % {"kind": kind or "–"})
        ] + [(f, f) for f in definitions.subject_field_choices(event_type, kind)]
        if self.step_type is not None:
            for name, param in self.step_type.param_specs().items():
                self.fields[PARAM_PREFIX + name] = _param_field(param)
        _bootstrap(self)

    def chosen_action(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("action"), "") or "")
        return str(self.initial.get("action", "") or "")

    @property
    def param_fields(self):
        return [self[name] for name in self.fields if name.startswith(PARAM_PREFIX)]

    @property
    def shows_subject(self) -> bool:
        return bool(self.step_type and self.step_type.subject_kind)

    def as_step(self) -> dict:
        data = self.cleaned_data
        params = {
            name[len(PARAM_PREFIX) :]: value
            for name, value in data.items()
            if name.startswith(PARAM_PREFIX)
        }
        return {
            "action": data["action"],
            "subject_field": data.get("subject_field") or "",
            "params": params,
        }


def _param_field(param) -> forms.Field:
    common = {"label": param.label, "required": False, "help_text": param.help_text}
    if param.type is bool:
        return forms.BooleanField(**common)
    if param.choices is not None:
        choices = param.choice_list()
        if param.type is list:
            many: forms.Widget = (
                forms.CheckboxSelectMultiple()
                if len(choices) <= 12
                else forms.SelectMultiple(attrs={"size": 6})
            )
            return forms.MultipleChoiceField(choices=choices, widget=many, **common)
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    widget: forms.Widget = forms.TextInput()
    if param.multiline:
        widget = forms.Textarea(attrs={"rows": 4})
    elif param.type is int:
        widget = forms.TextInput(attrs={"inputmode": "numeric"})
    elif param.type is Decimal:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
    return forms.CharField(widget=widget, strip=False, **common)


class BuilderFormSet(BaseFormSet):
    """Rows that may be added and removed in the browser: every row is optional (an
    untouched row is ignored), so the index of a removed row may simply be missing."""

    def initial_form_count(self):
        return 0

    def included_forms(self) -> list[forms.Form]:
        return [form for form in self.forms if form.has_changed()]


ConditionFormSet = formset_factory(
    ConditionForm, formset=BuilderFormSet, extra=0, max_num=definitions.MAX_CONDITIONS
)
ActionFormSet = formset_factory(
    ActionForm, formset=BuilderFormSet, extra=0, max_num=definitions.MAX_ACTIONS
)


def condition_initial(rule_conditions: list[dict]) -> list[dict]:
    return [
        {
            "field": c.get("field", ""),
            "operator": c.get("operator", ""),
            "value": ", ".join(map(str, c["value"]))
            if isinstance(c.get("value"), list)
            else ("" if c.get("value") is None else c.get("value")),
        }
        for c in rule_conditions
    ]


def action_initial(rule_actions: list[dict]) -> list[dict]:
    rows = []
    for step in rule_actions:
        row = {"action": step.get("action", ""), "subject_field": step.get("subject_field", "")}
        spec = definitions.step_type(row["action"])
        specs = spec.param_specs() if spec else {}
        for name, value in (step.get("params") or {}).items():
            param = specs.get(name)
            if isinstance(value, list) and not (param and param.choice_list()):
                value = ", ".join(map(str, value))
            row[PARAM_PREFIX + name] = value
        rows.append(row)
    return rows


class RuleBuilder:
    """The rule form with its two formsets, bound or not, and the mapping of the
    services' errors ("conditions.0.field", "actions.1.params.tag") onto the rows."""

    def __init__(self, data=None, *, rule=None):
        initial = {}
        cond_initial: list[dict] = []
        act_initial: list[dict] = []
        if rule is not None:
            initial = {
                "name": rule.name,
                "description": rule.description,
                "event_type": rule.event_type,
                "match": rule.match,
                "is_active": rule.is_active,
            }
            cond_initial = condition_initial(rule.conditions)
            act_initial = action_initial(rule.actions)
        self.form = RuleForm(data, initial=initial)
        event_type = data.get("event_type") if data is not None else initial.get("event_type")
        self.event_type = event_type or ""
        # A bound row is compared with nothing: every filled-in row counts.
        self.conditions = ConditionFormSet(
            data, prefix="cond", initial=None if data is not None else cond_initial or None
        )
        self.actions = ActionFormSet(
            data,
            prefix="act",
            initial=None if data is not None else act_initial or None,
            form_kwargs={"event_type": self.event_type},
        )
        if data is None:
            self.conditions.extra = len(cond_initial)
            self.actions.extra = max(len(act_initial), 1)
        self._condition_forms: list[forms.Form] = []
        self._action_forms: list[forms.Form] = []

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        valid = self.conditions.is_valid() and valid
        return self.actions.is_valid() and valid

    def values(self) -> dict:
        """The rule as the services take it (after is_valid())."""
        self._condition_forms = self.conditions.included_forms()
        self._action_forms = self.actions.included_forms()
        data = self.form.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "event_type": data["event_type"],
            "match": data["match"],
            "is_active": data["is_active"],
            "conditions": [
                f.as_condition() for f in self._condition_forms if isinstance(f, ConditionForm)
            ],
            "actions": [f.as_step() for f in self._action_forms if isinstance(f, ActionForm)],
        }

    def show_errors(self, exc: DomainError) -> None:
        if not exc.errors:
            self.form.add_error(None, str(exc.message))
            return
        for key, messages in exc.errors.items():
            parts = key.split(".")
            target_form: forms.Form = self.form
            field: str | None = key
            if parts[0] in ("conditions", "actions") and len(parts) >= 2 and parts[1].isdigit():
                rows = self._condition_forms if parts[0] == "conditions" else self._action_forms
                index = int(parts[1])
                target_form = rows[index] if index < len(rows) else self.form
                field = ".".join(parts[2:])
                if field.startswith("params."):
                    field = PARAM_PREFIX + field[len("params.") :]
            elif parts[0] in ("conditions", "actions"):
                field = None
            for message in messages:
                if field and field in target_form.fields:
                    target_form.add_error(field, message)
                else:
                    target_form.add_error(None, message)


class WebhookForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    url = forms.CharField(
        label=_("Target URL"),
        max_length=500,
        widget=forms.URLInput(attrs={"placeholder": "https://", "inputmode": "url"}),
        help_text=_("Events are POSTed here as JSON, signed with the webhook's secret."),
    )
    all_events = forms.BooleanField(label=_("Send all events"), required=False)
    event_types = forms.MultipleChoiceField(
        label=_("Events to send"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = definitions.event_choices()
        _bootstrap(self)

    @classmethod
    def initial_for(cls, webhook) -> dict:
        return {
            "name": webhook.name,
            "url": webhook.url,
            "all_events": webhook.all_events,
            "event_types": webhook.event_types,
            "is_active": webhook.is_active,
        }


class TestRuleForm(forms.Form):
    event = forms.ChoiceField(label=_("Event"))

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].choices = [
            (str(e.pk), f"{e.occurred_at:%Y-%m-%d %H:%M} · {e.type}") for e in events
        ]
        _bootstrap(self)
