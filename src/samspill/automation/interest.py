"""Which event types automation cares about right now: those of active rules, and those of
active webhooks (every type for a webhook that takes all events).

Automation subscribes to every event type. Without this check every event in the system
would be queued and delivered (a task, a transaction per subscriber, a status update) only
to find no rule and no webhook. Events nobody wants are instead stored as delivered at once.

The answer is kept per process for a few seconds (SAMSPILL["AUTOMATION_INTEREST_SECONDS"],
default 5) and forgotten whenever a rule or webhook is saved or deleted in this process; a
rule switched on in another process applies to events published there at most that long
later.
"""

from __future__ import annotations

import time

from django.conf import settings

_known: dict = {"until": 0.0}


def forget(**_kwargs) -> None:
    """Drop what is known (a rule or webhook changed). Also a post_save/post_delete receiver."""
    _known.clear()
    _known["until"] = 0.0


def _load() -> dict:
    if _known.get("until", 0.0) > time.monotonic():
        return _known
    from samspill.automation.models import Rule, Webhook

    rules = set(Rule.objects.filter(is_active=True).values_list("event_type", flat=True))
    hooks: set[str] = set()
    every = False
    for all_events, types in Webhook.objects.filter(is_active=True).values_list(
        "all_events", "event_types"
    ):
        every = every or all_events
        hooks.update(types or ())
    ttl = settings.SAMSPILL.get("AUTOMATION_INTEREST_SECONDS", 5)
    _known.update(rules=rules, hooks=hooks, every=every, until=time.monotonic() + ttl)
    return _known


def rules_want(event_type: str) -> bool:
    return event_type in _load()["rules"]


def webhooks_want(event_type: str) -> bool:
    known = _load()
    return known["every"] or event_type in known["hooks"]
