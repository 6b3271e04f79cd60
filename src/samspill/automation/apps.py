from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AutomationConfig(AppConfig):
    name = "samspill.automation"
    label = "automation"
    verbose_name = _("Automation")

    def ready(self):
        from django.db.models.signals import post_delete

        from samspill.automation import chain, events, handlers, interest  # noqa: F401  (registers)
        from samspill.automation.models import (
            EventCause,
            InboundMessage,
            Rule,
            RuleRun,
            Webhook,
            WebhookAttempt,
            WebhookDelivery,
        )
        from samspill.automation.webhooks import sweep_due
        from samspill.platform import housekeeping, records, registry
        from samspill.platform.models import OutboxEvent
        from samspill.platform.permissions import grant, register_model

        for model in (Rule, Webhook):  # keep the per-process interest cache honest
            post_save.connect(interest.forget, sender=model, dispatch_uid=f"interest-{model}")
            post_delete.connect(interest.forget, sender=model, dispatch_uid=f"interest-d-{model}")
        register_model(Rule)
        register_model(RuleRun)
        register_model(EventCause)
        register_model(Webhook)
        register_model(WebhookDelivery, "retry")
        register_model(WebhookAttempt)
        register_model(InboundMessage)
        # Rules have chatter (comments, attachments, followers); their creator follows them.
        records.register_record(
            Rule,
            kind="automation_rule",
            created_event="automation.rule.created",
            created_field="rule_id",
            deleted_event="automation.rule.deleted",
            deleted_field="rule_id",
        )
        # Management sees what automation does; administrators (all permissions) build it.
        grant(
            ["management"],
            "automation.view_rule",
            "automation.view_rulerun",
            "automation.view_webhook",
            "automation.view_webhookdelivery",
            "automation.view_webhookattempt",
            "automation.view_inboundmessage",
        )
        for label, url_name, permission, icon, order in (
            (
                _("Automation rules"),
                "automation:rule_list",
                "automation.view_rule",
                "lightning",
                60,
            ),
            (_("Webhooks"), "automation:webhook_list", "automation.view_webhook", "broadcast", 61),
            (
                _("Inbound messages"),
                "automation:inbound_list",
                "automation.view_inboundmessage",
                "box-arrow-in-down",
                62,
            ),
        ):
            registry.register_nav(
                registry.NavItem(
                    group="admin",
                    label=label,
                    url_name=url_name,
                    permission=permission,
                    icon=icon,
                    order=order,
                )
            )
        # The worker's housekeeping sends webhook deliveries whose task was lost or whose
        # retry is due (a backend that cannot defer tasks).
        housekeeping.register_job("automation.webhooks", _("Webhook deliveries sent"), sweep_due)
        # Framework plumbing for loop detection: remember which rules caused an event.
        post_save.connect(
            chain.record_cause, sender=OutboxEvent, dispatch_uid="samspill.automation.cause"
        )
