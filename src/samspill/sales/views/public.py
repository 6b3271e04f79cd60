"""The customer's page of a quote, reached by a signed link without logging in."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import View

from samspill.platform.context import channel
from samspill.platform.errors import DomainError
from samspill.sales import queries, services
from samspill.sales.forms import DeclineForm
from samspill.sales.models import Quote


class PublicQuoteView(View):
    template_name = "sales/public_quote.html"

    def page(self, request, token, quote=None, *, error="", done="", order=None, status=200):
        context = {
            "token": token,
            "error": error,
            "done": done,
            "order": order,
            "decline_form": DeclineForm(),
        }
        if quote is not None:
            context.update(queries.quote_document(quote))
            context["answerable"] = quote.status == Quote.Status.SENT and not done
        language = quote.language if quote is not None else translation.get_language()
        with translation.override(language):
            return render(request, self.template_name, context, status=status)

    def get(self, request, token):
        try:
            quote = services.quote_from_token(token)
        except DomainError as exc:
            return self.page(request, token, error=str(exc.message), status=exc.status)
        return self.page(request, token, quote)

    def post(self, request, token):
        try:
            quote = services.quote_from_token(token)
        except DomainError as exc:
            return self.page(request, token, error=str(exc.message), status=exc.status)
        answer = request.POST.get("answer")
        try:
            with translation.override(quote.language), channel("ui"):
                if answer == "accept":
                    order = services.accept_by_token(token)
                    quote.refresh_from_db()
                    return self.page(request, token, quote, done="accepted", order=order)
                if answer == "decline":
                    form = DeclineForm(request.POST)
                    reason = form.cleaned_data["reason"] if form.is_valid() else ""
                    services.decline_by_token(token, reason=reason)
                    quote.refresh_from_db()
                    return self.page(request, token, quote, done="declined")
        except DomainError as exc:
            quote.refresh_from_db()
            with translation.override(quote.language):
                message = str(exc.message)
            return self.page(request, token, quote, error=message, status=exc.status)
        return self.page(request, token, quote, error=_("Choose to accept or decline."), status=400)
