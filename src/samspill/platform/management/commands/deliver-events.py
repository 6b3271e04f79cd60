"""`samspill deliver-events`: deliver every pending or failed event that is due, once."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samspill.platform import delivery


class Command(BaseCommand):
    help = "Deliver every pending or failed event that is due (one sweep), then exit."

    def handle(self, *args, verbosity=1, **options):
        total = 0
        while True:
            batch = delivery.sweep()
            total += batch
            if batch < delivery.SWEEP_BATCH:
                break
        if verbosity:
            self.stdout.write(_("Attempted delivery of %(count)d event(s).") % {"count": total})
