import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from samspill.organization.models import Department, Team


class DepartmentTable(tables.Table):
    name = tables.LinkColumn(
        "organization:department_detail", args=[tables.A("pk")], verbose_name=_("Name")
    )
    code = tables.Column(verbose_name=_("Code"))
    office = tables.Column(verbose_name=_("Office"))
    function = tables.Column(verbose_name=_("Function"))
    team_count = tables.Column(verbose_name=_("Teams"), attrs={"td": {"class": "text-end"}})
    member_count = tables.Column(verbose_name=_("People"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Department
        fields = ("name", "code", "office", "function", "team_count", "member_count")
        attrs = {"class": "table table-hover align-middle"}


class TeamTable(tables.Table):
    name = tables.LinkColumn(
        "organization:team_detail", args=[tables.A("pk")], verbose_name=_("Name")
    )
    department = tables.LinkColumn(
        "organization:department_detail",
        args=[tables.A("department_id")],
        verbose_name=_("Department"),
        order_by=("department__name",),
    )
    office = tables.Column(
        verbose_name=_("Office"), accessor="department__office", order_by=("department__office",)
    )
    lead = tables.Column(
        verbose_name=_("Lead"), order_by=("lead__first_name", "lead__last_name"), default="—"
    )
    member_count = tables.Column(verbose_name=_("Members"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Team
        fields = ("name", "department", "office", "lead", "member_count")
        attrs = {"class": "table table-hover align-middle"}

    def render_office(self, record):
        return record.department.get_office_display()

    def value_office(self, record):
        return record.department.get_office_display()
