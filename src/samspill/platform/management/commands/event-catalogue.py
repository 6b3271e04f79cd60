"""`samspill event-catalogue [--write]`: the catalogue of every registered event type."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from samspill.platform import catalogue


class Command(BaseCommand):
    help = "Print the event catalogue (Markdown), or write it to docs/events.md with --write."

    def add_arguments(self, parser):
        parser.add_argument("--write", action="store_true", help="Write docs/events.md.")

    def handle(self, *args, write=False, verbosity=1, **options):
        text = catalogue.render()
        if not write:
            self.stdout.write(text, ending="")
            return
        path = catalogue.doc_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if verbosity:
            self.stdout.write(f"Wrote {path} ({len(catalogue.documented_types())} event types).")
