from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NorwayConfig(AppConfig):
    name = "samspill.localization.no"
    label = "localization_no"
    verbose_name = _("Norway")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from samspill.localization.no import events  # noqa: F401  (registers event types)
        from samspill.localization.no.models import VatCategory, VatCode
        from samspill.platform import registry
        from samspill.platform.permissions import ROLES, grant, register_model

        register_model(VatCode)
        register_model(VatCategory)
        # Everyone may see the VAT codes (sales and purchasing pick them); finance keeps them.
        grant(list(ROLES), "localization_no.view_vatcode", "localization_no.view_vatcategory")
        grant(
            ["finance"],
            "localization_no.change_vatcode",
            "localization_no.change_vatcategory",
        )
        registry.register_nav(
            registry.NavItem(
                group="back",
                label=_("VAT codes"),
                url_name="localization_no:vat_code_list",
                permission="localization_no.change_vatcode",
                icon="percent",
                order=25,
            )
        )
        from samspill.localization.no.saft.setup import ready as saft_ready

        saft_ready()
