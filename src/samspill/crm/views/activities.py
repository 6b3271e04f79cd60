"""Activity pages: my activities (overdue first), the list, entry, completion, the
calendar (month and week) and the personal iCalendar feed."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from icalendar import Calendar, Event

from samspill.crm import forms, queries, services
from samspill.crm.filters import ActivityFilter
from samspill.crm.tables import ActivityTable
from samspill.crm.views.common import back_to, can, found
from samspill.platform import audit
from samspill.platform.errors import DomainError
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from


class MyActivitiesView(PermissionRequiredMixin, View):
    permission = "crm.view_activity"

    def get(self, request):
        rows = list(queries.my_activities(request.user)[:200])
        now = timezone.now()
        soon = now + timedelta(days=7)
        return render(
            request,
            "crm/my_activities.html",
            {
                "title": _("My activities"),
                "overdue": [a for a in rows if a.due_at < now],
                "upcoming": [a for a in rows if now <= a.due_at < soon],
                "later": [a for a in rows if a.due_at >= soon],
                "done": queries.activities(request.user)
                .filter(owner=request.user, completed_at__isnull=False)
                .order_by("-completed_at")[:10],
                "can": can(request, "crm.add_activity", "crm.change_activity"),
            },
        )


class ActivityListPage(ListPage):
    permission = "crm.view_activity"
    table_class = ActivityTable
    filterset_class = ActivityFilter
    title = gettext_lazy("Activities")
    create_url = "crm:activity_create"
    create_permission = "crm.add_activity"
    export_name = "activities"
    empty_text = gettext_lazy("No activities. Plan a call, meeting, email or task.")

    def get_queryset(self):
        return queries.activities(self.request.user)


def _activity_form_initial(request) -> dict:
    now = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    initial = {"due_at": now, "duration_minutes": 30, "kind": "call"}
    for name in ("party", "opportunity", "lead"):
        value = request.GET.get(name, "")
        if value.isdigit():
            initial[name] = int(value)
    if "opportunity" in initial and "party" not in initial:
        opportunity = queries.opportunities(request.user).filter(pk=initial["opportunity"]).first()
        if opportunity:
            initial["party"] = opportunity.party_id
    return initial


class ActivityCreateView(PermissionRequiredMixin, View):
    permission = "crm.add_activity"

    def show(self, form, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": _("New activity"),
                "form": form,
                "cancel_url": "crm:my_activities",
                "back_label": _("My activities"),
            },
            status=status,
        )

    def get(self, request):
        return self.show(forms.ActivityForm(initial=_activity_form_initial(request)))

    def post(self, request):
        form = forms.ActivityForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items()}
            try:
                activity = services.create_activity(actor=request.user, **data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The activity was planned."))
                return redirect(activity)
        return self.show(form, status=422)


class ActivityEditView(PermissionRequiredMixin, View):
    permission = "crm.change_activity"

    def show(self, activity, form, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": _("Edit activity"),
                "form": form,
                "object": activity,
                "cancel_url": "crm:my_activities",
                "back_label": _("My activities"),
            },
            status=status,
        )

    def get(self, request, pk):
        activity = found(queries.activity, request.user, pk)
        return self.show(
            activity, forms.ActivityForm(initial=forms.ActivityForm.initial_for(activity))
        )

    def post(self, request, pk):
        activity = found(queries.activity, request.user, pk)
        form = forms.ActivityForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if data.get("owner") is None:
                data["owner"] = activity.owner
            try:
                services.update_activity(activity, actor=request.user, **data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The activity was saved."))
                return redirect(activity)
        return self.show(activity, form, status=422)


class ActivityDetailView(PermissionRequiredMixin, View):
    permission = "crm.view_activity"

    def get(self, request, pk, complete_form=None, status=200):
        activity = found(queries.activity, request.user, pk)
        return render(
            request,
            "crm/activity_detail.html",
            {
                "title": activity.subject,
                "activity": activity,
                "complete_form": complete_form or forms.CompleteForm(),
                "history": audit.history(activity)[:20],
                "can": can(request, "crm.change_activity", "crm.delete_activity"),
            },
            status=status,
        )


class ActivityCompleteView(PermissionRequiredMixin, View):
    permission = "crm.change_activity"

    def post(self, request, pk):
        activity = found(queries.activity, request.user, pk)
        form = forms.CompleteForm(request.POST)
        if form.is_valid():
            try:
                services.complete_activity(
                    activity, actor=request.user, outcome=form.cleaned_data["outcome"]
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The activity is done."))
        next_url = request.POST.get("next", "")
        if next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect(activity)


class ActivityDeleteView(PermissionRequiredMixin, View):
    permission = "crm.delete_activity"

    def get(self, request, pk):
        activity = found(queries.activity, request.user, pk)
        return render(
            request, "crm/confirm_delete.html", {"title": _("Delete activity"), "object": activity}
        )

    def post(self, request, pk):
        activity = found(queries.activity, request.user, pk)
        try:
            services.delete_activity(activity, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(activity)
        messages.success(request, _("The activity was deleted."))
        return redirect("crm:my_activities")


# --- Calendar ---------------------------------------------------------------------------------


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return timezone.localdate()


class CalendarView(PermissionRequiredMixin, View):
    """A month grid or a week of the user's activities (or a colleague's, ?owner=)."""

    permission = "crm.view_activity"

    def get(self, request):
        view = "week" if request.GET.get("view") == "week" else "month"
        day = _parse_day(request.GET.get("date", ""))
        owner = request.user
        owner_id = request.GET.get("owner", "")
        if owner_id.isdigit() and int(owner_id) != request.user.pk:
            owner = queries.owners().filter(pk=owner_id).first() or request.user
        if view == "month":
            weeks = queries.month_grid(day.year, day.month)
            days = [d for week in weeks for d in week]
            first = day.replace(day=1)
            previous = (first - timedelta(days=1)).replace(day=1)
            following = (first + timedelta(days=32)).replace(day=1)
        else:
            start = day - timedelta(days=day.weekday())
            days = [start + timedelta(days=i) for i in range(7)]
            weeks = [days]
            previous, following = start - timedelta(days=7), start + timedelta(days=7)
        by_day = queries.calendar_days(request.user, days, owner=owner)
        return render(
            request,
            "crm/calendar.html",
            {
                "title": _("Calendar"),
                "view": view,
                "day": day,
                "weeks": [[(d, by_day.get(d, [])) for d in week] for week in weeks],
                "previous": previous,
                "following": following,
                "today": timezone.localdate(),
                "owner": owner,
                "owners": queries.owners(),
                "feed_url": request.build_absolute_uri(
                    reverse("crm:calendar_feed", args=[services.calendar_feed(request.user).token])
                ),
            },
        )


class CalendarFeedRegenerateView(PermissionRequiredMixin, View):
    permission = "crm.view_activity"

    def post(self, request):
        services.regenerate_calendar_feed(request.user, actor=request.user)
        messages.success(
            request, _("Your calendar has a new secret address. Subscribe again with the new one.")
        )
        return back_to(request, "crm:calendar")


class CalendarFeedView(View):
    """The personal iCalendar feed (no login: the secret token in the address)."""

    def get(self, request, token):
        owner = queries.feed_owner(token)
        if owner is None:
            raise Http404(_("There is no calendar at this address."))
        calendar = Calendar()
        calendar.add("prodid", "-//Samspill//CRM//NB")
        calendar.add("version", "2.0")
        calendar.add(
            "x-wr-calname",
            _("Samspill activities of %(user)s")
            % {"user": owner.get_full_name() or owner.get_username()},
        )
        calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
        host = request.get_host().split(":")[0] or "samspill"
        for activity in queries.feed_activities(owner):
            event = Event()
            event.add("uid", f"crm-activity-{activity.pk}@{host}")
            event.add("summary", f"{activity.get_kind_display()}: {activity.subject}")
            event.add("dtstart", activity.due_at)
            event.add("dtend", activity.due_at + timedelta(minutes=activity.duration_minutes or 0))
            event.add("dtstamp", activity.updated_at)
            description = [activity.notes] if activity.notes else []
            if activity.party_id:
                description.append(activity.party.display_name)
            if activity.outcome:
                description.append(activity.outcome)
            description.append(request.build_absolute_uri(activity.get_absolute_url()))
            event.add("description", "\n".join(description))
            event.add("url", request.build_absolute_uri(activity.get_absolute_url()))
            event.add("status", "CONFIRMED")
            if activity.completed_at:
                event.add("transp", "TRANSPARENT")
            event.add("categories", [str(activity.get_kind_display())])
            calendar.add_component(event)
        response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="samspill.ics"'
        response["Cache-Control"] = "private, max-age=300"
        return response
