"""/api/v1/knowledge: articles and categories for agents and editors, and the suggestions
(`/suggest`) that the ticket page, the chat widget and the help centre use. Thin adapters
over `services` and `queries`; every write is one service call (one transaction)."""

from datetime import datetime
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.responses import Status

from samspill.knowledge import queries, services
from samspill.knowledge.filters import ArticleFilterSet
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require
from samspill.users.auth import TokenAuth

router = Router(tags=["knowledge"])

LanguageName = Literal["nb", "en"]
VisibilityName = Literal["internal", "public"]
StateName = Literal["draft", "published", "archived"]


class KnowledgeArticleOut(Schema):
    id: int
    title: str
    slug: str
    summary: str
    language: str
    visibility: str
    state: str
    category_id: int | None
    translation_id: int | None
    keywords: list[str] = Field(..., alias="keyword_list")
    author_id: int | None
    position: int
    view_count: int
    helpful_yes: int
    helpful_no: int
    public_url: str | None = Field(
        None, description="Set when the article is public and published."
    )
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_public_url(obj) -> str | None:
        return obj.get_public_url() if obj.is_public else None


class KnowledgeArticleDetailOut(KnowledgeArticleOut):
    body: str = Field(..., description="Markdown.")
    body_html: str = Field(..., description="The text rendered and sanitised with nh3.")


class KnowledgeArticleIn(Schema):
    title: str = Field(..., max_length=200)
    body: str = Field(..., max_length=200_000, description="Markdown.")
    language: LanguageName = "nb"
    slug: str = Field("", max_length=200, description="Made from the title when empty.")
    summary: str = Field("", max_length=300)
    category_id: int | None = None
    visibility: VisibilityName = "internal"
    keywords: list[str] = Field(default_factory=list, max_length=30)
    position: int = Field(0, ge=0)
    translation_id: int | None = Field(None, description="The same article in the other language.")
    publish: bool = Field(False, description="Publish at once (needs the publish permission).")


class KnowledgeArticlePatch(Schema):
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=200_000)
    language: LanguageName | None = None
    slug: str | None = Field(None, max_length=200)
    summary: str | None = Field(None, max_length=300)
    category_id: int | None = None
    visibility: VisibilityName | None = None
    keywords: list[str] | None = Field(None, max_length=30)
    position: int | None = Field(None, ge=0)
    translation_id: int | None = None


class KnowledgeArticleFilters(Schema):
    q: str | None = Field(None, description="Words in the title, keywords or text")
    state: StateName | None = None
    visibility: VisibilityName | None = None
    language: LanguageName | None = None
    category: int | None = None


class KnowledgeCategoryOut(Schema):
    id: int
    name: str
    name_en: str
    slug: str
    description: str
    description_en: str
    parent_id: int | None
    position: int
    icon: str


class KnowledgeCategoryIn(Schema):
    name: str = Field(..., max_length=100)
    name_en: str = Field("", max_length=100)
    slug: str = Field("", max_length=100)
    description: str = Field("", max_length=300)
    description_en: str = Field("", max_length=300)
    parent_id: int | None = None
    position: int = Field(0, ge=0)
    icon: str = Field("journal-text", max_length=40)


class KnowledgeCategoryPatch(Schema):
    name: str | None = Field(None, max_length=100)
    name_en: str | None = Field(None, max_length=100)
    slug: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=300)
    description_en: str | None = Field(None, max_length=300)
    parent_id: int | None = None
    position: int | None = Field(None, ge=0)
    icon: str | None = Field(None, max_length=40)


class KnowledgeSuggestionOut(Schema):
    id: int
    title: str
    url: str = Field(
        ...,
        description="Public audience: the help centre's address (absolute); internal: the "
        "article's page for agents.",
    )
    excerpt: str
    language: str
    visibility: str
    public_url: str | None = Field(
        None, description="The help centre's address (absolute), when the article is public."
    )


class KnowledgeSuggestQuery(Schema):
    q: str = Field(..., max_length=2000, description="The question, a subject or a message")
    language: LanguageName | None = Field(None, description="Empty: both languages")
    audience: Literal["public", "internal"] = "public"
    limit: int = Field(5, ge=1, le=10)


RENAMES = {"category_id": "category", "translation_id": "translation", "parent_id": "parent"}


def _renamed(data: dict) -> dict:
    return {RENAMES.get(k, k): v for k, v in data.items()}


def _article(request, article_id: int):
    return queries.get_article(request.user, article_id)


# --- Articles --------------------------------------------------------------------------------


