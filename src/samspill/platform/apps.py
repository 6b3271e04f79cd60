from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "samspill.platform"
    label = "platform"
    verbose_name = _("Platform")
    # The platform's own events are the chatter's: that is what a timeline filter calls them.
    timeline_label = _("Comments and files")

    def ready(self):
        from samspill.platform import chatter_events, events, models, permissions  # noqa: F401
        from samspill.platform.registry import NavItem, register_nav

        permissions.register_model(models.OutboxEvent, "replay")
        permissions.register_model(models.AuditEntry)
        permissions.register_model(models.NumberSeries)
        permissions.grant(["management"], "platform.view_auditentry")
        # Chatter: who may see a comment, attachment or follow is decided by the record's
        # own permission; these permissions are the moderators' (delete anyone's).
        for model in (models.Comment, models.Attachment):
            permissions.register_model(model)
        for model in (models.Follower, models.Notification, models.NotificationPreference):
            permissions.register_model(model)
        permissions.grant(["management"], "platform.delete_comment", "platform.delete_attachment")

        register_nav(
            NavItem(
                group="admin",
                label=_("Events"),
                url_name="platform:events",
                permission="platform.view_outboxevent",
                icon="broadcast",
                order=900,
            )
        )
        register_nav(
            NavItem(
                group="admin",
                label=_("Audit log"),
                url_name="platform:audit",
                permission="platform.view_auditentry",
                icon="journal-text",
                order=910,
            )
        )
        # Every app's events and handlers, so event types and subscribers are all known.
        events.autodiscover()
        # Planner statistics once migrate is through (framework plumbing, not business), and
        # from the worker's housekeeping every DB_STATISTICS_SECONDS.
        post_migrate.connect(_refresh_statistics, sender=self)
        from samspill.platform import dbstats, housekeeping

        housekeeping.register_job(
            "platform.statistics", _("planner statistics refreshed"), dbstats.refresh_if_due
        )


def _refresh_statistics(sender, using="default", **kwargs):
    from samspill.platform import dbstats

    dbstats.refresh(using=connections[using])
