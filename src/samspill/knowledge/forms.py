"""Forms of the knowledge base: shape only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.knowledge import queries
from samspill.knowledge.models import Article, Language


def _style(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=200,
        required=False,
        help_text=_("The end of the help centre's address; made from the title when empty."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    category = forms.TypedChoiceField(
        label=_("Category"), coerce=int, required=False, empty_value=None
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Article.Visibility.choices,
        help_text=_("Public articles are shown in the help centre once they are published."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        help_text=_("One or two sentences; made from the text when empty."),
    )
    body = forms.CharField(
        label=_("Text"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 18, "id": "article-body", "spellcheck": "true"}),
        help_text=_("Markdown: ## heading, **bold**, *italic*, - list, [link](https://...)."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=300,
        required=False,
        help_text=_("Separated by commas: words customers use that the text may not."),
    )
    translation = forms.TypedChoiceField(
        label=_("Translation"), coerce=int, required=False, empty_value=None
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, required=False, initial=0)

    def __init__(self, *args, article: Article | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        none = [("", "—")]
        self.fields["category"].choices = none + queries.category_choices()  # type: ignore[attr-defined]
        language = self.data.get("language") or self.initial.get("language") or Language.NB
        self.fields["translation"].choices = none + [  # type: ignore[attr-defined]
            (a.pk, a.title) for a in queries.translation_choices(article, language)
        ]
        _style(self)


class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    name_en = forms.CharField(label=_("Name in English"), max_length=100, required=False)
    slug = forms.SlugField(label=_("Address"), max_length=100, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    description_en = forms.CharField(
        label=_("Description in English"), max_length=300, required=False
    )
    parent = forms.TypedChoiceField(
        label=_("Parent category"), coerce=int, required=False, empty_value=None
    )
    position = forms.IntegerField(label=_("Position"), min_value=0, required=False, initial=0)
    icon = forms.CharField(
        label=_("Icon"),
        max_length=40,
        required=False,
        help_text=_("A Bootstrap icon name, e.g. truck, receipt, arrow-return-left."),
    )

    def __init__(self, *args, exclude_pk: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (pk, label) for pk, label in queries.category_choices() if pk != exclude_pk
        ]
        _style(self)


class PreviewForm(forms.Form):
    body = forms.CharField(required=False, max_length=200_000)
