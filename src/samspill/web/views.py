from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from samspill.platform.registry import key_figures, search  # noqa: F401


@login_required
def home(request):
    return render(request, "web/home.html", {"title": ""})


@login_required
def search_view(request):
    query = request.GET.get("q", "")
    results = search(request.user, query, limit=8 if request.htmx else 50)
    template = "web/search_results.html" if request.htmx else "web/search.html"
    return render(request, template, {"results": results, "search_query": query,
                                      "title": query})
