from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "samspill.platform"
    label = "platform"
    verbose_name = _("Platform")

    def ready(self):
        from samspill.platform import models, permissions

        permissions.register_model(models.OutboxEvent, "replay")
        permissions.register_model(models.AuditEntry)
        permissions.grant(["management"], "platform.view_auditentry")
