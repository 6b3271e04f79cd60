"""The articles table: the agents' list page and its CSV/XLSX export."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from samspill.knowledge.models import Article


class ArticleTable(tables.Table):
    title = tables.Column(verbose_name=_("Title"), linkify=True)
    category = tables.Column(verbose_name=_("Category"), order_by=("category__name",))
    language = tables.Column(verbose_name=_("Language"))
    visibility = tables.Column(verbose_name=_("Visibility"))
    state = tables.Column(verbose_name=_("State"))
    view_count = tables.Column(verbose_name=_("Views"))
    helpful = tables.Column(
        verbose_name=_("Helpful"), accessor="helpful_yes", order_by=("-helpful_yes",)
    )
    updated_at = tables.DateTimeColumn(verbose_name=_("Updated"), short=True)

    class Meta:
        model = Article
        fields = (
            "title",
            "category",
            "language",
            "visibility",
            "state",
            "view_count",
            "helpful",
            "updated_at",
        )
        order_by = ("title",)
        attrs = {"class": "table table-hover table-sm align-middle", "id": "article-table"}
        row_attrs = {"data-article": lambda record: str(record.pk)}

    def render_state(self, value, record):
        return format_html('<span class="badge text-bg-{}">{}</span>', record.state_badge, value)

    def render_visibility(self, value, record):
        icon = "globe" if record.visibility == Article.Visibility.PUBLIC else "lock"
        return format_html('<i class="bi bi-{}" aria-hidden="true"></i> {}', icon, value)

    def render_language(self, value, record):
        return record.language.upper()

    def render_helpful(self, value, record):
        percent = record.helpful_percent
        if percent is None:
            return "—"
        return f"{percent} % ({record.helpful_yes + record.helpful_no})"

    def value_helpful(self, value, record):
        return record.helpful_yes

    def value_state(self, value, record):
        return record.get_state_display()

    def value_visibility(self, value, record):
        return record.get_visibility_display()

    def value_language(self, value, record):
        return record.language
