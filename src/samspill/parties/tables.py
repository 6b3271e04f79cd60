"""The contact list table: the list page, its CSV/XLSX export and nothing else."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from samspill.parties.forms import ROLE_CHOICES
from samspill.parties.models import Party

ROLE_LABELS = dict(ROLE_CHOICES)


class PartyTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    kind = tables.Column(verbose_name=_("Kind"))
    orgnr = tables.Column(verbose_name=_("Org. no."), attrs={"td": {"class": "text-nowrap"}})
    roles = tables.Column(verbose_name=_("Roles"), empty_values=(), orderable=False)
    # Not sortable: sorting by a value looked up per row reads the whole table.
    primary_email = tables.Column(verbose_name=_("Email"), orderable=False)
    primary_phone = tables.Column(
        verbose_name=_("Phone"), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    city = tables.Column(verbose_name=_("City"), orderable=False)
    tags = tables.Column(verbose_name=_("Tags"), empty_values=(), orderable=False)

    class Meta:
        model = Party
        fields = (
            "name",
            "kind",
            "orgnr",
            "roles",
            "primary_email",
            "primary_phone",
            "city",
            "tags",
        )
        order_by = ("name",)
        attrs = {"class": "table table-hover table-sm align-middle"}
        row_attrs = {"class": lambda record: "" if record.is_active else "text-body-secondary"}
        empty_text = _("No contacts.")

    def render_name(self, record, value):
        badge = ""
        if not record.is_active:
            badge = format_html(' <span class="badge text-bg-secondary">{}</span>', _("inactive"))
        return format_html("{}{}", record.display_name, badge)

    def value_name(self, record):
        return record.display_name

    def render_orgnr(self, record):
        return record.orgnr_display

    def render_roles(self, record):
        return (
            format_html_join(
                " ",
                '<span class="badge text-bg-light border">{}</span>',
                ((ROLE_LABELS[r],) for r in record.roles),
            )
            or "—"
        )

    def value_roles(self, record):
        return ", ".join(str(ROLE_LABELS[r]) for r in record.roles)

    def render_primary_email(self, value):
        return format_html('<a href="mailto:{}">{}</a>', value, value)

    def render_primary_phone(self, value):
        return format_html('<a href="tel:{}">{}</a>', value.replace(" ", ""), value)

    def render_tags(self, record):
        return (
            format_html_join(
                " ",
                '<span class="badge rounded-pill" style="background-color: {}">{}</span>',
                ((tag.colour, tag.name) for tag in record.tags.all()),
            )
            or "—"
        )

    def value_tags(self, record):
        return ", ".join(tag.name for tag in record.tags.all())
