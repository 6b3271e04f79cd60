"""`samspill rebuild-stock-value`: recompute the monthly stock value summary from the moves."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samspill.inventory.services import value_months


class Command(BaseCommand):
    help = (
        "Recompute the monthly stock value summary (quantity and value per product and "
        "month) from the stock moves, e.g. after a bulk import of moves."
    )

    def handle(self, *args, verbosity=1, **options):
        written = value_months.rebuild()
        if verbosity:
            self.stdout.write(f"Rebuilt the stock value summary: {written} product-months.")
