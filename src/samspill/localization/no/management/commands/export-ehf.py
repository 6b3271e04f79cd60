"""samspill export-ehf NUMBER... --output-dir DIR   |   samspill export-ehf --all --output-dir DIR

Writes the EHF (PEPPOL BIS Billing 3.0) XML of posted customer invoices and credit notes,
one file each (`invoice-NUMBER.xml`, `creditnote-NUMBER.xml`). Documents that cannot be
EHF (a customer without an organisation number) are reported and skipped; the exit status
is non-zero when a number does not exist or nothing could be written."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from samspill.localization.no.ehf.export import export_files
from samspill.platform.errors import NotFound


class Command(BaseCommand):
    help = "Export posted customer invoices and credit notes as EHF (PEPPOL BIS 3.0) XML."

    def add_arguments(self, parser):
        parser.add_argument("numbers", nargs="*", help="Invoice or credit note numbers")
        parser.add_argument("--all", action="store_true", help="Every posted document")
        parser.add_argument("--output-dir", required=True, help="Directory to write into")

    def handle(self, *args, numbers, output_dir, **options):
        if bool(numbers) == bool(options["all"]):
            raise CommandError("Give invoice numbers or --all (not both).")
        try:
            result = export_files(numbers or None, Path(output_dir))
        except NotFound as exc:
            raise CommandError(str(exc.message)) from exc
        for number, why in result.skipped:
            self.stderr.write(f"{number}: {why}")
        self.stdout.write(f"{len(result.written)} EHF document(s) written to {output_dir}")
        if not result.written:
            raise CommandError("Nothing was written.")
