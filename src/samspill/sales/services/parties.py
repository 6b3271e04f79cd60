"""What sales does when parties merges two customers or erases a person (hooks registered
in SalesConfig.ready(), run inside the parties transaction)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from samspill.platform import audit
from samspill.sales.models import Order, Quote


def move_to_survivor(survivor, duplicate, actor) -> None:
    """Quotes and orders of the duplicate (as customer or contact) now belong to the
    survivor."""
    for model in (Quote, Order):
        for field in ("party", "contact"):
            rows = list(model.objects.filter(**{field: duplicate}).only("pk", "number"))
            if not rows:
                continue
            model.objects.filter(pk__in=[r.pk for r in rows]).update(**{field: survivor})
            for row in rows:
                audit.record(
                    "update", row, actor=actor, changes={field: [duplicate.pk, survivor.pk]}
                )


def erase_person(person, actor) -> None:
    """Quotes and orders stay (they are business records), but the copies of the person's
    e-mail address and their free-text reason for declining are removed."""
    Quote.objects.filter(Q(party=person) | Q(contact=person)).update(sent_to="", decline_reason="")


def personal_data(party) -> dict[str, Any]:
    """For the GDPR export: the quotes and orders where the party is customer or contact."""
    condition = Q(party=party) | Q(contact=party)
    return {
        "quotes": [
            {
                "number": q.number,
                "date": q.issue_date.isoformat(),
                "status": q.status,
                "total": str(q.total),
                "currency": q.currency,
                "sent_to": q.sent_to,
            }
            for q in Quote.objects.filter(condition).order_by("id")
        ],
        "orders": [
            {
                "number": o.number,
                "date": o.order_date.isoformat(),
                "status": o.status,
                "total": str(o.total),
                "currency": o.currency,
            }
            for o in Order.objects.filter(condition).order_by("id")
        ],
    }
