"""Commands of the knowledge base: the only code that writes its tables. Each command is one
transaction, checks the actor's permission (when an actor is given), audits and publishes
its events. Readers' traffic (views, "was this helpful" votes) is counted with single
UPDATEs and is rate-limited per client address."""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.search import SearchVector
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.knowledge import events
from samspill.knowledge.markdown import first_paragraph, render, shorten
from samspill.knowledge.models import RESERVED_SLUGS, Article, Category, Language
from samspill.platform import audit
from samspill.platform.errors import Conflict, DomainError, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

MAX_BODY = 200_000
# Votes: one per article and address a day, and at most VOTES_PER_WINDOW per address in
# VOTE_WINDOW seconds. Suggestions (public, no login): SUGGESTIONS_PER_MINUTE per address.
VOTE_WINDOW = 600
VOTES_PER_WINDOW = 20
VOTE_MEMORY = 24 * 3600
SUGGESTIONS_PER_MINUTE = 60

TRANSLITERATE = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


class WrongState(Conflict):
    code = "wrong_state"


class RateLimited(DomainError):
    """Too many requests from one address in a short time."""

    status = 429
    code = "rate_limited"
    title = gettext_lazy("Too many requests")

    def __init__(self, message=None, *, retry_after: int, limit: int):
        self.retry_after = retry_after
        self.limit = limit
        super().__init__(message)

    @property
    def extra(self) -> dict[str, Any]:
        return {"retry_after": self.retry_after, "limit": self.limit}


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def make_slug(text: str) -> str:
    """ "Bytte og retur på 30 dager" -> "bytte-og-retur-pa-30-dager"."""
    return slugify((text or "").translate(TRANSLITERATE))[:180].strip("-")


def _unique_slug(model, base: str, exclude_pk=None) -> str:
    base = base or "artikkel"
    taken = set(
        model.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken or (model is Category and slug in RESERVED_SLUGS):
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate(instance, errors: dict[str, list[str]], exclude=()) -> None:
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


# --- Categories ----------------------------------------------------------------------------

CATEGORY_FIELDS: tuple[str, ...] = (
    "name",
    "name_en",
    "slug",
    "description",
    "description_en",
    "parent",
    "position",
    "icon",
)


def _resolve_category(value, errors, field="category") -> Category | None:
    if value in (None, ""):
        return None
    if isinstance(value, Category):
        return value
    row = Category.objects.filter(pk=value).first() if str(value).isdigit() else None
    if row is None:
        errors.setdefault(field, []).append(_("There is no such category."))
    return row


def _check_parent(category: Category, errors) -> None:
    parent = category.parent
    seen = set()
    while parent is not None and category.pk is not None:
        if parent.pk == category.pk or parent.pk in seen:
            errors.setdefault("parent", []).append(_("A category cannot be placed inside itself."))
            return
        seen.add(parent.pk)
        parent = parent.parent


@transaction.atomic
def create_category(
    *,
    actor,
    name: str,
    slug: str = "",
    name_en: str = "",
    description: str = "",
    description_en: str = "",
    parent=None,
    position: int = 0,
    icon: str = "journal-text",
) -> Category:
    check(actor, "knowledge.add_category")
    errors: dict[str, list[str]] = {}
    parent = _resolve_category(parent, errors, "parent")
    name = " ".join((name or "").split())
    slug = (slug or "").strip().lower() or _unique_slug(Category, make_slug(name))
    category = Category(
        name=name,
        name_en=" ".join((name_en or "").split()),
        slug=slug,
        description=(description or "").strip(),
        description_en=(description_en or "").strip(),
        parent=parent,
        position=position or 0,
        icon=(icon or "journal-text").strip(),
    )
    _validate(category, errors)
    raise_if(errors)
    category.save()
    audit.record("create", category, actor=actor, changes=audit.diff({}, audit.snapshot(category)))
    return category


@transaction.atomic
def update_category(category: Category, *, actor, **changes) -> Category:
    check(actor, "knowledge.change_category")
    unknown = sorted(set(changes) - set(CATEGORY_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("Unknown field.")] for f in unknown},
        )
    category = Category.objects.select_for_update().get(pk=category.pk)
    before = audit.snapshot(category)
    errors: dict[str, list[str]] = {}
    for field, value in changes.items():
        if field == "parent":
            value = _resolve_category(value, errors, "parent")
        elif field == "position":
            value = value or 0
        elif isinstance(value, str):
            value = value.strip()
        setattr(category, field, value)
    _check_parent(category, errors)
    _validate(category, errors)
    raise_if(errors)
    category.save()
    audit.record(
        "update", category, actor=actor, changes=audit.diff(before, audit.snapshot(category))
    )
    return category


# --- Articles ------------------------------------------------------------------------------

ARTICLE_FIELDS = (
    "title",
    "slug",
    "summary",
    "body",
    "language",
    "category",
    "visibility",
    "keywords",
    "position",
    "translation",
)
# What a change of these means for readers: an `updated` event.
AUDITED_EXCLUDE = (
    "body_html",
    "search_vector",
    "search_text",
    "view_count",
    "helpful_yes",
    "helpful_no",
)


