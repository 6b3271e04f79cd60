from django.urls import path

from samspill.localization.no import views

app_name = "localization_no"
urlpatterns = [
    path("vat-codes/", views.VatCodeListPage.as_view(), name="vat_code_list"),
    path("vat-codes/<str:code>/", views.VatCodeEditView.as_view(), name="vat_code_edit"),
    path(
        "vat-categories/<slug:key>/",
        views.VatCategoryEditView.as_view(),
        name="vat_category_edit",
    ),
]
