"""Pages of dunning: the overdue invoices with their last reminder, reminders written in
bulk (and e-mailed), a reminder's PDF, and the card on the customer's page. Thin adapters
over accounting.services.dunning and queries.dunning."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from samspill.accounting.models import Reminder
from samspill.accounting.queries import dunning as queries
from samspill.accounting.services import dunning as services
from samspill.accounting.views.common import found
from samspill.platform.errors import DomainError
from samspill.platform.permissions import allowed
from samspill.platform.views import PermissionRequiredMixin

MAX_ROWS = 500


class DunningView(PermissionRequiredMixin, View):
    """GET: overdue invoices (filters: customer, level); POST: remind the chosen ones."""

    permission = "accounting.view_reminder"

    def get(self, request):
        today = date.today()
        party = request.GET.get("party", "")
        level = request.GET.get("level", "")
        everything = queries.overdue_invoices(request.user, today=today)
        customers = sorted(
            {(row.party_id, row.party.display_name) for row in everything[: MAX_ROWS * 4]},
            key=lambda item: item[1].casefold(),
        )
        rows = list(
            queries.overdue_invoices(
                request.user,
                today=today,
                party_id=int(party) if party.isdigit() else None,
                level=level if level in ("0", "1", "2") else None,
            )[: MAX_ROWS + 1]
        )
        for row in rows:
            row.days_overdue = (today - row.due_date).days
            row.next_level = 2 if row.last_level == 1 else (None if row.last_level == 2 else 1)
        fee, days = services._company_terms()
        return render(
            request,
            "accounting/dunning_list.html",
            {
                "title": _("Dunning"),
                "rows": rows[:MAX_ROWS],
                "truncated": len(rows) > MAX_ROWS,
                "customers": customers,
                "party": party,
                "level": level,
                "today": today,
                "fee": fee,
                "days": days,
                "can_remind": allowed(request.user, "accounting.add_reminder"),
                "levels": Reminder.Level.choices,
            },
        )

    def post(self, request):
        if not allowed(request.user, "accounting.add_reminder"):
            messages.error(request, _("You may not write reminders."))
            return redirect("accounting:dunning")
        ids = [v for v in request.POST.getlist("invoice") if v.isdigit()]
        try:
            created = services.create_reminders(
                ids,
                actor=request.user,
                date=request.POST.get("date") or None,
                fee=request.POST.get("fee") == "on",
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(request.get_full_path())
        messages.success(
            request,
            ngettext("%(count)s reminder written.", "%(count)s reminders written.", len(created))
            % {"count": len(created)},
        )
        if request.POST.get("send") == "on":
            sent, problems = services.send_reminders(created, actor=request.user)
            if sent:
                messages.success(
                    request,
                    ngettext("%(count)s sent by e-mail.", "%(count)s sent by e-mail.", len(sent))
                    % {"count": len(sent)},
                )
            for problem in problems:
                messages.warning(request, problem)
        return redirect(request.get_full_path())


class ReminderPdfView(PermissionRequiredMixin, View):
    permission = "accounting.view_reminder"

    def get(self, request, pk):
        reminder = found(queries.reminder, pk, request.user)
        response = HttpResponse(
            services.render_reminder_pdf(reminder), content_type="application/pdf"
        )
        name = services.reminder_filename(reminder)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class ReminderSendView(PermissionRequiredMixin, View):
    permission = "accounting.change_reminder"

    def post(self, request, pk):
        reminder = found(queries.reminder, pk, request.user)
        try:
            reminder = services.send_reminder(
                reminder, actor=request.user, to=request.POST.get("to", "")
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        except OSError as exc:  # SMTP down: nothing marked sent
            messages.error(request, _("The e-mail could not be sent: %(error)s") % {"error": exc})
        else:
            messages.success(request, _("Sent to %(to)s.") % {"to": reminder.sent_to})
        return redirect("accounting:invoice_detail", reminder.invoice_id)


def party_dunning_panel(request, party) -> str:
    """The customer's overdue amount and latest reminders, for the party page."""
    from django.template.loader import render_to_string

    data = queries.party_dunning(party.pk)
    return render_to_string(
        "accounting/_party_dunning.html",
        {
            **data,
            "party": party,
            "dunning_url": reverse("accounting:dunning") + f"?party={party.pk}",
        },
        request=request,
    )
