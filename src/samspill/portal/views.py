"""Pages of the customer portal (/portal/). Signed in by a one-time e-mailed link, the
customer sees and answers their own tickets, their orders and invoices; nothing here reads
`request.user` (the staff's login) and the staff pages never read the portal's session.
Every record is looked up within the customer's party (portal.queries): another
customer's id answers 404 like a missing one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from samspill.helpdesk.models import CSAT_SCALE
from samspill.helpdesk.services import csat
from samspill.platform.context import channel
from samspill.platform.errors import DomainError, NotFound, ValidationFailed
from samspill.platform.views import PermissionRequiredMixin
from samspill.portal import queries, services
from samspill.portal.forms import EmailForm, ReplyForm, TicketForm

PAGE_SIZE = 50


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


class PortalView(View):
    """Signed-in customers only (the portal's own session cookie), in their language."""

    def dispatch(self, request, *args, **kwargs):
        access = services.session_access(request.COOKIES.get(services.COOKIE))
        if access is None:
            return redirect(reverse("portal:login"))
        request.portal = access
        with translation.override(access.language):
            request.LANGUAGE_CODE = access.language
            response = super().dispatch(request, *args, **kwargs)
        return _no_store(response)

    def lookup(self, func, pk):
        try:
            return func(self.request.portal, pk)  # type: ignore[attr-defined]
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def page(self, template: str, context: dict, status: int = 200):
        section = next((s for s in ("ticket", "order", "invoice") if s in template), "")
        access = self.request.portal  # type: ignore[attr-defined]
        context = {"access": access, "section": f"{section}s", **context}
        return render(self.request, template, context, status=status)


# --- Signing in -----------------------------------------------------------------------------


class LoginView(View):
    def get(self, request):
        if services.session_access(request.COOKIES.get(services.COOKIE)):
            return redirect("portal:tickets")
        return _no_store(render(request, "portal/login.html", {"form": EmailForm()}))

    def post(self, request):
        form = EmailForm(request.POST)
        if not form.is_valid():
            return render(request, "portal/login.html", {"form": form}, status=400)
        try:
            with channel("ui"):
                services.request_link(
                    form.cleaned_data["email"], ip=client_ip(request), request=request
                )
        except ValidationFailed as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return render(request, "portal/login.html", {"form": form}, status=400)
        except DomainError as exc:
            return render(
                request,
                "portal/login.html",
                {"form": form, "error": str(exc.message)},
                status=exc.status,
            )
        return _no_store(
            render(
                request,
                "portal/login_sent.html",
                {"email": form.cleaned_data["email"], "minutes": services.TOKEN_MINUTES},
            )
        )


class LinkView(View):
    """GET shows a button (a mail scanner that follows the link does not use it up); the
    POST signs in and sets the portal's own cookie."""

    def get(self, request, token):
        try:
            access = services.check_link(token)
        except NotFound as exc:
            return render(request, "portal/link.html", {"error": str(exc.message)}, status=404)
        with translation.override(access.language):
            return _no_store(render(request, "portal/link.html", {"email": access.email}))

    def post(self, request, token):
        try:
            with channel("ui"):
                _access, key = services.consume_link(token, ip=client_ip(request))
        except NotFound as exc:
            return render(request, "portal/link.html", {"error": str(exc.message)}, status=404)
        response = redirect("portal:tickets")
        response.set_cookie(
            services.COOKIE,
            key,
            max_age=services.SESSION_HOURS * 3600,
            httponly=True,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
            path=reverse("portal:login").rsplit("login/", 1)[0],
        )
        return response


class LogoutView(View):
    def post(self, request):
        services.sign_out(request.COOKIES.get(services.COOKIE))
        response = redirect("portal:login")
        response.delete_cookie(services.COOKIE, path=reverse("portal:login").rsplit("login/", 1)[0])
        return response


class LanguageView(View):
    """nb/en: kept on the portal access when signed in, else in Django's language cookie."""

    def post(self, request):
        language = request.POST.get("language", "")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, {request.get_host()}
        ) or not target.startswith("/portal/"):
            target = reverse("portal:tickets")
        response = redirect(target)
        if language not in dict(settings.LANGUAGES):
            return response
        access = services.session_access(request.COOKIES.get(services.COOKIE))
        if access is not None:
            services.set_language(access, language)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
        return response


# --- Tickets ----------------------------------------------------------------------------------


