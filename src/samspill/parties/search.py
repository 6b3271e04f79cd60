"""What the parties domain plugs into the shell: global search hits and the key figures
shown in the header of a party's 360-degree view."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.parties import queries
from samspill.parties.models import Party
from samspill.platform.registry import KeyFigure, SearchHit


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    hits = []
    for party in queries.search(user, q, limit):
        details = [
            party.orgnr_display,
            getattr(party, "primary_email", None) or "",  # annotations of the list query
            getattr(party, "primary_phone", None) or "",
            getattr(party, "city", None) or "",
        ]
        if not party.is_active:
            details.append(_("inactive"))
        hits.append(
            SearchHit(
                kind=party.get_kind_display(),
                title=party.display_name,
                url=reverse("parties:detail", args=[party.pk]),
                subtitle=" · ".join([str(party.get_kind_display())] + [d for d in details if d]),
            )
        )
    return hits


def key_figures(user, party: Party) -> list[KeyFigure]:
    counts = queries.key_figures(party)
    detail = reverse("parties:detail", args=[party.pk])
    if party.is_organization:
        related = KeyFigure(_("Contact persons"), counts["related"], detail + "#relations")
    else:
        related = KeyFigure(_("Organizations"), counts["related"], detail + "#relations")
    figures = [related]
    if user.has_perm("parties.merge_party"):
        merge = reverse("parties:merge", args=[party.pk])
        figures.append(KeyFigure(_("Possible duplicates"), counts["duplicates"], merge))
    else:
        figures.append(KeyFigure(_("Possible duplicates"), counts["duplicates"]))
    return figures
