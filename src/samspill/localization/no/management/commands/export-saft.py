"""samspill export-saft --from 2026-01-01 --to 2026-12-31 --output FILE [--user NAME]

Writes the SAF-T Financial 1.30 file of a range inside one fiscal year, with a progress
bar. The export is audited and published like a download from the UI or the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from samspill.localization.no.saft import services
from samspill.platform.context import channel
from samspill.platform.errors import DomainError


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from exc


class Command(BaseCommand):
    help = "Export the SAF-T Financial 1.30 file of a date range inside one fiscal year."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="YYYY-MM-DD")
        parser.add_argument(
            "--output",
            required=True,
            help="File to write (a directory: "
            "the file gets Skatteetaten's recommended name inside it)",
        )
        parser.add_argument("--user", help="Username recorded as exporter and contact person")

    def handle(self, *args, date_from, date_to, output, user=None, **options):
        start, end = _date(date_from), _date(date_to)
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {user!r}.")
        try:
            _selection, totals = services.preview(actor=actor, date_from=start, date_to=end)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc
        target = Path(output)
        temporary = target.with_name(target.name + ".part") if not target.is_dir() else None
        columns = (
            TextColumn("[bold]SAF-T[/bold] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, disable=options.get("verbosity", 1) == 0) as progress:
            task = progress.add_task(f"{start}–{end}", total=totals.lines or 1)
            path = temporary or target / "saft.xml.part"
            try:
                with channel("system"), path.open("wb") as handle:
                    result = services.export(
                        actor=actor,
                        date_from=start,
                        date_to=end,
                        out=handle,
                        progress=lambda n: progress.advance(task, n),
                    )
            except DomainError as exc:
                path.unlink(missing_ok=True)
                raise CommandError(str(exc.message)) from exc
            except BaseException:
                path.unlink(missing_ok=True)
                raise
        final = target if temporary else target / result.file_name
        path.replace(final)
        self.stdout.write(
            f"{final}: {result.totals.entries} vouchers, {result.totals.lines} lines, "
            f"debit {result.totals.debit}, credit {result.totals.credit}"
        )
