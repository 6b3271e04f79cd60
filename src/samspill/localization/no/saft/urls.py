from django.urls import path

from samspill.localization.no.saft import views

app_name = "saft"
urlpatterns = [
    path("", views.SaftExportView.as_view(), name="export"),
]
