"""Test URLconf: the real URLs plus a view that fails, for the 500 page."""

from django.urls import include, path


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), path("", include("samspill.urls"))]
