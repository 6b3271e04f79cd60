"""`samspill deliver-webhooks`: send every pending or failed webhook delivery that is due,
once (a lost task, a retry on a task backend that cannot defer)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from samspill.automation import webhooks


class Command(BaseCommand):
    help = "Send every pending or failed webhook delivery that is due (one sweep), then exit."

    def handle(self, *args, verbosity=1, **options):
        total = webhooks.sweep_due()
        if verbosity:
            text = ngettext(
                "Attempted %(count)d webhook delivery.",
                "Attempted %(count)d webhook deliveries.",
                total,
            )
            self.stdout.write(text % {"count": total})
