"""`samspill demo`: load the demo company "Nordlys Handel AS" into the database.

Idempotent: each domain's demo loader creates only what is missing, so running the command
again adds nothing. `make run` runs it on every start.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from samspill.platform import dbstats

DEMO_ACTOR = "admin"


@dataclass(frozen=True)
class Step:
    label: str
    load: Callable[[], Any]


def samspill_row_count() -> int:
    """Rows in every table of Samspill's own apps (what the demo may add to)."""
    return sum(
        model._default_manager.count()
        for model in apps.get_models()
        if model.__module__.startswith("samspill.") and not model._meta.proxy
    )


def demo_logins() -> tuple[list[str], str]:
    from samspill.users import demo as users_demo

    return list(users_demo.DEMO_USERS), users_demo.DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo company (Nordlys Handel AS): organisation, one user per role, "
        "customers, suppliers, contacts and the product catalogue. Safe to run again: it adds "
        "only what is missing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load the demo even with DEBUG off. The demo users have a published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not (settings.DEBUG or settings.TESTING or options["allow_production"]):
            raise CommandError(
                "DEBUG is off, so this looks like a production database. The demo users share "
                "a published password; pass --allow-production if you really want them here."
            )
        # Steps that deliver events run tasks in-process; their per-task log lines would break
        # up the progress bar.
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        # The wrapped stream itself: OutputWrapper.write() would add a newline to every chunk.
        console = Console(file=cast(IO[str], self.stdout._out), highlight=False, soft_wrap=True)
        steps = self.steps()
        added: list[tuple[str, int, float]] = []
        columns = (
            SpinnerColumn(finished_text="[green]✓[/]"),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console) as progress:
            overall = progress.add_task("Demo company", total=len(steps))
            for step in steps:
                progress.update(overall, description=step.label)
                before = samspill_row_count()
                started = time.perf_counter()
                step.load()
                elapsed = time.perf_counter() - started
                added.append((step.label, samspill_row_count() - before, elapsed))
                progress.advance(overall)
            progress.update(overall, description="Demo company loaded")
        dbstats.refresh()  # the planner should know the new row counts at once

        table = Table(title="Demo company", title_justify="left")
        table.add_column("Step")
        table.add_column("Rows added", justify="right")
        table.add_column("Seconds", justify="right")
        for label, rows, elapsed in added:
            table.add_row(label, str(rows) if rows else "none (already there)", f"{elapsed:.1f}")
        console.print(table)

        usernames, password = demo_logins()
        console.print(f"Demo logins: {', '.join(usernames)}")
        console.print(f"Password for all of them: {password}")

    def steps(self) -> list[Step]:
        from samspill.accounting import demo as accounting_demo
        from samspill.accounting import demo_bank, demo_bills, demo_invoices
        from samspill.catalog import demo as catalog_demo
        from samspill.crm import demo as crm_demo
        from samspill.helpdesk import demo as helpdesk_demo
        from samspill.inventory import demo as inventory_demo
        from samspill.inventory import demo_production as production_demo
        from samspill.knowledge import demo as knowledge_demo
        from samspill.organization import demo as organization_demo
        from samspill.parties import demo as parties_demo
        from samspill.parties import queries as parties_queries
        from samspill.platform import demo as platform_demo
        from samspill.purchasing import demo as purchasing_demo
        from samspill.purchasing import queries as purchasing_queries
        from samspill.sales import demo as sales_demo
        from samspill.users import demo as users_demo

        # The users come first: the organisation's teams have demo users as members, and the
        # parties are created on behalf of the demo administrator.
        return [
            Step("Users, one per role", users_demo.load),
            Step("Company, departments and teams", organization_demo.load),
            Step(
                "Customers, suppliers and contacts", lambda: parties_demo.load(actor=self.actor())
            ),
            Step(
                "Product catalogue and price lists", lambda: catalog_demo.load(actor=self.actor())
            ),
            Step(
                "Comments and notifications",
                lambda: platform_demo.load(
                    parties_queries.visible_parties(None)
                    .filter(kind="organization")
                    .order_by("pk")[:3]
                ),
            ),
            Step("Leads, pipeline and activities", lambda: crm_demo.load(actor=self.actor())),
            Step(
                "Chart of accounts, VAT codes and a year of vouchers",
                lambda: accounting_demo.load(actor=self.actor()),
            ),
            Step("Warehouse and opening stock", lambda: inventory_demo.load(actor=self.actor())),
            Step(
                "A bill of materials and a production order",
                lambda: production_demo.load(actor=self.actor()),
            ),
            Step(
                "Suppliers' prices, reorder rules and purchase orders",
                lambda: purchasing_demo.load(actor=self.actor()),
            ),
            Step("Quotes and sales orders", lambda: sales_demo.load(actor=self.actor())),
            Step(
                "Customer invoices, a credit note and payments",
                lambda: demo_invoices.load(actor=self.actor()),
            ),
            Step(
                "A bank statement, matched by KID",
                lambda: demo_bank.load(actor=self.actor()),
            ),
            Step(
                "Supplier bills: from EHF, from a purchase order, awaiting approval, paid",
                lambda: demo_bills.load(
                    actor=self.actor(),
                    purchase_orders=purchasing_queries.order_list(None)
                    .filter(status="received")
                    .order_by("pk")
                    .values_list("pk", flat=True),
                ),
            ),
            Step(
                "Service queues, SLA policies and tickets",
                lambda: helpdesk_demo.load(actor=self.actor()),
            ),
            Step(
                "Knowledge base and help centre articles",
                lambda: knowledge_demo.load(actor=self.actor()),
            ),
        ]

    @staticmethod
    def actor():
        user = get_user_model()._default_manager.filter(username=DEMO_ACTOR).first()
        if user is None:
            raise CommandError(f"The demo user {DEMO_ACTOR!r} is missing after loading the users.")
        return user
