"""What automation does when any event arrives: run the rules for its type and send it to
the webhooks that subscribe to it. Both run after the event's transaction has committed,
each in its own transaction, once per event; events of a type no active rule or webhook
names are not delivered to automation at all (see `interest`)."""

from __future__ import annotations

from samspill.automation import engine, interest, webhooks
from samspill.platform.events import subscribe


@subscribe("*", name="automation.rules", wants=interest.rules_want)
def run_rules(event) -> None:
    engine.handle_event(event)


@subscribe("*", name="automation.webhooks", wants=interest.webhooks_want)
def send_to_webhooks(event) -> None:
    webhooks.fan_out(event)
