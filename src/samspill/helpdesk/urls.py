from django.urls import path

from samspill.helpdesk import csat_views, dashboard_views, views, views_channels
from samspill.helpdesk.views_chat import urlpatterns as chat_urlpatterns

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
    path("calls/new/", views_channels.CallCreateView.as_view(), name="call_create"),
    path("tickets/<int:pk>/calls/", views_channels.TicketCallView.as_view(), name="ticket_call"),
    path("settings/", views_channels.SettingsView.as_view(), name="settings"),
    path(
        "settings/mailboxes/<int:pk>/test/",
        views_channels.MailboxTestView.as_view(),
        name="mailbox_test",
    ),
    path(
        "settings/<str:kind>/new/", views_channels.SettingEditView.as_view(), name="setting_create"
    ),
    path(
        "settings/<str:kind>/<int:pk>/",
        views_channels.SettingEditView.as_view(),
        name="setting_edit",
    ),
    path(
        "settings/<str:kind>/<int:pk>/delete/",
        views_channels.SettingDeleteView.as_view(),
        name="setting_delete",
    ),
    path("dashboard/", dashboard_views.ServiceDashboardView.as_view(), name="dashboard"),
    path("survey/<str:token>/", csat_views.SurveyView.as_view(), name="csat"),
    path(
        "tickets/<int:pk>/suggestions/",
        views.SuggestionsView.as_view(),
        name="ticket_suggestions",
    ),
]

urlpatterns += chat_urlpatterns  # the web chat (views_chat.py)
