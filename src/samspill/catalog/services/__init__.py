"""Commands of the catalog: the only code that writes its tables.

Each command is one transaction, checks the actor's permission (when an actor is given),
validates before it writes (bad input raises ValidationFailed with field-keyed errors and
writes nothing), records the change in the audit trail and publishes its event.
"""

from samspill.catalog.services.imports import ImportResult, RowError, import_products
from samspill.catalog.services.pricelists import (
    create_price_list,
    delete_price_list,
    set_price_list_items,
    update_price_list,
)
from samspill.catalog.services.products import (
    archive_product,
    create_category,
    create_product,
    delete_category,
    delete_product,
    restore_product,
    update_category,
    update_product,
)

__all__ = [
    "ImportResult",
    "RowError",
    "archive_product",
    "create_category",
    "create_price_list",
    "create_product",
    "delete_category",
    "delete_price_list",
    "delete_product",
    "import_products",
    "restore_product",
    "set_price_list_items",
    "update_category",
    "update_price_list",
    "update_product",
]
