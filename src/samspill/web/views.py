from django.contrib.auth.decorators import login_required
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static

from samspill.platform.registry import search


@login_required
def home(request):
    return render(request, "web/home.html")


@login_required
def search_view(request):
    query = request.GET.get("q", "").strip()[:200]
    dropdown = bool(request.htmx) and not request.htmx.history_restore_request
    results = search(request.user, query, limit=8 if dropdown else 50)
    template = "web/search_results.html" if dropdown else "web/search.html"
    return render(
        request,
        template,
        {"results": results, "search_query": query, "dropdown": dropdown},
    )


def favicon(request):
    """Pages name their icon; this answers browsers and tools that ask for /favicon.ico anyway.
    The static URL is looked up per request: with hashed static files it exists only after
    collectstatic, never at import time."""
    return HttpResponsePermanentRedirect(static("web/favicon.svg"))
