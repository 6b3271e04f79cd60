"""Generic views shared by every domain (the NetBox pattern): one table and one filterset
per model serve the list page, its htmx fragment and its CSV/XLSX export. Below them, the
operations pages of the kernel: the event outbox and the audit log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import EmptyPage
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from samspill.platform import queries, services
from samspill.platform.errors import DomainError
from samspill.platform.filters import CHANNEL_LABELS, AuditFilterSet, EventFilterSet
from samspill.platform.permissions import VIEW, allowed, restrict
from samspill.platform.tables import AuditTable, EventTable, subjects_text

EXPORT_FORMATS = ("csv", "xlsx")
FILTER_FIELD_PARAMS = ("page", "per_page", "sort", "_export")


class PermissionRequiredMixin(LoginRequiredMixin):
    """Login required, then `permission` ("app.codename") or 403."""

    permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission and not allowed(request.user, self.permission):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        return super().dispatch(request, *args, **kwargs)


class SpreadsheetExport(TableExport):
    """TableExport that writes aware datetimes as local, naive ones (Excel has no time
    zones, and openpyxl refuses aware values)."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        aware = any(isinstance(v, datetime) and timezone.is_aware(v) for r in dataset for v in r)
        if not aware:
            return dataset
        headers = dataset.headers
        rows = [
            tuple(
                timezone.make_naive(v) if isinstance(v, datetime) and timezone.is_aware(v) else v
                for v in row
            )
            for row in dataset
        ]
        dataset.wipe()
        dataset.headers = headers
        for row in rows:
            dataset.append(row)
        return dataset


def style_form(form: Form) -> None:
    """Give the widgets of a (filter) form their Bootstrap classes, unless they have one."""
    for field in form.fields.values():
        widget = field.widget
        if widget.attrs.get("class"):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select form-select-sm"
        else:
            css = "form-control form-control-sm"
        widget.attrs["class"] = css


class ListPage(PermissionRequiredMixin, TemplateView):
    """A filterable, sortable, paginated list with export. Subclasses set `table_class`,
    `filterset_class`, `title`, and optionally `get_queryset()`; the template is shared.
    `empty_text` is what an empty list says (what to do first)."""

    template_name = "web/list_page.html"
    fragment_template = "web/list_table.html"
    table_class: type[Any] | None = None
    filterset_class: type[Any] | None = None
    title: Any = ""  # a (lazily) translated string
    empty_text: Any = ""
    create_url: str | None = None  # URL name of the "new" page, if the user may add
    create_permission: str | None = None
    export_name = "export"

    def get_queryset(self):
        model = self.table_class._meta.model
        return model.objects.all()

    def build(self):
        queryset = restrict(self.get_queryset(), self.request.user, VIEW)
        filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        style_form(filterset.form)
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
        else:
            rows = filterset.qs if filterset.is_bound else queryset
        # Not Table(rows, request=...): that paginates with the uncapped ?per_page at once.
        table = self.table_class(rows)
        table.request = self.request
        return filterset, table

    def per_page(self) -> int:
        raw = self.request.GET.get("per_page", "")
        size = int(raw) if raw.isdigit() and int(raw) > 0 else settings.SAMSPILL["PAGE_SIZE"]
        return int(min(size, settings.SAMSPILL["MAX_PAGE_SIZE"]))

    def paginate(self, table) -> None:
        """Paginate with the capped page size (django-tables2's RequestConfig would take
        `per_page` from the query string as it is, uncapped), on a page that exists."""
        raw = self.request.GET.get(table.prefixed_page_field, "")
        number = int(raw) if raw.isdigit() and int(raw) > 0 else 1
        try:
            table.paginate(page=number, per_page=self.per_page())
        except EmptyPage:
            table.paginate(page=table.paginator.num_pages or 1, per_page=self.per_page())

    def is_filtered(self, filterset) -> bool:
        return any(
            value not in ("", None)
            for name, value in self.request.GET.items()
            if name in filterset.form.fields
        )

    def get(self, request, *args, **kwargs):
        filterset, table = self.build()
        export = request.GET.get("_export")
        if export in EXPORT_FORMATS:
            RequestConfig(request, paginate=False).configure(table)
            exporter = SpreadsheetExport(export, table, exclude_columns=("actions", "select"))
            return exporter.response(f"{self.export_name}.{export}")
        RequestConfig(request, paginate=False).configure(table)  # sorting
        self.paginate(table)
        context = self.get_context_data(filterset=filterset, table=table, title=self.title)
        can_create = self.create_url and (
            not self.create_permission or allowed(request.user, self.create_permission)
        )
        context["create_url"] = self.create_url if can_create else None
        context["filtered"] = self.is_filtered(filterset)
        context["empty_text"] = self.empty_text
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("_export", None)
        context["export_query"] = query.urlencode()
        htmx = getattr(request, "htmx", None)
        fragment = bool(htmx) and not htmx.history_restore_request and not htmx.boosted
        template = self.fragment_template if fragment else self.template_name
        response = self.render_to_response(context, template_name=template)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def render_to_response(self, context, template_name=None, **kwargs):
        if template_name:
            kwargs["template"] = template_name
            return self.response_class(
                request=self.request, context=context, using=self.template_engine, **kwargs
            )
        return super().render_to_response(context, **kwargs)


def form_errors_from(form: Form, exc: DomainError) -> None:
    """Show a service's DomainError on the form, field by field where it can."""
    if not exc.errors:
        form.add_error(None, str(exc.message))
        return
    for field, messages_ in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages_:
            form.add_error(target, message)


# --- Operations: the event outbox -----------------------------------------------------------


class EventList(ListPage):
    permission = "platform.view_outboxevent"
    template_name = "platform/event_list.html"
    table_class = EventTable
    filterset_class = EventFilterSet
    title = gettext_lazy("Events")
    empty_text = gettext_lazy(
        "No events yet. They appear here as soon as anyone changes business data."
    )
    export_name = "events"

    def get_queryset(self):
        return queries.events(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status_counts"] = queries.event_status_counts(self.request.user)
        return context


class EventDetail(PermissionRequiredMixin, View):
    permission = "platform.view_outboxevent"

    def get(self, request, pk):
        event = queries.event(request.user, pk)
        if event is None:
            raise Http404(_("There is no such event."))
        return render(
            request,
            "platform/event_detail.html",
            {
                "title": event.type,
                "event": event,
                "subjects": subjects_text(event.subjects),
                "channel": CHANNEL_LABELS.get(event.channel, event.channel),
                "payload": json.dumps(event.payload, indent=2, ensure_ascii=False, sort_keys=True),
                "handled": event.handled.order_by("handled_at"),
            },
        )


class EventReplay(PermissionRequiredMixin, View):
    """Confirmation page (GET) and the replay itself (POST)."""

    permission = "platform.replay_outboxevent"

    def get(self, request, pk):
        event = queries.event(request.user, pk)
        if event is None:
            raise Http404(_("There is no such event."))
        return render(
            request, "platform/event_replay.html", {"title": _("Retry event"), "event": event}
        )

    def post(self, request, pk):
        try:
            event = services.replay_event(pk, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("The event %(type)s will be delivered again.") % {"type": event.type},
            )
        return redirect("platform:event", pk=pk)


# --- Operations: the audit log -----------------------------------------------------------------


class AuditLog(ListPage):
    permission = "platform.view_auditentry"
    table_class = AuditTable
    filterset_class = AuditFilterSet
    title = gettext_lazy("Audit log")
    empty_text = gettext_lazy("No changes have been recorded yet.")
    export_name = "audit-log"

    def get_queryset(self):
        return queries.audit_entries(self.request.user)
