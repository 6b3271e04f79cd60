from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SALES_ROLES = ["sales", "management"]
VIEW_ROLES = ["sales", "service", "finance", "operations", "management"]


class SalesConfig(AppConfig):
    name = "samspill.sales"
    label = "sales"
    verbose_name = _("Sales")

    def ready(self):
        from samspill.parties import services as parties
        from samspill.platform import housekeeping, permissions, registry
        from samspill.sales import models, search
        from samspill.sales.services import expire_quotes
        from samspill.sales.services import parties as party_hooks

        permissions.register_model(models.Quote, "send", "price")
        permissions.register_model(models.Order, "confirm", "cancel")
        for model in (models.QuoteLine, models.OrderLine):
            permissions.register_model(model)

        permissions.grant(VIEW_ROLES, "sales.view_quote", "sales.view_order")
        permissions.grant(
            SALES_ROLES,
            "sales.add_quote",
            "sales.change_quote",
            "sales.send_quote",
            "sales.price_quote",
            "sales.add_order",
            "sales.change_order",
            "sales.confirm_order",
            "sales.cancel_order",
        )

        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Sales dashboard"),
                url_name="sales:dashboard",
                permission="sales.view_order",
                icon="speedometer2",
                order=29,
            )
        )
        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Quotes"),
                url_name="sales:quote_list",
                permission="sales.view_quote",
                icon="file-earmark-text",
                order=30,
            )
        )
        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Sales orders"),
                url_name="sales:order_list",
                permission="sales.view_order",
                icon="cart-check",
                order=31,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="sales",
                label=_("Quotes and orders"),
                permission="sales.view_quote",
                search=search.search_hits,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="sales",
                permission="sales.view_order",
                figures=search.key_figures,
                order=30,
            )
        )
        registry.register_party_panel(
            registry.PartyPanel(
                key="sales-orders",
                permission="sales.view_order",
                title=_("Sales orders"),
                render=search.order_history,
                order=30,
            )
        )
        parties.register_merge_handler(party_hooks.move_to_survivor, app_label="sales")
        parties.register_erasure_handler(party_hooks.erase_person, app_label="sales")
        parties.register_personal_data_provider("sales", party_hooks.personal_data)
        housekeeping.register_job("sales.expire_quotes", _("quotes expired"), expire_quotes)
