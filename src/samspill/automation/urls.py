from django.urls import path
from django.views.generic import RedirectView

from samspill.automation import views

app_name = "automation"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="automation:rule_list"), name="index"),
    path("rules/", views.RuleListPage.as_view(), name="rule_list"),
    path("rules/new/", views.RuleCreateView.as_view(), name="rule_create"),
    path("rules/runs/", views.RuleRunListPage.as_view(), name="run_list"),
    path("rules/builder/condition/", views.ConditionRowView.as_view(), name="builder_condition"),
    path("rules/builder/action/", views.ActionRowView.as_view(), name="builder_action"),
    path("rules/builder/fields/", views.FieldSuggestionsView.as_view(), name="builder_fields"),
    path("rules/builder/remove/", views.RemoveRowView.as_view(), name="builder_remove"),
    path("rules/<int:pk>/", views.RuleDetailView.as_view(), name="rule_detail"),
    path("rules/<int:pk>/edit/", views.RuleEditView.as_view(), name="rule_edit"),
    path("rules/<int:pk>/switch/", views.RuleSwitchView.as_view(), name="rule_switch"),
    path("rules/<int:pk>/test/", views.RuleTestView.as_view(), name="rule_test"),
    path("rules/<int:pk>/delete/", views.RuleDeleteView.as_view(), name="rule_delete"),
    path("webhooks/", views.WebhookListPage.as_view(), name="webhook_list"),
    path("webhooks/new/", views.WebhookCreateView.as_view(), name="webhook_create"),
    path("webhooks/deliveries/", views.DeliveryListPage.as_view(), name="delivery_list"),
    path(
        "webhooks/deliveries/<uuid:pk>/",
        views.DeliveryDetailView.as_view(),
        name="delivery_detail",
    ),
    path(
        "webhooks/deliveries/<uuid:pk>/retry/",
        views.DeliveryRetryView.as_view(),
        name="delivery_retry",
    ),
    path("webhooks/<int:pk>/", views.WebhookDetailView.as_view(), name="webhook_detail"),
    path("webhooks/<int:pk>/edit/", views.WebhookEditView.as_view(), name="webhook_edit"),
    path("webhooks/<int:pk>/secret/", views.WebhookRotateView.as_view(), name="webhook_rotate"),
    path("webhooks/<int:pk>/delete/", views.WebhookDeleteView.as_view(), name="webhook_delete"),
    path("inbound/", views.InboundListPage.as_view(), name="inbound_list"),
    path("inbound/<int:pk>/", views.InboundDetailView.as_view(), name="inbound_detail"),
]
