"""The timeline of any record: the events that name it as a subject, newest first. The
party 360-degree view is the timeline of subject ("party", id); no domain needs to know it.

One query whatever the number of events: the newest `limit` subject rows of the record
(index kind, object_id, -occurred_at), joined to their events. Older pages are read by
keyset: every entry has a `cursor` ("<occurred_at, ISO in UTC>~<event id>"); `before=cursor` gives
the entries after it, stable while new events arrive.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from django.apps import apps
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from samspill.platform.events import EVENT_TYPES, summarize
from samspill.platform.models import EventSubject, OutboxEvent

CURSOR_SEPARATOR = "~"


@dataclass(frozen=True)
class TimelineEntry:
    event: OutboxEvent
    summary: str

    @property
    def domain(self) -> str:
        return self.event.type.split(".", 1)[0]

    @property
    def domain_label(self) -> str:
        return domain_label(self.domain)

    @property
    def cursor(self) -> str:
        """Pass as `before=` to get the entries older than this one. URL-safe (UTC, "Z")."""
        at = self.event.occurred_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return f"{at}{CURSOR_SEPARATOR}{self.event.pk}"


def parse_cursor(value: str) -> tuple[datetime, uuid.UUID]:
    """(occurred_at, event id) of a cursor; ValueError if it is not one."""
    at, _, event_id = value.strip().partition(CURSOR_SEPARATOR)
    moment = parse_datetime(at)
    if moment is None or moment.tzinfo is None:
        raise ValueError(f"not a timeline cursor: {value!r}")
    return moment, uuid.UUID(event_id)


def timeline(
    kind: str,
    object_id,
    *,
    limit: int = 50,
    before: str | datetime | None = None,
    domains: list[str] | None = None,
    also: Iterable = (),
) -> list[TimelineEntry]:
    """The newest `limit` events about (kind, object_id) and the records in `also` (e.g. the
    parties merged into it), optionally only of some `domains` and older than `before` (a
    cursor, or a datetime). One query."""
    ids = [str(object_id), *(str(i) for i in also)]
    rows = EventSubject.objects.filter(kind=kind, object_id__in=ids)
    if isinstance(before, str):
        at, event_id = parse_cursor(before)
        rows = rows.filter(Q(occurred_at__lt=at) | Q(occurred_at=at, event_id__lt=event_id))
    elif before is not None:
        rows = rows.filter(occurred_at__lt=before)
    if domains:
        types = [t for t in EVENT_TYPES if t.split(".", 1)[0] in domains]
        rows = rows.filter(event__type__in=types)
    # An event about two of the ids has two subject rows: fetch enough to fill the page.
    newest = rows.order_by("-occurred_at", "-event_id").values("event_id")[: limit * len(ids)]
    events = (
        OutboxEvent.objects.filter(pk__in=newest)
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
    return [TimelineEntry(event=e, summary=summarize(e)) for e in events]


def timeline_domains() -> list[str]:
    return sorted({t.split(".", 1)[0] for t in EVENT_TYPES})


def domain_label(domain: str) -> str:
    """The business area an event comes from, as people call it (the app's translated
    name: "parties" -> "Contacts"/"Kontakter", or its `timeline_label` where the app's name
    is not what its events are about); the domain itself if no app has that label."""
    try:
        config = apps.get_app_config(domain)
    except LookupError:
        return domain
    return str(getattr(config, "timeline_label", config.verbose_name))


def timeline_domain_choices() -> list[tuple[str, str]]:
    """(domain, label) of every domain that publishes events, by label (a filter's options)."""
    return sorted(((d, domain_label(d)) for d in timeline_domains()), key=lambda c: c[1])