@router.get("/articles", response=list[KnowledgeArticleOut], summary="Articles")
@paginate
def list_articles(request, filters: Query[KnowledgeArticleFilters]):
    require(request.user, "knowledge.view_article")
    data = {k: v for k, v in filters.dict().items() if v is not None}
    filterset = ArticleFilterSet(data, queryset=queries.articles(request.user), request=request)
    if not filterset.is_valid():
        raise ValidationFailed(errors={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.order_by("title", "id")


@router.post("/articles", response={201: KnowledgeArticleDetailOut}, summary="Write an article")
def create_article(request, payload: KnowledgeArticleIn):
    data = _renamed(payload.dict())
    publish_now = data.pop("publish")
    article = services.create_article(actor=request.user, publish_now=publish_now, **data)
    return Status(201, _article(request, article.pk))


@router.get("/articles/{int:article_id}", response=KnowledgeArticleDetailOut, summary="An article")
def get_article(request, article_id: int):
    require(request.user, "knowledge.view_article")
    return _article(request, article_id)


@router.patch(
    "/articles/{int:article_id}", response=KnowledgeArticleDetailOut, summary="Change an article"
)
def update_article(request, article_id: int, payload: KnowledgeArticlePatch):
    article = _article(request, article_id)
    services.update_article(
        article, actor=request.user, **_renamed(payload.dict(exclude_unset=True))
    )
    return _article(request, article_id)


@router.post(
    "/articles/{int:article_id}/publish",
    response=KnowledgeArticleDetailOut,
    summary="Publish (public articles appear in the help centre)",
)
def publish_article(request, article_id: int):
    services.publish_article(_article(request, article_id), actor=request.user)
    return _article(request, article_id)


@router.post(
    "/articles/{int:article_id}/archive",
    response=KnowledgeArticleDetailOut,
    summary="Archive (out of the help centre and suggestions)",
)
def archive_article(request, article_id: int):
    services.archive_article(_article(request, article_id), actor=request.user)
    return _article(request, article_id)


# --- Categories ------------------------------------------------------------------------------


@router.get("/categories", response=list[KnowledgeCategoryOut], summary="Categories")
@paginate
def list_categories(request):
    require(request.user, "knowledge.view_category")
    return queries.categories(request.user).order_by("position", "name", "id")


@router.post("/categories", response={201: KnowledgeCategoryOut}, summary="Add a category")
def create_category(request, payload: KnowledgeCategoryIn):
    return Status(201, services.create_category(actor=request.user, **_renamed(payload.dict())))


@router.patch(
    "/categories/{int:category_id}", response=KnowledgeCategoryOut, summary="Change a category"
)
def update_category(request, category_id: int, payload: KnowledgeCategoryPatch):
    require(request.user, "knowledge.view_category")
    category = queries.categories(request.user).filter(pk=category_id).first()
    if category is None:
        raise NotFound(code="category_not_found")
    return services.update_category(
        category, actor=request.user, **_renamed(payload.dict(exclude_unset=True))
    )


# --- Suggestions -----------------------------------------------------------------------------


def _signed_in(request):
    user = TokenAuth()(request)
    if user:
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    raise AuthenticationError()


@router.get(
    "/suggest",
    response=list[KnowledgeSuggestionOut],
    auth=None,
    summary="Articles that may answer a question (public audience: no login)",
)
def suggest(request, response: HttpResponse, params: Query[KnowledgeSuggestQuery]):
    """`public`: only public, published articles, for anyone (the chat widget, a website);
    rate-limited per address (429 with `retry_after`), CORS open. `internal`: every
    published article the signed-in user (session or token) may read."""
    audience = params.audience
    if audience == queries.PUBLIC:
        services.check_rate(
            "suggest",
            request.META.get("REMOTE_ADDR", ""),
            limit=services.SUGGESTIONS_PER_MINUTE,
            window=60,
        )
        response["Access-Control-Allow-Origin"] = "*"
        user = None
    else:
        user = _signed_in(request)
        require(user, "knowledge.view_article")
    found = queries.suggest(
        params.q, language=params.language, audience=audience, user=user, limit=params.limit
    )
    return [
        {
            "id": s.id,
            "title": s.title,
            "url": request.build_absolute_uri(s.url) if audience == queries.PUBLIC else s.url,
            "excerpt": s.excerpt,
            "language": s.language,
            "visibility": s.visibility,
            "public_url": request.build_absolute_uri(s.public_url) if s.public_url else None,
        }
        for s in found
    ]
