"""Operators, field paths and the template sandbox, without the database."""

from decimal import Decimal

import pytest

from samspill.automation import conditions, templating
from samspill.automation.tests.factories import PLACED
from samspill.platform.actions import Action, Param, convert
from samspill.platform.errors import ValidationFailed

CONTEXT = {
    "payload": {
        "total": "1500.50",
        "count": 3,
        "status": "Paid",
        "tags": ["vip", "Nordic"],
        "fields": ["email", "phone"],
        "email": "",
        "address": {"city": "Bergen", "lines": ["Bryggen 1", "5003"]},
        "placed_on": "2026-01-15",
        "express": True,
        "note": None,
    },
    "subjects": {"party": ["3", "4"]},
    "event": {"type": PLACED, "channel": "ui", "actor_id": 12},
}


def holds(field, operator, value=None):
    return conditions.holds({"field": field, "operator": operator, "value": value}, CONTEXT)


@pytest.mark.parametrize(
    ("field", "operator", "value", "expected"),
    [
        ("payload.status", "equals", "paid", True),  # text ignores case
        ("payload.status", "equals", "paid ", True),
        ("payload.status", "equals", "new", False),
        ("payload.total", "equals", "1500.5", True),  # numbers as numbers
        ("payload.count", "equals", "3.0", True),
        ("payload.express", "equals", "yes", True),
        ("payload.express", "equals", "false", False),
        ("payload.tags", "equals", "nordic, VIP", True),  # a list equals the same items
        ("payload.note", "equals", "", True),
        ("payload.missing", "equals", "x", False),
        ("payload.status", "not_equals", "new", True),
        ("payload.status", "not_equals", "PAID", False),
        ("payload.status", "contains", "AI", True),
        ("payload.tags", "contains", "vip", True),
        ("payload.tags", "contains", "vi", False),  # list items are compared whole
        ("payload.address", "contains", "city", True),
        ("payload.count", "contains", "3", False),
        ("payload.total", "greater", "1000", True),
        ("payload.total", "greater", "1 500,50", False),
        ("payload.total", "less", "2000", True),
        ("payload.count", "less", "3", False),
        ("payload.placed_on", "greater", "2026-01-01", True),
        ("payload.placed_on", "less", "2026-01-01", False),
        ("payload.status", "greater", "5", False),  # not comparable: does not hold
        ("payload.status", "in", ["new", "paid"], True),
        ("payload.count", "in", ["1", "3"], True),
        ("payload.status", "in", ["new"], False),
        ("payload.email", "is_empty", None, True),
        ("payload.note", "is_empty", None, True),
        ("payload.missing", "is_empty", None, True),
        ("payload.tags", "is_empty", None, False),
        ("payload.tags", "is_not_empty", None, True),
        ("payload.fields", "changed_includes", ["phone"], True),
        ("payload.fields", "changed_includes", ["name", "EMAIL"], True),
        ("payload.fields", "changed_includes", ["name"], False),
        ("payload.status", "changed_includes", ["paid"], False),
        ("payload.address.city", "equals", "bergen", True),
        ("payload.address.lines.1", "equals", "5003", True),
        ("payload.address.lines.-1", "equals", "5003", True),
        ("payload.address.lines.9", "is_empty", None, True),
        ("subjects.party", "contains", "4", True),
        ("subjects.order", "is_empty", None, True),
        ("event.channel", "equals", "UI", True),
        ("event.actor_id", "equals", "12", True),
    ],
)
def test_operators(field, operator, value, expected):
    assert holds(field, operator, value) is expected


def test_all_and_any():
    yes = {"field": "payload.status", "operator": "equals", "value": "paid"}
    no = {"field": "payload.status", "operator": "equals", "value": "new"}
    assert conditions.evaluate([], "all", CONTEXT)
    assert conditions.evaluate([yes, yes], "all", CONTEXT)
    assert not conditions.evaluate([yes, no], "all", CONTEXT)
    assert conditions.evaluate([no, yes], "any", CONTEXT)
    assert not conditions.evaluate([no, no], "any", CONTEXT)


