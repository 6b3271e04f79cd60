"""One filterset for the articles: the agents' list page, its export and the API list."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.knowledge import queries
from samspill.knowledge.models import Article, Category, Language


def _search(queryset, _name, value):
    return queries.filter_text(queryset, value or "")


class ArticleFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_search,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words in the text")}),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Article.State.choices, empty_label=_("All states")
    )
    visibility = django_filters.ChoiceFilter(
        label=_("Visibility"), choices=Article.Visibility.choices, empty_label=_("All")
    )
    language = django_filters.ChoiceFilter(
        label=_("Language"), choices=Language.choices, empty_label=_("All languages")
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.order_by("position", "name"),
        empty_label=_("All categories"),
    )

    class Meta:
        model = Article
        fields = ["q", "state", "visibility", "language", "category"]
