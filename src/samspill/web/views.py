from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
