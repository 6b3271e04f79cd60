from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from samspill.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_view, name="search"),
    # Pages name their icon; this answers browsers and tools that ask for /favicon.ico anyway.
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
]
