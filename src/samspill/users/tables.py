import django_tables2 as tables
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from samspill.platform.permissions import ROLES
from samspill.users.models import User


class UserTable(tables.Table):
    username = tables.LinkColumn(
        "users:user_detail", args=[tables.A("pk")], verbose_name=_("Username")
    )
    name = tables.Column(
        verbose_name=_("Name"), accessor="first_name", order_by=("first_name", "last_name")
    )
    email = tables.EmailColumn(verbose_name=_("E-mail address"))
    roles = tables.Column(verbose_name=_("Roles"), accessor="pk", orderable=False)
    is_active = tables.BooleanColumn(verbose_name=_("Active"))
    last_login = tables.DateTimeColumn(verbose_name=_("Last login"), short=True, default="—")

    class Meta:
        model = User
        fields = ("username", "name", "email", "roles", "is_active", "last_login")
        attrs = {"class": "table table-hover align-middle"}
        order_by = ("username",)

    def render_name(self, record):
        return record.get_full_name() or "—"

    def value_name(self, record):
        return record.get_full_name()

    def render_roles(self, record):
        names = [str(ROLES.get(r, r)) for r in record.role_names]
        if not names:
            return "—"
        return format_html_join(
            " ", '<span class="badge text-bg-secondary">{}</span>', ((n,) for n in names)
        )

    def value_roles(self, record):
        return ", ".join(record.role_names)
