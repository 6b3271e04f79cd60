from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

MODELS = ("lead", "webform", "scorerule", "stage", "opportunity", "activity", "calendarfeed")


def _perms(models, actions=("view", "add", "change", "delete")):
    return [f"crm.{action}_{model}" for model in models for action in actions]


class CrmConfig(AppConfig):
    name = "samspill.crm"
    label = "crm"
    verbose_name = _("CRM")

    def ready(self):
        from django.db.models.signals import post_migrate

        from samspill.crm import actions, events, models, queries, services  # noqa: F401

        # The default pipeline exists after migrate and after flush (which empties the tables
        # the seeding migration filled): framework plumbing, like the catalog's units.
        post_migrate.connect(_seed_stages, sender=self, dispatch_uid="crm.stages")
        from samspill.platform import housekeeping, registry
        from samspill.platform.permissions import grant, register_model

        register_model(models.Lead, "convert", "import")
        for model in (
            models.WebForm,
            models.ScoreRule,
            models.Stage,
            models.Opportunity,
            models.Activity,
            models.CalendarFeed,
        ):
            register_model(model)

        # Sales: everything in the CRM. Marketing: leads, their web forms and scoring.
        # Management: sees everything. Customer service: logs activities.
        grant(["sales"], *_perms(MODELS), "crm.convert_lead", "crm.import_lead")
        grant(
            ["marketing"],
            *_perms(("lead", "webform", "scorerule")),
            "crm.import_lead",
            "crm.view_stage",
        )
        grant(["management"], *_perms(MODELS, ("view",)))
        grant(
            ["service"],
            *_perms(("activity",), ("view", "add", "change")),
            "crm.view_opportunity",
            "crm.view_stage",
        )
        # Everyone who plans activities has a calendar feed of their own.
        grant(["marketing", "management", "service"], "crm.view_calendarfeed")

        nav = [
            (_("Leads"), "crm:lead_list", "crm.view_lead", "funnel", 10),
            (_("Pipeline"), "crm:board", "crm.view_opportunity", "kanban", 20),
            (_("Opportunities"), "crm:opportunity_list", "crm.view_opportunity", "briefcase", 25),
            (_("Forecast"), "crm:forecast", "crm.view_opportunity", "graph-up-arrow", 30),
            (_("My activities"), "crm:my_activities", "crm.view_activity", "check2-square", 35),
            (_("Calendar"), "crm:calendar", "crm.view_activity", "calendar3", 40),
        ]
        for label, url_name, permission, icon, order in nav:
            registry.register_nav(
                registry.NavItem(
                    group="front",
                    label=label,
                    url_name=url_name,
                    permission=permission,
                    icon=icon,
                    order=order,
                )
            )
        registry.register_nav(
            registry.NavItem(
                group="admin",
                label=_("CRM settings"),
                url_name="crm:settings",
                permission="crm.view_webform",
                icon="sliders",
                order=60,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="crm",
                label=_("CRM"),
                permission="crm.view_lead",
                search=queries.search,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="crm_opportunities",
                label=_("Opportunities"),
                permission="crm.view_opportunity",
                search=_opportunity_search,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="crm",
                permission="crm.view_opportunity",
                figures=queries.key_figures,
                order=30,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="crm_activities",
                permission="crm.view_activity",
                figures=_activity_figures,
                order=31,
            )
        )
        housekeeping.register_job(
            "crm.reminders", _("activity reminders sent"), services.send_due_reminders
        )
        actions.register()

        from samspill.crm.services import parties_hooks
        from samspill.parties import services as party_services

        party_services.register_merge_handler(parties_hooks.merge)
        party_services.register_erasure_handler(parties_hooks.erase)
        party_services.register_personal_data_provider("crm", parties_hooks.personal_data)


def _opportunity_search(user, query, limit):
    """Opportunities for users who may not see leads (the lead provider covers both)."""
    from samspill.crm import queries
    from samspill.platform.permissions import allowed

    if allowed(user, "crm.view_lead"):
        return []
    return queries.search(user, query, limit)


def _activity_figures(user, party):
    """Open activities for users who may not see opportunities (service)."""
    from samspill.crm import queries
    from samspill.platform.permissions import allowed

    if allowed(user, "crm.view_opportunity"):
        return []
    return queries.key_figures(user, party)


def _seed_stages(sender, using="default", **kwargs) -> None:
    from django.db import connections

    if "crm_stage" in connections[using].introspection.table_names():
        from samspill.crm.services.pipeline import ensure_default_stages

        ensure_default_stages()
