from django.urls import path

from samspill.parties import views

app_name = "parties"
urlpatterns = [
    path("", views.PartyListView.as_view(), name="list"),
    path("new/organization/", views.PartyCreateView.as_view(), name="create_organization"),
    path("new/person/", views.PersonCreateView.as_view(), name="create_person"),
    path("lookup/", views.LookupView.as_view(), name="lookup"),
    path("validate/", views.ValidateView.as_view(), name="validate"),
    path("<int:pk>/", views.PartyDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartyEditView.as_view(), name="edit"),
    path("<int:pk>/timeline/", views.TimelineView.as_view(), name="timeline"),
    path("<int:pk>/merge/", views.MergeView.as_view(), name="merge"),
    path("<int:pk>/personal-data/", views.PersonalDataView.as_view(), name="personal_data"),
    path("<int:pk>/erase/", views.EraseView.as_view(), name="erase"),
    path("<int:pk>/addresses/add/", views.AddressAddView.as_view(), name="address_add"),
    path("addresses/<int:pk>/edit/", views.AddressEditView.as_view(), name="address_edit"),
    path("addresses/<int:pk>/delete/", views.AddressDeleteView.as_view(), name="address_delete"),
    path(
        "<int:pk>/contact-points/add/",
        views.ContactPointAddView.as_view(),
        name="contact_point_add",
    ),
    path(
        "contact-points/<int:pk>/edit/",
        views.ContactPointEditView.as_view(),
        name="contact_point_edit",
    ),
    path(
        "contact-points/<int:pk>/delete/",
        views.ContactPointDeleteView.as_view(),
        name="contact_point_delete",
    ),
    path("<int:pk>/relations/add/", views.RelationAddView.as_view(), name="relation_add"),
    path("relations/<int:pk>/edit/", views.RelationEditView.as_view(), name="relation_edit"),
    path("relations/<int:pk>/delete/", views.RelationDeleteView.as_view(), name="relation_delete"),
    path("<int:pk>/consents/", views.ConsentAddView.as_view(), name="consent_add"),
]
