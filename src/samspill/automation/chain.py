"""Loop detection: which rules caused an event.

While a rule runs its actions, the ids of the rules in the causal chain are held in a
context variable (and the channel is "automation"). Every event published meanwhile gets
an EventCause row with that chain, in the publisher's transaction. When such an event
arrives at the rule engine, a rule already in its chain (or a chain of MAX_DEPTH rules)
is not run again: the run is logged as "loop stopped".
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from samspill.platform.context import channel

MAX_DEPTH = 5

_chain: contextvars.ContextVar[tuple[int, ...]] = contextvars.ContextVar(
    "samspill_automation_chain", default=()
)


def current_chain() -> tuple[int, ...]:
    return _chain.get()


@contextmanager
def running(rule_ids: tuple[int, ...]) -> Iterator[None]:
    """Run the body as automation, on behalf of the chain of rules `rule_ids`."""
    token = _chain.set(tuple(rule_ids))
    try:
        with channel("automation"):
            yield
    finally:
        _chain.reset(token)


def chain_of(event) -> tuple[int, ...]:
    """The chain of rules that caused a stored event (empty: not caused by a rule)."""
    from samspill.automation.models import EventCause

    rule_ids = EventCause.objects.filter(event_id=event.pk).values_list("rule_ids", flat=True)
    first = rule_ids.first()
    return tuple(int(i) for i in first) if first else ()


def record_cause(sender, instance, created, raw=False, **kwargs) -> None:
    """post_save of OutboxEvent (framework plumbing): remember the chain of the rules
    whose actions published this event."""
    chain = _chain.get()
    if not created or raw or not chain:
        return
    from samspill.automation.models import EventCause

    EventCause.objects.create(event_id=instance.pk, rule_ids=list(chain))
