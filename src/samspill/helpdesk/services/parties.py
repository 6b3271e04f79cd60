"""What customer service does when parties merges two contacts or erases a person (hooks
registered in HelpdeskConfig.ready(), run inside the parties transaction)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from samspill.helpdesk.models import ChatConversation, Message, Satisfaction, SlaPolicy, Ticket
from samspill.platform import audit


def move_to_survivor(survivor, duplicate, actor) -> None:
    """Tickets (as customer or contact) and customer SLA policies move to the survivor."""
    for field in ("party", "contact"):
        rows = list(Ticket.objects.filter(**{field: duplicate}).only("pk", "number"))
        if not rows:
            continue
        Ticket.objects.filter(pk__in=[r.pk for r in rows]).update(**{field: survivor})
        for row in rows:
            audit.record("update", row, actor=actor, changes={field: [duplicate.pk, survivor.pk]})
    SlaPolicy.objects.filter(party=duplicate).update(party=survivor)


def erase_person(person, actor) -> None:
    """Tickets stay (the service history of the organisation), but the person's e-mail
    address and what they wrote are removed."""
    tickets = Ticket.objects.filter(Q(party=person) | Q(contact=person))
    Message.objects.filter(ticket__in=tickets, kind=Message.Kind.CUSTOMER).update(
        from_email="", body=_("(erased)"), body_html="", to=""
    )
    Satisfaction.objects.filter(ticket__in=tickets).update(comment="")
    tickets.update(customer_email="")
    ChatConversation.objects.filter(ticket__in=tickets).update(
        visitor_name="", visitor_email="", page_url=""
    )


def personal_data(party) -> dict[str, Any]:
    """For the GDPR export: the tickets where the party is customer or contact, with what
    the customer wrote (internal notes are not personal data of the customer)."""
    tickets = Ticket.objects.filter(Q(party=party) | Q(contact=party)).order_by("id")
    messages: dict[int, list[dict[str, Any]]] = {}
    for m in Message.objects.filter(ticket__in=tickets).exclude(kind=Message.Kind.NOTE):
        messages.setdefault(m.ticket_id, []).append(
            {
                "kind": m.kind,
                "at": m.created_at.isoformat(),
                "from": m.from_email,
                "text": m.body,
            }
        )
    return {
        "tickets": [
            {
                "number": t.number,
                "subject": t.subject,
                "status": t.status,
                "email": t.customer_email,
                "opened": t.created_at.isoformat(),
                "messages": messages.get(t.pk, []),
            }
            for t in tickets
        ]
    }
