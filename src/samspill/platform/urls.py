from django.urls import path

from samspill.platform import chatter_views as chatter
from samspill.platform import views

app_name = "platform"
urlpatterns = [
    path("events/", views.EventList.as_view(), name="events"),
    path("events/<uuid:pk>/", views.EventDetail.as_view(), name="event"),
    path("events/<uuid:pk>/retry/", views.EventReplay.as_view(), name="event_replay"),
    path("audit/", views.AuditLog.as_view(), name="audit"),
    # The chatter panel of any record, named by <app_label>.<model> and primary key.
    path("chatter/mentions/", chatter.MentionSuggestionsView.as_view(), name="mentions"),
    path("chatter/<str:label>/<str:pk>/", chatter.PanelView.as_view(), name="chatter"),
    path(
        "chatter/<str:label>/<str:pk>/comments/",
        chatter.CommentAddView.as_view(),
        name="comment_add",
    ),
    path(
        "chatter/<str:label>/<str:pk>/attachments/",
        chatter.AttachmentAddView.as_view(),
        name="attachment_add",
    ),
    path("chatter/<str:label>/<str:pk>/follow/", chatter.FollowView.as_view(), name="follow"),
    path("comments/<int:comment_id>/edit/", chatter.CommentEditView.as_view(), name="comment_edit"),
    path(
        "comments/<int:comment_id>/delete/",
        chatter.CommentDeleteView.as_view(),
        name="comment_delete",
    ),
    path(
        "attachments/<int:attachment_id>/",
        chatter.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    path(
        "attachments/<int:attachment_id>/delete/",
        chatter.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("notifications/", chatter.NotificationListView.as_view(), name="notifications"),
    path("notifications/bell/", chatter.BellView.as_view(), name="bell"),
    path(
        "notifications/read-all/",
        chatter.NotificationReadAllView.as_view(),
        name="notifications_read_all",
    ),
    path(
        "notifications/settings/",
        chatter.NotificationPreferenceView.as_view(),
        name="notification_settings",
    ),
    path(
        "notifications/<int:pk>/read/",
        chatter.NotificationReadView.as_view(),
        name="notification_read",
    ),
]
