from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who may give and revoke customers' portal access (from the party's page).
STAFF_ROLES = ["service", "sales", "management"]


class PortalConfig(AppConfig):
    name = "samspill.portal"
    label = "portal"
    verbose_name = _("Customer portal")

    def ready(self):
        from samspill.parties import services as parties
        from samspill.platform import permissions, registry
        from samspill.portal import models, panels, services

        permissions.register_model(models.PortalAccess)
        permissions.register_model(models.LoginToken)
        permissions.register_model(models.PortalSession)
        permissions.grant(
            STAFF_ROLES,
            "portal.view_portalaccess",
            "portal.add_portalaccess",
            "portal.change_portalaccess",
        )
        registry.register_party_panel(
            registry.PartyPanel(
                key="portal-access",
                permission="portal.view_portalaccess",
                title=_("Customer portal"),
                render=panels.portal_access,
                order=90,
            )
        )
        parties.register_merge_handler(services.move_to_survivor, app_label="portal")
        parties.register_erasure_handler(services.erase_person, app_label="portal")
        parties.register_personal_data_provider("portal", services.personal_data)
