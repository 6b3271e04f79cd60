from django.urls import path

from samspill.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_view, name="search"),
    path("favicon.ico", views.favicon),
]