def _clean_keywords(value) -> str:
    if isinstance(value, list | tuple):
        value = ",".join(str(v) for v in value)
    words = [" ".join(k.split()) for k in str(value or "").split(",")]
    unique = list(dict.fromkeys(w for w in words if w))
    return ", ".join(unique)


def _resolve_translation(article: Article, value, errors) -> Article | None:
    if value in (None, ""):
        return None
    other = value if isinstance(value, Article) else None
    if other is None and str(value).isdigit():
        other = Article.objects.filter(pk=value).first()
    if other is None:
        errors.setdefault("translation", []).append(_("There is no such article."))
        return None
    if article.pk is not None and other.pk == article.pk:
        errors.setdefault("translation", []).append(_("An article cannot be its own translation."))
    elif other.language == article.language:
        errors.setdefault("translation", []).append(
            _("The translation must be in the other language.")
        )
    return other


def _prepare(article: Article) -> None:
    """The derived fields: rendered HTML, the summary when empty and the search text."""
    article.body_html = render(article.body)
    if not article.summary:
        article.summary = shorten(first_paragraph(article.body), 240)
    article.search_text = search_text(article)


def search_text(article: Article) -> str:
    """What the word search on SQLite matches in (PostgreSQL searches the vector)."""
    if connection.vendor == "postgresql":
        return ""
    parts = (article.title, article.keywords, article.summary, article.body)
    return "\n".join(parts).lower()


def _set_translation(article: Article, partner: Article | None) -> None:
    """Link the saved article and its partner both ways (or unlink it). Earlier partners of
    either lose their link first, so each article has at most one translation."""
    if partner is not None:
        Article.objects.filter(translation=partner).exclude(pk=article.pk).update(translation=None)
    pointing = Article.objects.filter(translation=article)
    if partner is not None:
        pointing = pointing.exclude(pk=partner.pk)
    pointing.update(translation=None)
    Article.objects.filter(pk=article.pk).update(translation=partner)
    if partner is not None:
        Article.objects.filter(pk=partner.pk).update(translation=article)
    article.translation = partner


def search_vector_expression():
    """title (A), keywords (B) and text (C) in the configuration of each row's language."""
    config = Case(When(language=Language.EN, then=Value("english")), default=Value("norwegian"))
    return (
        SearchVector("title", weight="A", config=config)
        + SearchVector("keywords", weight="B", config=config)
        + SearchVector("summary", weight="B", config=config)
        + SearchVector("body", weight="C", config=config)
    )


def refresh_search_vectors(queryset=None) -> None:
    """Recompute the full-text vectors (PostgreSQL; nothing to do on SQLite)."""
    if connection.vendor != "postgresql":
        return
    rows = queryset if queryset is not None else Article.objects.all()
    rows.update(search_vector=search_vector_expression())


def _payload(article: Article) -> dict[str, Any]:
    return {
        "article_id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "language": article.language,
        "visibility": article.visibility,
        "state": article.state,
        "category_id": article.category_id,
    }


def _check_body(article: Article, errors) -> None:
    if not (article.title or "").strip():
        errors.setdefault("title", []).append(_("Give the article a title."))
    if not (article.body or "").strip():
        errors.setdefault("body", []).append(_("Write the text of the article."))
    elif len(article.body) > MAX_BODY:
        errors.setdefault("body", []).append(
            _("The text is longer than %(max)s characters.") % {"max": f"{MAX_BODY:,}"}
        )


@transaction.atomic
def create_article(
    *,
    actor,
    title: str,
    body: str,
    language: str = Language.NB,
    slug: str = "",
    summary: str = "",
    category=None,
    visibility: str = Article.Visibility.INTERNAL,
    keywords: Any = "",
    position: int = 0,
    translation=None,
    publish_now: bool = False,
) -> Article:
    """A new article, a draft unless `publish_now` (which needs the publish permission)."""
    check(actor, "knowledge.add_article")
    if publish_now:
        check(actor, "knowledge.publish_article")
    errors: dict[str, list[str]] = {}
    title = " ".join((title or "").split())
    article = Article(
        title=title,
        slug=(slug or "").strip().lower() or _unique_slug(Article, make_slug(title)),
        summary=" ".join((summary or "").split()),
        body=(body or "").strip(),
        language=language,
        category=_resolve_category(category, errors),
        visibility=visibility,
        keywords=_clean_keywords(keywords),
        position=position or 0,
        author=actor if actor is not None and actor.is_authenticated else None,
    )
    partner = _resolve_translation(article, translation, errors)
    _check_body(article, errors)
    _prepare(article)
    _validate(article, errors, exclude=("translation",))
    raise_if(errors)
    if publish_now:
        article.state = Article.State.PUBLISHED
        article.published_at = timezone.now()
    article.save()
    if partner is not None:
        _set_translation(article, partner)
    refresh_search_vectors(Article.objects.filter(pk=article.pk))
    audit.record(
        "create",
        article,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(article, exclude=AUDITED_EXCLUDE)),
    )
    if publish_now:
        publish(events.ArticlePublished(**_payload(article)), actor=actor)
    return article


