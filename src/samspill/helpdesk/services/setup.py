"""Setting up customer service: queues (per team, with opening hours), their IMAP
mailboxes, SLA policies and canned responses. Management does this; each command is one
transaction with audit."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from samspill.helpdesk.models import CannedResponse, Mailbox, Queue, SlaPolicy
from samspill.helpdesk.services.common import check, raise_if
from samspill.platform import audit


def _save(instance, actor):
    errors: dict[str, list[str]] = {}
    try:
        instance.full_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    raise_if(errors)
    instance.save()
    audit.record("create", instance, actor=actor, changes=audit.diff({}, audit.snapshot(instance)))
    return instance


@transaction.atomic
def create_queue(
    *,
    actor,
    name: str,
    email: str = "",
    team=None,
    opens_at: time = time(8, 0),
    closes_at: time = time(16, 0),
    workdays: str = "12345",
    is_default: bool = False,
) -> Queue:
    check(actor, "helpdesk.add_queue")
    if is_default:
        Queue.objects.filter(is_default=True).update(is_default=False)
    queue = Queue(
        name=name.strip(),
        email=email.strip().lower(),
        team=team,
        opens_at=opens_at,
        closes_at=closes_at,
        workdays=workdays,
        is_default=is_default,
    )
    return _save(queue, actor)


@transaction.atomic
def add_mailbox(
    *,
    actor,
    queue: Queue,
    host: str,
    username: str,
    password: str,
    port: int = 993,
    use_ssl: bool = True,
    folder: str = "INBOX",
) -> Mailbox:
    check(actor, "helpdesk.add_mailbox")
    mailbox = Mailbox(
        queue=queue,
        host=host,
        port=port,
        use_ssl=use_ssl,
        username=username,
        password=password,
        folder=folder,
    )
    return _save(mailbox, actor)


@transaction.atomic
def create_sla_policy(
    *,
    actor,
    name: str,
    first_response_hours,
    resolution_hours,
    priority: str = "",
    queue: Queue | None = None,
    party=None,
    warning_percent: int = 80,
) -> SlaPolicy:
    check(actor, "helpdesk.add_slapolicy")
    policy = SlaPolicy(
        name=name.strip(),
        priority=priority,
        queue=queue,
        party=party,
        first_response_hours=Decimal(str(first_response_hours)),
        resolution_hours=Decimal(str(resolution_hours)),
        warning_percent=warning_percent,
    )
    return _save(policy, actor)


@transaction.atomic
def create_canned_response(*, actor, title: str, body: str) -> CannedResponse:
    check(actor, "helpdesk.add_cannedresponse")
    return _save(CannedResponse(title=title.strip(), body=body.strip()), actor)
