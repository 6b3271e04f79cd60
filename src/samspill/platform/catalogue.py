"""The event catalogue (docs/events.md), generated from the registered event classes, so
the documentation says exactly what the code publishes: `samspill event-catalogue --write`."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

from django.conf import settings
from django.utils import translation

from samspill.platform.events import EVENT_TYPES, Event

DOC_PATH = Path("docs") / "events.md"

INTRO = """\
# Event catalogue

Every domain event Samspill publishes, generated from the code with
`samspill event-catalogue --write` (a test fails when a published type is missing here).

How events work (see `DESIGN.md` and `src/samspill/platform/README.md`):

- A service publishes an event inside its transaction: it is written to the outbox with
  the change, so a rolled-back change has no event.
- After commit the event is delivered to every subscriber through the task backend:
  at least once, retried with backoff (2, 4, 8 ... seconds, at most one hour), a dead
  letter after `EVENT_MAX_ATTEMPTS` attempts (8), visible and replayable under
  *Administration › Events* and `POST /api/v1/platform/events/{id}/replay`.
- A subscriber runs once per event: its work and the record that it handled the event
  are committed together.
- Subscribers name the type string: `@subscribe("parties.party.created")`.
- **Subjects** are the records an event is about (kind and id); they build the timeline
  of any record, e.g. the 360-degree view of a party.
- A payload change that breaks readers gets a new **version**; readers check
  `event.version`.
"""


def _type_name(annotation) -> str:
    if isinstance(annotation, str):
        return annotation
    origin = typing.get_origin(annotation)
    if origin is None:
        return getattr(annotation, "__name__", str(annotation))
    args = ", ".join(_type_name(a) for a in typing.get_args(annotation))
    return f"{getattr(origin, '__name__', str(origin))}[{args}]"


def documented_types() -> dict[str, type[Event]]:
    """The event types that belong in the catalogue (not the test suite's own)."""
    return {
        name: cls
        for name, cls in sorted(EVENT_TYPES.items())
        if ".tests." not in cls.__module__ and not cls.__module__.endswith(".tests")
    }


def heading(cls: type[Event]) -> str:
    return f"### `{cls.type}` (v{cls.version})"


def render_event(cls: type[Event]) -> str:
    hints = typing.get_type_hints(cls)
    lines = [heading(cls), "", str(cls.description) or "—", ""]
    subjects = ", ".join(
        f"`{field}` → {kind}" for field, kind in sorted(cls.subject_fields.items())
    )
    lines += [f"Subjects: {subjects or '—'}", "", "| field | type |", "|---|---|"]
    for field in dataclasses.fields(cls):
        lines.append(f"| `{field.name}` | {_type_name(hints.get(field.name, field.type))} |")
    lines.append("")
    return "\n".join(lines)


def render() -> str:
    with translation.override("en"):
        types = documented_types()
        parts = [INTRO]
        if not types:
            parts.append("No events are registered yet.\n")
        domain = None
        for name, cls in types.items():
            this_domain = name.split(".", 1)[0]
            if this_domain != domain:
                domain = this_domain
                parts.append(f"## {domain}\n")
            parts.append(render_event(cls))
        return "\n".join(parts)


def doc_path() -> Path:
    return Path(settings.PROJECT_DIR) / DOC_PATH
