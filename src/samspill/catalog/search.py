"""What the catalog plugs into the shell: global search by SKU, name and barcode."""

from __future__ import annotations

from django.utils.translation import gettext as _

from samspill.catalog import queries
from samspill.platform.registry import SearchHit


def search_hits(user, q: str, limit: int) -> list[SearchHit]:
    hits = []
    for product in queries.search(user, q, limit):
        details = [product.sku, product.get_product_type_display()]
        if product.barcode:
            details.append(product.barcode)
        if not product.is_active:
            details.append(_("archived"))
        hits.append(
            SearchHit(
                kind=_("Product"),
                title=product.name,
                url=product.get_absolute_url(),
                subtitle=" · ".join(str(d) for d in details),
            )
        )
    return hits
