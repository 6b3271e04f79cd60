"""The customer's satisfaction survey page, reached from the e-mail's links without logging
in (a signed token names the ticket). The link shows the chosen rating ready to send with an
optional comment; sending it (POST) stores the answer, so a mail scanner that follows links
never answers for the customer."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation
from django.views import View

from samspill.helpdesk.models import CSAT_SCALE
from samspill.helpdesk.services import csat
from samspill.platform.context import channel
from samspill.platform.errors import DomainError


class SurveyView(View):
    template_name = "helpdesk/csat.html"

    def page(self, request, token, ticket=None, *, error="", done=False, chosen=None, status=200):
        row = getattr(ticket, "satisfaction", None) if ticket is not None else None
        context = {
            "token": token,
            "ticket": ticket,
            "answer": row,
            "scale": CSAT_SCALE,
            "chosen": chosen or (row.rating if row else None),
            "comment": row.comment if row else "",
            "can_change": csat.can_change(row),
            "done": done,
            "error": error,
            "days": csat.CHANGE_DAYS,
        }
        language = getattr(getattr(ticket, "party", None), "language", "") or None
        with translation.override(language or translation.get_language()):
            return render(request, self.template_name, context, status=status)

    def get(self, request, token):
        try:
            ticket = csat.ticket_from_token(token)
        except DomainError as exc:
            return self.page(request, token, error=str(exc.message), status=exc.status)
        chosen = request.GET.get("rating", "")
        return self.page(
            request,
            token,
            ticket,
            chosen=int(chosen) if chosen in {"1", "2", "3", "4", "5"} else None,
        )

    def post(self, request, token):
        try:
            ticket = csat.ticket_from_token(token)
        except DomainError as exc:
            return self.page(request, token, error=str(exc.message), status=exc.status)
        try:
            with channel("ui"):
                csat.rate_ticket(
                    ticket,
                    rating=request.POST.get("rating"),
                    comment=request.POST.get("comment", ""),
                )
        except DomainError as exc:
            ticket.refresh_from_db()
            return self.page(request, token, ticket, error=str(exc.message), status=exc.status)
        ticket = csat.ticket_from_token(token)
        return self.page(request, token, ticket, done=True)