class TicketListView(PortalView):
    def get(self, request):
        rows = list(queries.tickets(request.portal)[:PAGE_SIZE])
        return self.page("portal/tickets.html", {"tickets": rows, "title": _("Your cases")})


class TicketCreateView(PortalView):
    def get(self, request, form=None, status=200):
        return self.page(
            "portal/ticket_new.html", {"form": form or TicketForm(), "title": _("New case")}, status
        )

    def post(self, request):
        form = TicketForm(request.POST)
        if not form.is_valid():
            return self.get(request, form, 400)
        try:
            with channel("ui"):
                ticket = services.open_ticket(request.portal, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.get(request, form, exc.status)
        messages.success(
            request,
            _("Thank you! We have received your case %(number)s.") % {"number": ticket.number},
        )
        return redirect("portal:ticket", pk=ticket.pk)


class TicketDetailView(PortalView):
    def get(self, request, pk, form=None, status=200):
        ticket = self.lookup(queries.ticket, pk)
        answer = queries.satisfaction(ticket)
        return self.page(
            "portal/ticket.html",
            {
                "ticket": ticket,
                "title": f"{ticket.number} {ticket.subject}",
                "messages_": queries.conversation(ticket),
                "form": form or ReplyForm(),
                "answer": answer,
                "can_rate": ticket.status in csat.RATED and csat.can_change(answer),
                "scale": CSAT_SCALE,
                "days": csat.CHANGE_DAYS,
            },
            status,
        )

    def post(self, request, pk):
        ticket = self.lookup(queries.ticket, pk)
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form, 400)
        try:
            with channel("ui"):
                services.reply(request.portal, ticket, body=form.cleaned_data["body"])
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.get(request, pk, form, exc.status)
        messages.success(request, _("Your answer was sent."))
        return redirect("portal:ticket", pk=ticket.pk)


class TicketRateView(PortalView):
    def post(self, request, pk):
        ticket = self.lookup(queries.ticket, pk)
        try:
            with channel("ui"):
                services.rate(
                    request.portal,
                    ticket,
                    rating=request.POST.get("rating"),
                    comment=request.POST.get("comment", ""),
                )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Thank you for your answer!"))
        return redirect("portal:ticket", pk=ticket.pk)


# --- Orders and invoices ---------------------------------------------------------------------


class OrderListView(PortalView):
    def get(self, request):
        rows = list(queries.orders(request.portal)[:PAGE_SIZE])
        return self.page("portal/orders.html", {"orders": rows, "title": _("Your orders")})


class OrderDetailView(PortalView):
    def get(self, request, pk):
        order = self.lookup(queries.order, pk)
        return self.page(
            "portal/order.html",
            {"order": order, "lines": queries.order_lines(order), "title": order.number},
        )


class InvoiceListView(PortalView):
    def get(self, request):
        rows = list(queries.invoices(request.portal)[:PAGE_SIZE])
        return self.page("portal/invoices.html", {"invoices": rows, "title": _("Your invoices")})


class InvoicePdfView(PortalView):
    def get(self, request, pk):
        from samspill.accounting import services as accounting

        invoice = self.lookup(queries.invoice, pk)
        response = HttpResponse(accounting.render_pdf(invoice), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="{invoice.number or "invoice"}.pdf"'
        )
        return response


# --- Staff: portal access from the party's page ------------------------------------------------


class InviteView(PermissionRequiredMixin, View):
    permission = "portal.add_portalaccess"

    def post(self, request, party_pk):
        person = request.POST.get("person") or party_pk
        try:
            with channel("ui"):
                access = services.invite(
                    actor=request.user,
                    person=person,
                    customer=request.POST.get("customer") or None,
                    request=request,
                )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("%(email)s was invited to the customer portal.") % {"email": access.email},
            )
        return redirect(reverse("parties:detail", args=[party_pk]) + "#portal-access")


class RevokeView(PermissionRequiredMixin, View):
    permission = "portal.change_portalaccess"

    def post(self, request, party_pk, pk):
        access = queries.accesses(request.user).filter(pk=pk).first()
        if access is None:
            raise Http404
        with channel("ui"):
            services.revoke(access, actor=request.user)
        messages.success(
            request, _("The portal access of %(email)s was revoked.") % {"email": access.email}
        )
        return redirect(reverse("parties:detail", args=[party_pk]) + "#portal-access")
