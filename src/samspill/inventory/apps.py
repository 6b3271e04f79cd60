from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who may do what (README.md): operations runs the warehouse, management may do all of it;
# sales, customer service and finance see stock and deliveries.
VIEW_ROLES = ["sales", "service", "finance", "operations", "management"]
WAREHOUSE_ROLES = ["operations", "management"]


def _seed(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (framework plumbing): the virtual locations and the default
    warehouse exist after every migrate and flush."""
    from django.db import connections

    if (
        "inventory_warehouse" in connections[using].introspection.table_names()
        and using == "default"
    ):
        from samspill.inventory.services.common import ensure_setup

        ensure_setup()


class InventoryConfig(AppConfig):
    name = "samspill.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self):
        from django.db.models.signals import post_migrate

        from samspill.inventory import events, models, search  # noqa: F401
        from samspill.inventory.services.deliveries import merge_parties
        from samspill.parties.services import register_merge_handler
        from samspill.platform import permissions, registry

        register_merge_handler(merge_parties, app_label=self.label)

        post_migrate.connect(_seed, sender=self, dispatch_uid="inventory.setup")

        permissions.register_model(models.StockCount, "post")
        names = []
        for model in (
            models.Location,
            models.Warehouse,
            models.ProductTracking,
            models.Lot,
            models.StockMove,
            models.StockLevel,
            models.LotLevel,
            models.Delivery,
            models.DeliveryLine,
            models.DeliveryPick,
            models.StockCount,
            models.StockCountLine,
            models.Receipt,
            models.ReceiptLine,
            models.ProductCost,
            models.BillOfMaterials,
            models.BomLine,
            models.ProductionOrder,
            models.ProductionLine,
            models.StockValueMonth,
            models.StockValueTotal,
        ):
            permissions.register_model(model)
            names.append(model._meta.model_name)
        permissions.grant(VIEW_ROLES, *(f"inventory.view_{name}" for name in names))
        permissions.grant(
            WAREHOUSE_ROLES,
            "inventory.add_location",
            "inventory.change_location",
            "inventory.change_producttracking",
            "inventory.add_stockmove",
            "inventory.add_delivery",
            "inventory.change_delivery",
            "inventory.add_stockcount",
            "inventory.change_stockcount",
            "inventory.post_stockcount",
            "inventory.change_receipt",
            "inventory.add_billofmaterials",
            "inventory.change_productionorder",
        )

        for label, url_name, perm, icon, order in (
            (_("Stock"), "inventory:stock_list", "inventory.view_stocklevel", "boxes", 40),
            (_("Deliveries"), "inventory:delivery_list", "inventory.view_delivery", "truck", 41),
            (
                _("Receipts"),
                "inventory:receipt_list",
                "inventory.view_receipt",
                "box-arrow-in-down",
                41,
            ),
            (
                _("Stock counts"),
                "inventory:count_list",
                "inventory.view_stockcount",
                "clipboard-check",
                42,
            ),
            (
                _("Production orders"),
                "inventory:production_list",
                "inventory.view_productionorder",
                "gear",
                42,
            ),
            (
                _("Bills of materials"),
                "inventory:bom_list",
                "inventory.view_billofmaterials",
                "list-nested",
                42,
            ),
            (_("Locations"), "inventory:location_list", "inventory.view_location", "diagram-3", 43),
            (
                _("Stock value"),
                "inventory:stock_value",
                "inventory.view_stockmove",
                "currency-exchange",
                44,
            ),
        ):
            registry.register_nav(
                registry.NavItem(
                    group="back",
                    label=label,
                    url_name=url_name,
                    permission=perm,
                    icon=icon,
                    order=order,
                )
            )
        registry.register_search(
            registry.SearchProvider(
                key="inventory",
                label=_("Deliveries and lots"),
                permission="inventory.view_delivery",
                search=search.search_hits,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="inventory",
                permission="inventory.view_delivery",
                figures=search.key_figures,
                order=40,
            )
        )
