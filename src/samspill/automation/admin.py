"""Read-only admin pages: automation is changed through its own pages and API, whose
services validate and audit every change."""

from django.contrib import admin

from samspill.automation.models import InboundMessage, Rule, RuleRun, Webhook, WebhookDelivery


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdmin):
    list_display = ("name", "event_type", "is_active", "updated_at")
    list_filter = ("is_active",)
    search_fields = ("name",)


@admin.register(RuleRun)
class RuleRunAdmin(ReadOnlyAdmin):
    list_display = ("started_at", "rule", "event_type", "outcome", "duration_ms")
    list_filter = ("outcome",)
    list_select_related = ("rule",)


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ("name", "url", "all_events", "is_active")
    exclude = ("secret",)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "webhook", "event_type", "status", "attempts")
    list_filter = ("status",)
    list_select_related = ("webhook",)


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdmin):
    list_display = ("received_at", "source", "message_type", "idempotency_key")
    list_filter = ("source",)
