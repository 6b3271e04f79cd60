"""Knowledge base: categories (a tree with an order) and articles in Norwegian or English,
internal or public, with their state (draft, published, archived). The rendered, sanitised
HTML and the full-text vector are derived from the Markdown text by the services."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Category slugs the help centre's own pages use (/help/search/, /help/articles/...) and
# /help/contact/, which belongs to the web form of customer service.
RESERVED_SLUGS = frozenset({"articles", "search", "contact", "vote", "static", "api"})


class Language(models.TextChoices):
    NB = "nb", _("Norwegian Bokmål")
    EN = "en", _("English")


def validate_category_slug(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is reserved for a page of the help centre."),
            code="reserved_slug",
            params={"slug": value},
        )


class Category(models.Model):
    """A shelf of the help centre. `name` is Norwegian, `name_en` English (the Norwegian
    name when empty); `position` orders siblings."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    slug = models.SlugField(
        _("address"), max_length=100, unique=True, validators=[validate_category_slug]
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    description_en = models.CharField(_("description in English"), max_length=300, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    icon = models.CharField(_("icon"), max_length=40, blank=True, default="journal-text")

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def label(self, language: str = "nb") -> str:
        return (self.name_en if language == "en" else "") or self.name

    def blurb(self, language: str = "nb") -> str:
        return (self.description_en if language == "en" else "") or self.description

    def get_public_url(self) -> str:
        return reverse("help:category", args=[self.slug])


class Article(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        PUBLIC = "public", _("Public")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("article", "Draft")
        PUBLISHED = "published", _("Published")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=200, unique=True)
    summary = models.CharField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in lists and suggestions."),
    )
    body = models.TextField(_("text"), help_text=_("Markdown: # heading, **bold**, - lists."))
    # The body rendered from Markdown and sanitised with nh3 (the services keep it current).
    body_html = models.TextField(editable=False, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NB
    )
    # The same article in the other language (set on both articles by the services).
    translation = models.OneToOneField(
        "self",
        verbose_name=_("translation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    keywords = models.CharField(
        _("keywords"), max_length=300, blank=True, help_text=_("Separated by commas.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    view_count = models.PositiveIntegerField(_("views"), default=0)
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # PostgreSQL only (title A, keywords and summary B, text C, in the configuration of the
    # article's language); stays empty on SQLite, where search matches words instead.
    search_vector = SearchVectorField(null=True, editable=False)
    # SQLite only: title, keywords, summary and text in lower case, one column to match
    # words in (empty on PostgreSQL, which has the vector).
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["position", "title"]
        permissions = [("publish_article", "Can publish and archive knowledge articles")]
        indexes = [
            models.Index(
                fields=["state", "visibility", "language"], name="knowledge_article_public"
            ),
            models.Index(fields=["category", "position"], name="knowledge_article_category"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("knowledge:article_detail", args=[self.pk])

    def get_public_url(self) -> str:
        return reverse("help:article", args=[self.slug])

    @property
    def is_public(self) -> bool:
        """Shown in the help centre: public and published."""
        return self.visibility == self.Visibility.PUBLIC and self.state == self.State.PUBLISHED

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def state_badge(self) -> str:
        return {"draft": "secondary", "published": "success", "archived": "dark"}[self.state]

    @property
    def helpful_percent(self) -> int | None:
        votes = self.helpful_yes + self.helpful_no
        return round(self.helpful_yes * 100 / votes) if votes else None
