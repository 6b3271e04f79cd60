"""The public help centre under /help/: no login, only public and published articles
(whoever asks, signed in or not), in Norwegian or English (?lang=nb|en, remembered in the
language cookie), with search and "was this helpful?" votes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.views import View

from samspill.knowledge import queries, services
from samspill.knowledge.models import Language
from samspill.platform.errors import Conflict, NotFound

SEARCH_LIMIT = 20


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or ""


def help_language(request) -> str:
    """?lang= first, then the language of the request (cookie, browser, profile)."""
    asked = request.GET.get("lang", "")
    if asked in Language.values:
        return asked
    current = (getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "nb")[:2]
    return current if current in Language.values else Language.NB


class HelpPage(View):
    """Renders in the reader's language and remembers a language chosen with ?lang=."""

    template_name = ""

    def respond(self, request, context, status=200, template=None):
        language = context["language"]
        other = Language.EN if language == Language.NB else Language.NB
        context.setdefault("switch_url", f"{request.path}?lang={other}")
        context["other_language"] = other
        with translation.override(language):
            response = render(request, template or self.template_name, context, status=status)
        if request.GET.get("lang") in Language.values:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=365 * 24 * 3600,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response


class HelpHomeView(HelpPage):
    template_name = "knowledge/help/home.html"

    def get(self, request):
        language = help_language(request)
        return self.respond(
            request,
            {
                "language": language,
                "categories": queries.public_categories(language),
                "popular": queries.popular_articles(language),
            },
        )


class HelpCategoryView(HelpPage):
    template_name = "knowledge/help/category.html"

    def get(self, request, slug):
        language = help_language(request)
        try:
            category, articles = queries.public_category(slug, language)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        return self.respond(
            request, {"language": language, "category": category, "articles": articles}
        )


class HelpSearchView(HelpPage):
    template_name = "knowledge/help/search.html"

    def get(self, request):
        language = help_language(request)
        q = (request.GET.get("q") or "").strip()[:200]
        found = (
            queries.search_articles(q, language=language, audience=queries.PUBLIC, limit=20)
            if q
            else []
        )
        return self.respond(
            request,
            {
                "language": language,
                "q": q,
                "results": found,
                "switch_url": request.path
                + "?"
                + urlencode(
                    {"q": q, "lang": Language.EN if language == Language.NB else Language.NB}
                ),
            },
        )


class HelpArticleView(HelpPage):
    template_name = "knowledge/help/article.html"

    def article(self, slug):
        try:
            return queries.public_article(slug)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def get(self, request, slug, vote_state="", status=200):
        article = self.article(slug)
        asked = request.GET.get("lang", "")
        translated = article.translation
        if asked in Language.values and asked != article.language:
            # The language switch: the same article in the other language, if it is public.
            if translated is not None and translated.is_public:
                return redirect(f"{translated.get_public_url()}?lang={asked}")
            return redirect(f"{reverse('help:home')}?lang={asked}")
        if status == 200 and not vote_state:
            services.record_view(article)
            article.view_count += 1
        other = Language.EN if article.language == Language.NB else Language.NB
        context = {
            "language": article.language,
            "article": article,
            "translation": translated if translated is not None and translated.is_public else None,
            "vote_state": vote_state or request.GET.get("voted", ""),
            "switch_url": f"{request.path}?lang={other}",
        }
        template = "knowledge/help/_feedback.html" if request.htmx else None
        return self.respond(request, context, status=status, template=template)


class HelpVoteView(HelpArticleView):
    """POST helpful=yes|no. Counted once per article and address a day; rate-limited."""

    http_method_names = ["post"]

    def post(self, request, slug):
        article = self.article(slug)
        helpful = request.POST.get("helpful")
        if helpful not in ("yes", "no"):
            return self.get(request, slug, vote_state="invalid", status=400)
        try:
            services.vote(article, helpful=helpful == "yes", client=client_ip(request))
        except services.RateLimited:
            return self.get(request, slug, vote_state="limited", status=429)
        except Conflict:
            state = "already"
        else:
            state = "thanks"
        if request.htmx:
            return self.get(request, slug, vote_state=state)
        return redirect(f"{article.get_public_url()}?voted={state}#feedback")