def test_field_suggestions_list_payload_subjects_and_event_fields(events):
    paths = [path for path, _hint in conditions.field_suggestions(PLACED)]
    assert paths[:3] == ["payload.order_id", "payload.party_id", "payload.total"]
    assert "subjects.order" in paths and "subjects.party" in paths
    assert "event.channel" in paths
    assert conditions.changed_fields_path(PLACED) == "payload.fields"
    assert conditions.list_fields(PLACED) == ["tags", "fields"]


def test_template_sandbox_sees_only_the_payload():
    payload = {"name": "Kari", "lines": [{"qty": 2}, {"qty": 3}]}
    text = (
        "Hi {{ name|upper }}: {% for l in lines %}{{ l.qty }}{% endfor %}{{ settings }}{{ user }}"
    )
    assert templating.render(text, payload) == "Hi KARI: 23"
    assert templating.render("no placeholders", payload) == "no placeholders"
    for forbidden in (
        "{% debug %}",
        "{% load static %}",
        "{% include 'web/base.html' %}",
        "{% extends 'web/base.html' %}",
        "{% url 'web:home' %}",
        "{% csrf_token %}",
    ):
        with pytest.raises(ValidationFailed):
            templating.check(forbidden)
    # methods the template calls cannot change the event
    templating.render("{{ lines.clear }}{{ lines.0.clear }}", payload)
    assert payload["lines"] == [{"qty": 2}, {"qty": 3}]
    assert templating.render("{{ lines|length }}", payload) == "2"
    # no autoescaping: e-mails are plain text
    assert templating.render("{{ name }}", {"name": "<Kari & Ola>"}) == "<Kari & Ola>"


@pytest.mark.parametrize(
    ("param", "raw", "expected"),
    [
        (Param(str), "  hi ", "hi"),
        (Param(str), "", None),
        (Param(int), "42", 42),
        (Param(int), 7, 7),
        (Param(Decimal), "12,50", Decimal("12.50")),
        (Param(Decimal), "1 000.5", Decimal("1000.5")),
        (Param(bool), "ja", True),
        (Param(bool), "", False),
        (Param(bool), False, False),
        (Param(list), "a, b,,c", ["a", "b", "c"]),
        (Param(list), ["x", " y "], ["x", "y"]),
        (Param(str, choices=[("a", "A")]), "a", "a"),
    ],
)
def test_param_conversion(param, raw, expected):
    assert convert(param, raw) == expected


@pytest.mark.parametrize(
    ("param", "raw"),
    [
        (Param(int), "4.5"),
        (Param(int), "four"),
        (Param(int), True),
        (Param(Decimal), "NaN"),
        (Param(Decimal), 1.5),
        (Param(bool), "maybe"),
        (Param(str), {"a": 1}),
        (Param(str, choices=[("a", "A")]), "b"),
        (Param(list, choices=lambda: [("a", "A")]), ["a", "b"]),
    ],
)
def test_param_conversion_refuses(param, raw):
    with pytest.raises(ValueError):
        convert(param, raw)


def test_actions_are_declared_strictly():
    with pytest.raises(ValueError):
        Action(key="NoDot", label="x", subject_kind="", params={}, run=print)
    with pytest.raises(ValueError):
        Action(key="a.b", label="x", subject_kind="", params={"x": dict}, run=print)
    action = Action(
        key="parties.add_tag",
        label="Add a tag",
        subject_kind="party",
        params={"tag": str},
        run=print,
    )
    assert action.domain == "parties"
    assert action.param_specs()["tag"] == Param(str, label="tag")
    assert action.clean_params({"tag": " vip "}) == {"tag": "vip"}
    with pytest.raises(ValidationFailed) as caught:
        action.clean_params({"tag": "", "colour": "red"})
    assert set(caught.value.errors) == {"tag", "colour"}
