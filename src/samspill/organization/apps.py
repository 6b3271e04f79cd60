from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _teams_panel(viewer, user):
    """The "Teams" panel on a profile or user page: the teams the user is in."""
    from samspill.organization import queries
    from samspill.platform.permissions import allowed

    if viewer.pk != user.pk and not allowed(viewer, "organization.view_membership"):
        return None
    return {"memberships": queries.teams_of_user(user)}


class OrganizationConfig(AppConfig):
    name = "samspill.organization"
    label = "organization"
    verbose_name = _("Organization")

    def ready(self):
        from samspill.organization import (
            events,  # noqa: F401  (registers the event types)
            queries,
        )
        from samspill.organization.models import Company, Department, Membership, Team
        from samspill.platform import registry
        from samspill.platform.permissions import ROLES, grant, register_model
        from samspill.users.registry import ProfilePanel, register_profile_panel

        for model in (Company, Department, Team, Membership):
            register_model(model)

        # Everyone signed in (every role) sees the organisation; management changes it.
        grant(
            list(ROLES),
            "organization.view_company",
            "organization.view_department",
            "organization.view_team",
            "organization.view_membership",
        )
        grant(
            ["management"],
            "organization.change_company",
            *(
                f"organization.{action}_{model}"
                for model in ("department", "team", "membership")
                for action in ("add", "change", "delete")
            ),
        )

        nav = [
            (
                "main",
                _("Organisation"),
                "organization:overview",
                "organization.view_department",
                "building",
                80,
            ),
            (
                "admin",
                _("Company settings"),
                "organization:company_edit",
                "organization.change_company",
                "gear",
                20,
            ),
            (
                "admin",
                _("Departments"),
                "organization:department_list",
                "organization.change_department",
                "diagram-3",
                30,
            ),
            (
                "admin",
                _("Teams"),
                "organization:team_list",
                "organization.change_team",
                "people-fill",
                40,
            ),
        ]
        for group, label, url_name, permission, icon, order in nav:
            registry.register_nav(
                registry.NavItem(
                    group=group,
                    label=label,
                    url_name=url_name,
                    permission=permission,
                    icon=icon,
                    order=order,
                )
            )
        registry.register_search(
            registry.SearchProvider(
                key="organization",
                label=_("Organisation"),
                permission="organization.view_department",
                search=queries.search,
            )
        )
        register_profile_panel(
            ProfilePanel(
                key="teams",
                title=_("Teams"),
                template_name="organization/_teams_panel.html",
                context=_teams_panel,
                order=10,
            )
        )
