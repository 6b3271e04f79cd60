"""The audit trail as people read it: the "History" panel of every record page.

An AuditEntry stores raw values ({field: [before, after]} with ids, choice values, ISO
dates). `readable(entries)` turns them into rows with the fields' translated names and
readable values: a choice's label, a related record's name, Yes/No, dates in the active
language's format. Related records are read with one query per related model for all
rows together, never one per row.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext

from samspill.platform.filters import CHANNEL_LABELS

EMPTY_VALUES: tuple[Any, ...] = (None, "", [], {})


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str

    @property
    def kind(self) -> str:
        """ "set" (was empty), "cleared" (is empty now) or "changed"."""
        if not self.before:
            return "set"
        if not self.after:
            return "cleared"
        return "changed"


@dataclass
class Row:
    entry: Any  # AuditEntry
    action: str  # create, update, delete ...
    action_label: str
    channel_label: str
    changes: list[Change] = field(default_factory=list)


def _model_field(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    try:
        found = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return found if isinstance(found, models.Field) else None


def _label(model_field: models.Field | None, name: str) -> str:
    if model_field is not None:
        return capfirst(str(model_field.verbose_name))
    # Keys that are not fields ("contact points", "relation") are English words that the
    # owning app's catalogue translates.
    return capfirst(gettext(name.replace("_", " ")))


def _related_model(model_field: models.Field | None) -> type[models.Model] | None:
    if model_field is not None and model_field.is_relation and model_field.related_model:
        related = model_field.related_model
        return related if isinstance(related, type) else None
    return None


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


class _Names:
    """str() of related records, fetched per model in one query for every row."""

    def __init__(self) -> None:
        self.wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        self.found: dict[type[models.Model], dict[Any, str]] = {}

    @staticmethod
    def _pk(model: type[models.Model], value: Any) -> Any:
        """The value as a primary key of model, or None (some entries store names)."""
        if value in EMPTY_VALUES or isinstance(value, bool) or not isinstance(value, int | str):
            return None
        try:
            return model._meta.pk.to_python(value) if model._meta.pk else None
        except ValidationError:
            return None

    def want(self, model: type[models.Model], value: Any) -> None:
        for item in _as_list(value):
            pk = self._pk(model, item)
            if pk is not None:
                self.wanted[model].add(pk)

    def load(self) -> None:
        for model, pks in self.wanted.items():
            objects = model._default_manager.in_bulk(list(pks))
            self.found[model] = {str(pk): str(obj) for pk, obj in objects.items()}

    def name(self, model: type[models.Model], value: Any) -> str:
        pk = self._pk(model, value)
        if pk is None:  # stored as a name already
            return str(value)
        # A deleted record is shown by its id: its name is gone with it.
        return self.found.get(model, {}).get(str(pk), f"#{pk}")


def _date_text(model_field: models.Field, value: Any) -> str | None:
    if isinstance(model_field, models.DateTimeField) and isinstance(value, str):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        day = parse_date(value[:10])
        if day is not None:
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    if isinstance(model_field, models.TimeField) and isinstance(value, str):
        try:
            return formats.time_format(dt.time.fromisoformat(value), "TIME_FORMAT")
        except ValueError:
            return None
    return None


def _text(model_field: models.Field | None, value: Any, names: _Names) -> str:
    """One stored value as people read it ("" for nothing)."""
    if value in EMPTY_VALUES:
        return ""
    if isinstance(value, bool) or isinstance(model_field, models.BooleanField):
        return gettext("Yes") if value else gettext("No")
    related = _related_model(model_field)
    if related is not None:
        return ", ".join(names.name(related, pk) for pk in _as_list(value))
    if model_field is not None:
        if model_field.choices:
            choices = {str(k): v for k, v in model_field.flatchoices}
            return ", ".join(str(choices.get(str(v), v)) for v in _as_list(value))
        date_text = _date_text(model_field, value)
        if date_text is not None:
            return date_text
        if isinstance(model_field, models.DecimalField | models.FloatField):
            try:
                return formats.number_format(Decimal(str(value)), use_l10n=True)
            except InvalidOperation:
                return str(value)
    if isinstance(value, list | tuple):
        return ", ".join(_text(None, v, names) for v in value if v not in EMPTY_VALUES)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(None, v, names)}" for k, v in value.items())
    return str(value)


def readable(entries: Iterable[Any]) -> list[Row]:
    """Rows for the History panel. Queries: related names, one per related model."""
    entries = list(entries)
    models_by_ct: dict[int, type[models.Model] | None] = {}
    for entry in entries:
        if entry.content_type_id not in models_by_ct:
            model = ContentType.objects.get_for_id(entry.content_type_id).model_class()
            models_by_ct[entry.content_type_id] = model
    names = _Names()
    for entry in entries:
        model = models_by_ct[entry.content_type_id]
        for key, pair in (entry.changes or {}).items():
            related = _related_model(_model_field(model, key))
            if related is not None and isinstance(pair, list | tuple):
                for value in pair:
                    names.want(related, value)
    names.load()

    rows = []
    for entry in entries:
        model = models_by_ct[entry.content_type_id]
        row = Row(
            entry=entry,
            action=entry.action,
            action_label=entry.get_action_display(),
            channel_label=str(CHANNEL_LABELS.get(entry.channel, entry.channel)),
        )
        for key, pair in (entry.changes or {}).items():
            model_field = _model_field(model, key)
            if isinstance(pair, list | tuple) and len(pair) == 2:
                before, after = pair
            else:  # a single value: what it is now
                before, after = None, pair
            change = Change(
                label=_label(model_field, key),
                before=_text(model_field, before, names),
                after=_text(model_field, after, names),
            )
            if entry.action == "create" and after is False:
                continue  # a new record's switched-off flags say nothing
            if change.before or change.after:
                row.changes.append(change)
        rows.append(row)
    return rows
