from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who may do what (README.md): operations buys and receives, management may do all of it;
# finance and sales see purchase orders.
VIEW_ROLES = ["finance", "sales", "operations", "management"]
BUYER_ROLES = ["operations", "management"]


class PurchasingConfig(AppConfig):
    name = "samspill.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self):
        from samspill.parties.services import register_merge_handler
        from samspill.platform import housekeeping, permissions, registry
        from samspill.purchasing import models, search
        from samspill.purchasing.services import merge_parties, nightly

        register_merge_handler(merge_parties, app_label=self.label)
        # Supplier bills (accounting) read ordered, received and billed quantities for the
        # three-way match and prefill a bill from an order.
        from samspill.accounting.services.bills import register_purchasing
        from samspill.purchasing.queries import lines_for_billing, order_for_billing

        register_purchasing(lines_for_billing, order_for_billing)
        permissions.register_model(models.PurchaseOrder, "send", "confirm", "cancel")
        for model in (
            models.PurchaseOrderLine,
            models.SupplierInfo,
            models.ReorderRule,
            models.ReplenishmentRun,
        ):
            permissions.register_model(model)
        permissions.grant(
            VIEW_ROLES,
            "purchasing.view_purchaseorder",
            "purchasing.view_purchaseorderline",
            "purchasing.view_supplierinfo",
            "purchasing.view_reorderrule",
        )
        permissions.grant(
            BUYER_ROLES,
            "purchasing.add_purchaseorder",
            "purchasing.change_purchaseorder",
            "purchasing.send_purchaseorder",
            "purchasing.confirm_purchaseorder",
            "purchasing.cancel_purchaseorder",
        )
        for label, url_name, icon, order in (
            (_("Purchase orders"), "purchasing:order_list", "bag-check", 35),
            (_("Purchase history"), "purchasing:line_list", "clock-history", 36),
            (_("Replenishment"), "purchasing:replenishment", "arrow-repeat", 37),
        ):
            registry.register_nav(
                registry.NavItem(
                    group="back",
                    label=label,
                    url_name=url_name,
                    permission="purchasing.view_purchaseorder",
                    icon=icon,
                    order=order,
                )
            )
        housekeeping.register_job(
            "purchasing.replenish", _("purchase orders drafted by replenishment"), nightly
        )
        registry.register_search(
            registry.SearchProvider(
                key="purchasing",
                label=_("Purchase orders"),
                permission="purchasing.view_purchaseorder",
                search=search.search_hits,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="purchasing",
                permission="purchasing.view_purchaseorder",
                figures=search.key_figures,
                order=45,
            )
        )
        registry.register_party_panel(
            registry.PartyPanel(
                key="purchase-orders",
                permission="purchasing.view_purchaseorder",
                title=_("Purchase orders"),
                render=search.order_history,
                order=45,
            )
        )
