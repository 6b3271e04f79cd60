"""The public web form: shown inside the website's iframe, no login. Spam protection and
the rate limit are the service's (the same as the JSON API's)."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt

from samspill.crm import services
from samspill.crm.api import client_ip
from samspill.crm.forms import PublicLeadForm
from samspill.platform.errors import DomainError, NotFound


@method_decorator(xframe_options_exempt, name="dispatch")
@method_decorator(csp_replace({"frame-ancestors": ["*"]}), name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")  # the signed form token plays this part
class PublicFormView(View):
    def form(self, key):
        try:
            return services.active_web_form(key)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def show(self, web_form, form, status=200, done=None):
        return render(
            self.request,
            "crm/public_form.html",
            {"title": web_form.name, "web_form": web_form, "form": form, "done": done},
            status=status,
        )

    def get(self, request, key):
        web_form = self.form(key)
        return self.show(
            web_form, PublicLeadForm(initial={"token": services.form_token(web_form.key)})
        )

    def post(self, request, key):
        web_form = self.form(key)
        form = PublicLeadForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.capture_web_lead(
                    form_key=web_form.key,
                    token=data.pop("token"),
                    honeypot=data.pop("website"),
                    ip=client_ip(request),
                    **data,
                )
            except DomainError as exc:
                for field, errors in (exc.errors or {"__all__": [str(exc.message)]}).items():
                    for error in errors:
                        form.add_error(
                            field
                            if field in form.fields and field not in ("token", "website")
                            else None,
                            error,
                        )
                form.data = form.data.copy()  # errors stay; the retry gets a fresh token
                form.data["token"] = services.form_token(web_form.key)
                return self.show(web_form, form, status=exc.status if exc.status == 429 else 422)
            return self.show(
                web_form, None, done=web_form.thank_you or _("Thank you! We will be in touch.")
            )
        return self.show(web_form, form, status=422)
