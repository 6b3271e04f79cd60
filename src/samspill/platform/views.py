"""Generic views shared by every domain (the NetBox pattern): one table and one filterset
per model serve the list page, its htmx fragment and its CSV/XLSX export."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.forms import Form
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from samspill.platform.errors import DomainError
from samspill.platform.permissions import VIEW, allowed, restrict

EXPORT_FORMATS = ("csv", "xlsx")


class PermissionRequiredMixin(LoginRequiredMixin):
    """Login required, then `permission` ("app.codename") or 403."""

    permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.permission and not allowed(request.user, self.permission):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        return super().dispatch(request, *args, **kwargs)


class ListPage(PermissionRequiredMixin, TemplateView):
    """A filterable, sortable, paginated list with export. Subclasses set `table_class`,
    `filterset_class`, `title`, and optionally `queryset()`; the template is shared."""

    template_name = "web/list_page.html"
    fragment_template = "web/list_table.html"
    table_class = None
    filterset_class = None
    title = ""
    create_url = None  # URL name of the "new" page, if the user may add
    create_permission: str | None = None
    export_name = "export"

    def get_queryset(self):
        model = self.table_class._meta.model
        return model.objects.all()

    def build(self):
        queryset = restrict(self.get_queryset(), self.request.user, VIEW)
        filterset = self.filterset_class(self.request.GET or None, queryset=queryset,
                                         request=self.request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
        table = self.table_class(rows, request=self.request)
        return filterset, table

    def get(self, request, *args, **kwargs):
        filterset, table = self.build()
        export = request.GET.get("_export")
        if export in EXPORT_FORMATS:
            RequestConfig(request, paginate=False).configure(table)
            exporter = TableExport(export, table, exclude_columns=("actions", "select"))
            return exporter.response(f"{self.export_name}.{export}")
        per_page = min(
            int(request.GET.get("per_page") or settings.SAMSPILL["PAGE_SIZE"])
            if str(request.GET.get("per_page", "")).isdigit() else settings.SAMSPILL["PAGE_SIZE"],
            settings.SAMSPILL["MAX_PAGE_SIZE"],
        )
        RequestConfig(request, paginate={"per_page": per_page}).configure(table)
        context = self.get_context_data(filterset=filterset, table=table, title=self.title)
        can_create = self.create_url and (
            not self.create_permission or allowed(request.user, self.create_permission)
        )
        context["create_url"] = self.create_url if can_create else None
        query = request.GET.copy()
        query.pop("page", None)
        context["export_query"] = query.urlencode()
        template = self.fragment_template if request.htmx else self.template_name
        return self.render_to_response(context, template_name=template)

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
    for field, messages in exc.errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)
