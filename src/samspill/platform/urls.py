from django.urls import path

from samspill.platform import views

app_name = "platform"
urlpatterns = [
    path("events/", views.EventList.as_view(), name="events"),
    path("events/<uuid:pk>/", views.EventDetail.as_view(), name="event"),
    path("events/<uuid:pk>/retry/", views.EventReplay.as_view(), name="event_replay"),
    path("audit/", views.AuditLog.as_view(), name="audit"),
]
