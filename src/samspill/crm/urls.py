from django.urls import path

from samspill.crm.views import activities, common, leads, opportunities, public, setup

app_name = "crm"

urlpatterns = [
    path("leads/", leads.LeadListPage.as_view(), name="lead_list"),
    path("leads/new/", leads.LeadCreateView.as_view(), name="lead_create"),
    path("leads/import/", leads.LeadImportView.as_view(), name="lead_import"),
    path("leads/<int:pk>/", leads.LeadDetailView.as_view(), name="lead_detail"),
    path("leads/<int:pk>/edit/", leads.LeadEditView.as_view(), name="lead_edit"),
    path("leads/<int:pk>/qualify/", leads.LeadQualifyView.as_view(), name="lead_qualify"),
    path("leads/<int:pk>/disqualify/", leads.LeadDisqualifyView.as_view(), name="lead_disqualify"),
    path("leads/<int:pk>/convert/", leads.LeadConvertView.as_view(), name="lead_convert"),
    path("pipeline/", opportunities.BoardView.as_view(), name="board"),
    path("pipeline/<int:pk>/move/", opportunities.BoardMoveView.as_view(), name="board_move"),
    path("opportunities/", opportunities.OpportunityListPage.as_view(), name="opportunity_list"),
    path(
        "opportunities/new/",
        opportunities.OpportunityCreateView.as_view(),
        name="opportunity_create",
    ),
    path(
        "opportunities/<int:pk>/",
        opportunities.OpportunityDetailView.as_view(),
        name="opportunity_detail",
    ),
    path(
        "opportunities/<int:pk>/edit/",
        opportunities.OpportunityEditView.as_view(),
        name="opportunity_edit",
    ),
    path(
        "opportunities/<int:pk>/move/",
        opportunities.OpportunityMoveView.as_view(),
        name="opportunity_move",
    ),
    path("forecast/", opportunities.ForecastView.as_view(), name="forecast"),
    path("activities/", activities.ActivityListPage.as_view(), name="activity_list"),
    path("activities/mine/", activities.MyActivitiesView.as_view(), name="my_activities"),
    path("activities/new/", activities.ActivityCreateView.as_view(), name="activity_create"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.ActivityEditView.as_view(), name="activity_edit"),
    path(
        "activities/<int:pk>/complete/",
        activities.ActivityCompleteView.as_view(),
        name="activity_complete",
    ),
    path(
        "activities/<int:pk>/delete/",
        activities.ActivityDeleteView.as_view(),
        name="activity_delete",
    ),
    path("calendar/", activities.CalendarView.as_view(), name="calendar"),
    path(
        "calendar/new-address/",
        activities.CalendarFeedRegenerateView.as_view(),
        name="calendar_regenerate",
    ),
    path("calendar/<str:token>.ics", activities.CalendarFeedView.as_view(), name="calendar_feed"),
    path("settings/", setup.SettingsView.as_view(), name="settings"),
    path("settings/stages/new/", setup.StageEditView.as_view(), name="stage_create"),
    path("settings/stages/<int:pk>/", setup.StageEditView.as_view(), name="stage_edit"),
    path("settings/stages/<int:pk>/delete/", setup.StageDeleteView.as_view(), name="stage_delete"),
    path("settings/rules/new/", setup.RuleEditView.as_view(), name="rule_create"),
    path("settings/rules/<int:pk>/", setup.RuleEditView.as_view(), name="rule_edit"),
    path("settings/rules/<int:pk>/delete/", setup.RuleDeleteView.as_view(), name="rule_delete"),
    path("settings/forms/new/", setup.WebFormEditView.as_view(), name="webform_create"),
    path("settings/forms/<int:pk>/", setup.WebFormEditView.as_view(), name="webform_edit"),
    path("settings/forms/<int:pk>/new-key/", setup.WebFormKeyView.as_view(), name="webform_key"),
    path("contacts/lookup/", common.PartyLookupView.as_view(), name="party_lookup"),
    path("form/<str:key>/", public.PublicFormView.as_view(), name="public_form"),
]
