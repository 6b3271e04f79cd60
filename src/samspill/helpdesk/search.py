"""What customer service plugs into the shell: global search (ticket number, subject), key
figures and a panel on the customer's 360-degree page."""

from __future__ import annotations

from urllib.parse import urlencode

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.helpdesk import queries
from samspill.platform.registry import KeyFigure, SearchHit


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    return [
        SearchHit(
            kind=_("Ticket"),
            title=f"{t.number} {t.subject}",
            url=t.get_absolute_url(),
            subtitle=" · ".join([t.party.display_name, t.get_status_display()]),
        )
        for t in queries.search(user, q, limit)
    ]


def key_figures(user, party) -> list[KeyFigure]:
    figures = queries.party_figures(party)
    url = reverse("helpdesk:inbox") + "?" + urlencode({"party": party.pk, "view": "open"})
    value = str(figures["open"])
    if figures["breached"]:
        value += " · " + _("%(count)s overdue") % {"count": figures["breached"]}
    return [KeyFigure(label=_("Open tickets"), value=value, url=url)]


def party_tickets(request, party) -> str:
    return render_to_string(
        "helpdesk/_party_tickets.html",
        {
            "tickets": queries.recent_tickets(party),
            "all_url": reverse("helpdesk:inbox") + "?" + urlencode({"party": party.pk}),
        },
        request=request,
    )
