from django.urls import path

from samspill.helpdesk import views

app_name = "helpdesk"
urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("tickets/new/", views.TicketCreateView.as_view(), name="ticket_create"),
    path("tickets/<int:pk>/", views.TicketDetailView.as_view(), name="ticket_detail"),
    path("tickets/<int:pk>/reply/", views.WriteView.as_view(kind="reply"), name="ticket_reply"),
    path("tickets/<int:pk>/note/", views.WriteView.as_view(kind="note"), name="ticket_note"),
    path("tickets/<int:pk>/action/", views.TicketActionView.as_view(), name="ticket_action"),
    path("tickets/<int:pk>/merge/", views.MergeView.as_view(), name="ticket_merge"),
    path(
        "tickets/<int:pk>/messages/<int:message_id>/split/",
        views.SplitView.as_view(),
        name="message_split",
    ),
    path("tickets/<int:pk>/canned/", views.CannedView.as_view(), name="ticket_canned"),
    path(
        "tickets/<int:pk>/suggestions/",
        views.SuggestionsView.as_view(),
        name="ticket_suggestions",
    ),
]