def _lock(article: Article) -> Article:
    return Article.objects.select_for_update(of=("self",)).get(pk=article.pk)


@transaction.atomic
def update_article(article: Article, *, actor, **changes) -> Article:
    """Change the text or the details; the article keeps its state. Publishes
    `knowledge.article.updated` with the fields that changed."""
    check(actor, "knowledge.change_article")
    unknown = sorted(set(changes) - set(ARTICLE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("Unknown field.")] for f in unknown},
        )
    article = _lock(article)
    before = audit.snapshot(article, exclude=AUDITED_EXCLUDE)
    errors: dict[str, list[str]] = {}
    partner = article.translation
    for field, value in changes.items():
        if field == "category":
            article.category = _resolve_category(value, errors)
        elif field == "translation":
            continue
        elif field == "keywords":
            article.keywords = _clean_keywords(value)
        elif field in ("title", "summary"):
            setattr(article, field, " ".join((value or "").split()))
        elif field == "slug":
            article.slug = (value or "").strip().lower() or _unique_slug(
                Article, make_slug(article.title), exclude_pk=article.pk
            )
        elif field == "position":
            article.position = value or 0
        elif field == "body":
            article.body = (value or "").strip()
        else:
            setattr(article, field, value)
    if "translation" in changes:
        partner = _resolve_translation(article, changes["translation"], errors)
    elif partner is not None and partner.language == article.language:
        partner = None  # the language changed: the old link no longer holds
    _check_body(article, errors)
    _prepare(article)
    _validate(article, errors, exclude=("translation",))
    raise_if(errors)
    article.save()
    if (partner.pk if partner else None) != before["translation"]:
        _set_translation(article, partner)
    refresh_search_vectors(Article.objects.filter(pk=article.pk))
    changed = audit.diff(before, audit.snapshot(article, exclude=AUDITED_EXCLUDE))
    changed.pop("updated_at", None)
    if changed:
        audit.record("update", article, actor=actor, changes=changed)
        publish(events.ArticleUpdated(**_payload(article), fields=sorted(changed)), actor=actor)
    return article


@transaction.atomic
def publish_article(article: Article, *, actor) -> Article:
    """Draft or archived -> published (the help centre shows it when it is public)."""
    check(actor, "knowledge.publish_article")
    article = _lock(article)
    if article.state == Article.State.PUBLISHED:
        raise WrongState(_("The article is already published."))
    before = audit.snapshot(article, exclude=AUDITED_EXCLUDE)
    article.state = Article.State.PUBLISHED
    article.published_at = timezone.now()
    article.save(update_fields=["state", "published_at", "updated_at"])
    audit.record(
        "update",
        article,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(article, exclude=AUDITED_EXCLUDE)),
    )
    publish(events.ArticlePublished(**_payload(article)), actor=actor)
    return article


@transaction.atomic
def archive_article(article: Article, *, actor) -> Article:
    """Draft or published -> archived: out of the help centre and suggestions."""
    check(actor, "knowledge.publish_article")
    article = _lock(article)
    if article.state == Article.State.ARCHIVED:
        raise WrongState(_("The article is already archived."))
    before = audit.snapshot(article, exclude=AUDITED_EXCLUDE)
    article.state = Article.State.ARCHIVED
    article.save(update_fields=["state", "updated_at"])
    audit.record(
        "update",
        article,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(article, exclude=AUDITED_EXCLUDE)),
    )
    publish(events.ArticleArchived(**_payload(article)), actor=actor)
    return article


# --- Readers: views, votes and the rate limit -----------------------------------------------


def check_rate(scope: str, client: str, *, limit: int, window: int) -> None:
    """At most `limit` requests of `scope` per client address in `window` seconds, counted
    in the cache (shared by all processes when CACHE_URL points at Redis)."""
    key = f"knowledge:{scope}:{client or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(
            _("Too many requests from your address. Try again in a few minutes."),
            retry_after=window,
            limit=limit,
        )


def record_view(article: Article) -> None:
    """One more reader (one UPDATE, no audit: reading is not a change)."""
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)


def vote(article: Article, *, helpful: bool, client: str) -> Article:
    """A reader's "was this helpful?". Counted once per article and address a day; too many
    votes from one address are refused (429)."""
    check_rate("votes", client, limit=VOTES_PER_WINDOW, window=VOTE_WINDOW)
    if not cache.add(f"knowledge:voted:{article.pk}:{client or 'unknown'}", 1, VOTE_MEMORY):
        raise Conflict(
            _("You have already told us about this article. Thank you!"), code="already_voted"
        )
    column = "helpful_yes" if helpful else "helpful_no"
    Article.objects.filter(pk=article.pk).update(**{column: F(column) + 1})
    article.refresh_from_db(fields=["helpful_yes", "helpful_no"])
    return article
