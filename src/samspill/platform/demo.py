"""Demo chatter: a few internal comments with @mentions on the first records a domain
hands over, so the demo shows comments, followers and the notification bell. Idempotent:
a record that already has comments is left alone."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db import models

from samspill.platform import chatter, records
from samspill.platform.models import Comment

# (author's username, text). Demo users are named after their role.
CONVERSATION = [
    ("sales", "Kunden vil ha nytt tilbud før jul. @finance kan du sjekke kredittgrensen?"),
    ("finance", "Kredittgrensen er 250 000 kr, og alt er betalt. Klar fra meg, @sales."),
    ("service", "De ringte om levering i uke 50. @operations har dere kapasitet?"),
]


def load(targets: Iterable[models.Model]) -> int:
    """Write the demo conversation on each target without comments. Returns how many
    comments were written."""
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in={a for a, _ in CONVERSATION})
    }
    written = 0
    for record in targets:
        link = {"content_type": records.content_type(record), "object_id": str(record.pk)}
        if Comment.objects.filter(**link).exists():
            continue
        for author, text in CONVERSATION:
            if author in users:
                chatter.add_comment(records.ref(record), text, actor=users[author])
                written += 1
    return written
