"""The help centre's addresses under /help/. A category's address never takes the name of
one of the help centre's own pages, nor /help/contact/ (customer service's web form), so
another app may add that page under /help/ whatever the order of the URL patterns."""

from django.urls import path, register_converter

from samspill.knowledge import public
from samspill.knowledge.models import RESERVED_SLUGS


class CategorySlugConverter:
    regex = r"(?!(?:%s)/)[-a-zA-Z0-9_]+" % "|".join(sorted(RESERVED_SLUGS))  # noqa: UP031

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(CategorySlugConverter, "help_category")

app_name = "help"
urlpatterns = [
    path("", public.HelpHomeView.as_view(), name="home"),
    path("search/", public.HelpSearchView.as_view(), name="search"),
    path("articles/<slug:slug>/", public.HelpArticleView.as_view(), name="article"),
    path("articles/<slug:slug>/vote/", public.HelpVoteView.as_view(), name="vote"),
    path("<help_category:slug>/", public.HelpCategoryView.as_view(), name="category"),
]
