"""Events of the knowledge base. Subject: the article, so its page shows what happened to
it; automation rules can react (tell the team when an article is published)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class ArticleEvent(Event):
    subject_fields: ClassVar[dict[str, str]] = {"article_id": "article"}
    template: ClassVar[Any] = ""

    article_id: int
    title: str
    slug: str
    language: str
    visibility: str
    state: str
    category_id: int | None

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext(str(cls.template)) % {"title": payload.get("title", "")}


@dataclass(frozen=True, kw_only=True)
class ArticlePublished(ArticleEvent):
    type: ClassVar[str] = "knowledge.article.published"
    description: ClassVar[Any] = _("A knowledge article was published")
    template: ClassVar[Any] = _("The article “%(title)s” was published")


@dataclass(frozen=True, kw_only=True)
class ArticleUpdated(ArticleEvent):
    type: ClassVar[str] = "knowledge.article.updated"
    description: ClassVar[Any] = _("A knowledge article was changed")
    template: ClassVar[Any] = _("The article “%(title)s” was changed")

    fields: list[str]


@dataclass(frozen=True, kw_only=True)
class ArticleArchived(ArticleEvent):
    type: ClassVar[str] = "knowledge.article.archived"
    description: ClassVar[Any] = _("A knowledge article was archived")
    template: ClassVar[Any] = _("The article “%(title)s” was archived")
