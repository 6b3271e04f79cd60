"""The "Customer portal" card on a party's 360-degree page: who may sign in, and the buttons
to invite (or invite again) and revoke."""

from __future__ import annotations

from django.template.loader import render_to_string

from samspill.parties import queries as parties
from samspill.platform.permissions import allowed
from samspill.portal import queries


def portal_access(request, party) -> str:
    accesses = queries.accesses_for_party(party)
    has_access = {a.person_id for a in accesses if a.is_active}
    if party.kind == "person":
        candidates = [] if party.pk in has_access else [party]
    else:
        candidates = [
            r.person
            for r in parties.contacts_of(party)
            if r.person_id not in has_access and not r.person.erased_at
        ]
    return render_to_string(
        "portal/_party_panel.html",
        {
            "party": party,
            "accesses": accesses,
            "candidates": candidates,
            "can_invite": allowed(request.user, "portal.add_portalaccess"),
            "can_revoke": allowed(request.user, "portal.change_portalaccess"),
        },
        request=request,
    )
