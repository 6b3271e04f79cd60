from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who may do what (README.md, "Who may do what"): everyone who sells, serves, buys, ships
# or keeps the books sees the catalog; sales and operations keep the product master data;
# finance owns prices, cost and price lists; management may do all of it.
VIEW_ROLES = ["sales", "service", "marketing", "finance", "operations", "management"]
PRODUCT_ROLES = ["sales", "operations", "management"]
PRICE_ROLES = ["finance", "management"]


class CatalogConfig(AppConfig):
    name = "samspill.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self):
        from django.db.models.signals import post_migrate

        from samspill.catalog import events, models, search  # noqa: F401
        from samspill.catalog.units import seed_after_migrate
        from samspill.platform import permissions, registry

        post_migrate.connect(seed_after_migrate, sender=self, dispatch_uid="catalog.units")

        permissions.register_model(models.Product, "price")
        for model in (models.Unit, models.Category, models.PriceList, models.PriceListItem):
            permissions.register_model(model)

        permissions.grant(
            VIEW_ROLES,
            *(
                f"catalog.view_{m}"
                for m in ("product", "unit", "category", "pricelist", "pricelistitem")
            ),
        )
        permissions.grant(
            PRODUCT_ROLES,
            "catalog.add_product",
            "catalog.change_product",
            "catalog.add_category",
            "catalog.change_category",
        )
        permissions.grant(["management"], "catalog.delete_product")
        permissions.grant(
            PRICE_ROLES,
            "catalog.price_product",
            "catalog.add_pricelist",
            "catalog.change_pricelist",
            "catalog.add_pricelistitem",
            "catalog.change_pricelistitem",
            "catalog.delete_pricelistitem",
        )

        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Products"),
                url_name="catalog:product_list",
                permission="catalog.view_product",
                icon="box-seam",
                order=30,
            )
        )
        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Price lists"),
                url_name="catalog:pricelist_list",
                permission="catalog.view_pricelist",
                icon="tags",
                order=31,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="catalog",
                label=_("Products"),
                permission="catalog.view_product",
                search=search.search_hits,
            )
        )
