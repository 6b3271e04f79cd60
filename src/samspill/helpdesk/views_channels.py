"""Agent pages of the channels and the settings: logging a phone call (on a ticket, or a new
phone ticket from it) and customer service's settings (queues, mailboxes with a connection
test, SLA policies, canned responses, webhook endpoints), for management."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.helpdesk import forms_channels as forms
from samspill.helpdesk import queries, services
from samspill.helpdesk.mail.imap import test_login
from samspill.helpdesk.models import CannedResponse, InboundEndpoint, Mailbox, Queue, SlaPolicy
from samspill.helpdesk.views import _ticket_or_404
from samspill.platform.errors import DomainError
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.views import PermissionRequiredMixin, form_errors_from

# --- Phone calls ----------------------------------------------------------------------------


def _call_values(data: dict) -> dict:
    minutes = data.get("duration_minutes") or Decimal(0)
    return {
        "phone": data["phone"],
        "direction": data["direction"],
        "outcome": data["outcome"],
        "duration_seconds": int(minutes * 60),
        "notes": data.get("notes", ""),
    }


class CallCreateView(PermissionRequiredMixin, View):
    """A new phone ticket from a call (the caller found by number, else a new person)."""

    permission = "helpdesk.add_ticket"

    def show(self, form, status=200):
        return render(
            self.request,
            "helpdesk/call_form.html",
            {"form": form, "title": _("Log a call")},
            status=status,
        )

    def get(self, request):
        return self.show(
            forms.CallForm(new_ticket=True, initial={"phone": request.GET.get("phone", "")})
        )

    def post(self, request):
        form = forms.CallForm(request.POST, new_ticket=True)
        if form.is_valid():
            try:
                call = services.log_call(
                    actor=request.user,
                    subject=form.cleaned_data.get("subject", ""),
                    **_call_values(form.cleaned_data),
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request,
                    _("The call was logged on ticket %(number)s.") % {"number": call.ticket.number},
                )
                return redirect(call.ticket)
        return self.show(form, status=422)


class TicketCallView(PermissionRequiredMixin, View):
    """POST: log a call on this ticket (the form sits on the ticket page)."""

    permission = "helpdesk.view_ticket"

    def post(self, request, pk):
        ticket = _ticket_or_404(request, pk)
        form = forms.CallForm(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                for error in errors:
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}: {error}" if label else error)
            return redirect(ticket)
        try:
            services.log_call(actor=request.user, ticket=ticket, **_call_values(form.cleaned_data))
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The call was logged."))
        return redirect(ticket)


# --- Settings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    kind: str
    model: Any
    form: Any
    title_new: Any
    title_edit: Any


SECTIONS = {
    s.kind: s
    for s in (
        Section("queues", Queue, forms.QueueForm, gettext_lazy("New queue"), gettext_lazy("Queue")),
        Section(
            "mailboxes",
            Mailbox,
            forms.MailboxForm,
            gettext_lazy("New mailbox"),
            gettext_lazy("Mailbox"),
        ),
        Section(
            "sla-policies",
            SlaPolicy,
            forms.SlaPolicyForm,
            gettext_lazy("New SLA policy"),
            gettext_lazy("SLA policy"),
        ),
        Section(
            "canned-responses",
            CannedResponse,
            forms.CannedResponseForm,
            gettext_lazy("New canned response"),
            gettext_lazy("Canned response"),
        ),
        Section(
            "webhooks",
            InboundEndpoint,
            forms.InboundEndpointForm,
            gettext_lazy("New webhook endpoint"),
            gettext_lazy("Webhook endpoint"),
        ),
    )
}


def _section(kind: str) -> Section:
    if kind not in SECTIONS:
        raise Http404(_("There is no such setting."))
    return SECTIONS[kind]


def _perm(section: Section, action: str) -> str:
    return f"helpdesk.{action}_{section.model._meta.model_name}"


def _initial(section: Section, obj) -> dict:
    if section.model is InboundEndpoint:
        return forms.InboundEndpointForm.initial_for(obj)
    data = {}
    for name in section.form.base_fields:
        if name in ("password",):
            continue
        value = getattr(obj, f"{name}_id", None) if name in ("queue", "team", "party") else None
        data[name] = value if value is not None else getattr(obj, name, None)
    if section.model is Queue:
        data["workdays"] = list(obj.workdays)
    return data


class SettingsView(PermissionRequiredMixin, View):
    permission = "helpdesk.change_queue"  # management

    def get(self, request):
        can = {
            f"{action}_{s.model._meta.model_name}": allowed(request.user, _perm(s, action))
            for s in SECTIONS.values()
            for action in ("add", "change", "delete", "view")
        }
        endpoints = list(queries.inbound_endpoints()) if can["view_inboundendpoint"] else []
        return render(
            request,
            "helpdesk/settings.html",
            {
                "title": _("Customer service settings"),
                "queues": list(queries.queues()),
                "mailboxes": list(queries.mailboxes()) if can["view_mailbox"] else [],
                "policies": list(queries.sla_policies()),
                "canned": list(queries.canned_responses()),
                "endpoints": [
                    (e, request.build_absolute_uri(f"/api/v1/helpdesk/inbound/{e.slug}"))
                    for e in endpoints
                ],
                "deliveries": queries.inbound_deliveries() if endpoints else [],
                "contact_url": request.build_absolute_uri("/help/contact/"),
                "can": can,
            },
        )


class SettingEditView(PermissionRequiredMixin, View):
    """Create (no pk) or change one row of a section through the services."""

    def dispatch(self, request, *args, **kwargs):
        self.section = _section(kwargs["kind"])
        self.permission = _perm(self.section, "change" if kwargs.get("pk") else "add")
        return super().dispatch(request, *args, **kwargs)

    def show(self, form, obj=None, status=200):
        return render(
            self.request,
            "helpdesk/setting_form.html",
            {
                "title": (f"{self.section.title_edit}: {obj}" if obj else self.section.title_new),
                "form": form,
                "object": obj,
                "section": self.section,
            },
            status=status,
        )

    def lookup(self, pk):
        obj = self.section.model.objects.filter(pk=pk).first() if pk else None
        if pk and obj is None:
            raise Http404(_("There is no such setting."))
        return obj

    def get(self, request, kind, pk=None):
        obj = self.lookup(pk)
        initial = _initial(self.section, obj) if obj else None
        return self.show(self.section.form(initial=initial), obj)

    def post(self, request, kind, pk=None):
        obj = self.lookup(pk)
        form = self.section.form(request.POST)
        if form.is_valid():
            values = form.values()
            if not form.errors:
                try:
                    if obj is None:
                        row = services.create_setting(
                            self.section.model, actor=request.user, **values
                        )
                    else:
                        row = services.update_setting(obj, actor=request.user, **values)
                except DomainPermissionDenied as exc:
                    raise DjangoPermissionDenied(str(exc.message)) from exc
                except DomainError as exc:
                    form_errors_from(form, exc)
                else:
                    if (
                        obj is None
                        and self.section.model is InboundEndpoint
                        and not values.get("secret")
                    ):
                        messages.info(
                            request,
                            _("The secret of %(name)s, shown this once: %(secret)s")
                            % {"name": row.name, "secret": row.secret},
                        )
                    messages.success(request, _("Saved."))
                    return redirect("helpdesk:settings")
        return self.show(form, obj, status=422)


class SettingDeleteView(PermissionRequiredMixin, View):
    def dispatch(self, request, *args, **kwargs):
        self.section = _section(kwargs["kind"])
        self.permission = _perm(self.section, "delete")
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, kind, pk):
        obj = self.section.model.objects.filter(pk=pk).first()
        if obj is None:
            raise Http404(_("There is no such setting."))
        try:
            services.delete_setting(obj, actor=request.user)
        except DomainPermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc.message)) from exc
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(name)s was removed.") % {"name": obj})
        return redirect("helpdesk:settings")


class MailboxTestView(PermissionRequiredMixin, View):
    """Log in to the mailbox over IMAP now and say how it went."""

    permission = "helpdesk.change_mailbox"

    def post(self, request, pk):
        mailbox = Mailbox.objects.filter(pk=pk).first()
        if mailbox is None:
            raise Http404(_("There is no such setting."))
        ok, text = test_login(mailbox)
        (messages.success if ok else messages.error)(request, f"{mailbox}: {text}")
        return redirect("helpdesk:settings")
