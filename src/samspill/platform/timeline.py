"""The timeline of any record: the events that name it as a subject, newest first. The
party 360-degree view is the timeline of subject ("party", id); no domain needs to know it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from samspill.platform.events import EVENT_TYPES, summarize
from samspill.platform.models import EventSubject, OutboxEvent


@dataclass(frozen=True)
class TimelineEntry:
    event: OutboxEvent
    summary: str

    @property
    def domain(self) -> str:
        return self.event.type.split(".", 1)[0]


def timeline(
    kind: str,
    object_id,
    *,
    limit: int = 50,
    before: datetime | None = None,
    domains: list[str] | None = None,
) -> list[TimelineEntry]:
    """Two queries whatever the limit: the subject index, then the events."""
    rows = EventSubject.objects.filter(kind=kind, object_id=str(object_id))
    if before is not None:
        rows = rows.filter(occurred_at__lt=before)
    events = OutboxEvent.objects.filter(
        pk__in=rows.order_by("-occurred_at").values("event_id")[:limit]
        if not domains
        else rows.order_by("-occurred_at").values("event_id")
    ).select_related("actor")
    if domains:
        types = [t for t in EVENT_TYPES if t.split(".", 1)[0] in domains]
        events = events.filter(type__in=types)
    events = events.order_by("-occurred_at")[:limit]
    return [TimelineEntry(event=e, summary=summarize(e)) for e in events]


def timeline_domains() -> list[str]:
    return sorted({t.split(".", 1)[0] for t in EVENT_TYPES})
