"""What automation does when any event arrives: run the rules for its type and send it to
the webhooks that subscribe to it. Both run after the event's transaction has committed,
each in its own transaction, once per event."""

from __future__ import annotations

from samspill.automation import engine, webhooks
from samspill.platform.events import subscribe


@subscribe("*", name="automation.rules")
def run_rules(event) -> None:
    engine.handle_event(event)


@subscribe("*", name="automation.webhooks")
def send_to_webhooks(event) -> None:
    webhooks.fan_out(event)
