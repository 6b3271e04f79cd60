"""The public contact form, no login: the hosted page /help/contact/ (with the company's
name) and the endpoint a company's own website posts to, as an HTML form (the visitor is
sent back to the website) or as JSON with fetch (CORS for the origins in
SAMSPILL["HELPDESK_FORM_ORIGINS"]). Spam protection and the rate limit are the service's."""

from __future__ import annotations

import json
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from samspill.helpdesk import services
from samspill.helpdesk.forms_channels import ContactForm
from samspill.helpdesk.services.webform import min_seconds
from samspill.organization import queries as organization
from samspill.platform.errors import DomainError

SENT_SALT = "samspill.helpdesk.contact-sent"
FIELDS = ("name", "email", "subject", "message")


def _ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def _company_name() -> str:
    company = organization.company()
    return company.legal_name if company is not None else ""


def allowed_origins() -> list[str]:
    """The websites (scheme://host[:port]) in the setting HELPDESK_FORM_ORIGINS."""
    items = getattr(settings, "HELPDESK_FORM_ORIGINS", [])
    return [str(o).strip().rstrip("/") for o in items if str(o).strip()]


def _origin_of(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _cors(request, response):
    origin = request.headers.get("Origin", "")
    if origin and origin.rstrip("/") in allowed_origins():
        response["Access-Control-Allow-Origin"] = origin
        response["Vary"] = "Origin"
    return response


def _wants_json(request) -> bool:
    return request.content_type == "application/json" or (
        "application/json" in request.headers.get("Accept", "")
        and "text/html" not in request.headers.get("Accept", "")
    )


def _submit(request, data: dict, upload=None):
    return services.submit_contact_form(
        name=data.get("name", ""),
        email=data.get("email", ""),
        subject=data.get("subject", ""),
        message=data.get("message", ""),
        token=data.get("token", ""),
        honeypot=data.get("website", ""),
        ip=_ip(request),
        attachment=upload,
    )


def _thanks(number: str) -> str:
    return _(
        "Thank you! Your message is registered as %(number)s. We have sent you a confirmation "
        "by email."
    ) % {"number": number}


@method_decorator(csrf_exempt, name="dispatch")  # the signed form token plays this part
class ContactPageView(View):
    """The hosted form: GET shows it, POST sends it and comes back with a thank-you."""

    def show(self, form, status=200, done=""):
        return render(
            self.request,
            "helpdesk/contact_form.html",
            {
                "title": _("Contact us"),
                "company_name": _company_name(),
                "form": form,
                "done": done,
            },
            status=status,
        )

    def get(self, request):
        sent = request.GET.get("sent", "")
        if sent:
            try:
                number = signing.loads(sent, salt=SENT_SALT, max_age=3600)
            except signing.BadSignature:
                number = None
            if number:
                return self.show(None, done=_thanks(number))
        return self.show(ContactForm(initial={"token": services.form_token()}))

    def post(self, request):
        form = ContactForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                ticket = _submit(request, form.cleaned_data, form.cleaned_data.get("attachment"))
            except DomainError as exc:
                for field, errors in (exc.errors or {"__all__": [str(exc.message)]}).items():
                    for error in errors:
                        form.add_error(
                            field if field in FIELDS or field == "attachment" else None, error
                        )
                form.data = form.data.copy()  # what was written stays; a fresh token
                form.data["token"] = services.form_token()
                return self.show(form, status=429 if exc.status == 429 else 422)
            sent = signing.dumps(ticket.number, salt=SENT_SALT)
            return redirect(f"{reverse('helpdesk_contact')}?{urlencode({'sent': sent})}")
        return self.show(form, status=422)


@method_decorator(csrf_exempt, name="dispatch")
class ContactTokenView(View):
    """GET a fresh form token (JSON, CORS): a website shows its own form with it."""

    def get(self, request):
        response = JsonResponse({"token": services.form_token(), "min_seconds": min_seconds()})
        response["Cache-Control"] = "no-store"
        return _cors(request, response)

    def options(self, request, *args, **kwargs):
        return _preflight(request)


def _preflight(request):
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "86400"
    return _cors(request, response)


@method_decorator(csrf_exempt, name="dispatch")
class ContactSubmitView(View):
    """Where a company's website posts its contact form. JSON in (or Accept: JSON): JSON
    out, 201 with the ticket number or a problem with field errors. An HTML form post goes
    back to the page in `next` (or the referring page) on an allowed website with
    ?contact=sent or ?contact_error=<code>; otherwise the hosted page answers."""

    def options(self, request, *args, **kwargs):
        return _preflight(request)

    def post(self, request):
        if request.content_type == "application/json":
            try:
                data = json.loads(request.body or b"{}")
            except ValueError:
                data = None
            if not isinstance(data, dict):
                return _cors(request, _problem(422, "bad_payload", _("The body is not JSON.")))
            data = {k: str(v) for k, v in data.items() if isinstance(v, str | int)}
            upload = None
        else:
            data = request.POST.dict()
            upload = request.FILES.get("attachment")
        back = self._back(request, data.get("next", ""))
        try:
            ticket = _submit(request, data, upload)
        except DomainError as exc:
            if _wants_json(request):
                response = _problem(exc.status, exc.code, str(exc.message), exc.errors)
                if exc.status == 429:
                    response["Retry-After"] = str(getattr(exc, "retry_after", 600))
                return _cors(request, response)
            if back:
                return redirect(_with_query(back, {"contact_error": exc.code}))
            form = ContactForm(data)
            form.is_valid()
            for field, errors in (exc.errors or {"__all__": [str(exc.message)]}).items():
                for error in errors:
                    form.add_error(field if field in FIELDS else None, error)
            form.data = form.data.copy()
            form.data["token"] = services.form_token()
            return ContactPageView(request=request).show(
                form, status=429 if exc.status == 429 else 422
            )
        if _wants_json(request):
            return _cors(
                request,
                JsonResponse(
                    {"ticket_number": ticket.number, "message": _thanks(ticket.number)},
                    status=201,
                ),
            )
        if back:
            return redirect(_with_query(back, {"contact": "sent"}))
        sent = signing.dumps(ticket.number, salt=SENT_SALT)
        return redirect(f"{reverse('helpdesk_contact')}?{urlencode({'sent': sent})}")

    @staticmethod
    def _back(request, next_url: str) -> str:
        """Where an HTML post returns: `next` or the Referer, only on an allowed website."""
        for candidate in (next_url, request.headers.get("Referer", "")):
            if candidate and _origin_of(candidate) in allowed_origins():
                return candidate
        return ""


def _with_query(url: str, params: dict) -> str:
    joiner = "&" if "?" in url else "?"
    return f"{url.split('#', 1)[0]}{joiner}{urlencode(params)}"


def _problem(status: int, code: str, detail: str, errors=None) -> JsonResponse:
    body = {"status": status, "code": code, "title": detail, "detail": detail}
    if errors:
        body["errors"] = errors
    return JsonResponse(body, status=status, content_type="application/problem+json")
