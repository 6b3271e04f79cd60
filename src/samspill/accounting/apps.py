from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountingConfig(AppConfig):
    name = "samspill.accounting"
    label = "accounting"
    verbose_name = _("Accounting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from samspill.accounting import events, queries  # noqa: F401  (registers events)
        from samspill.accounting.models import (
            Account,
            BankStatement,
            BankStatementLine,
            FiscalYear,
            Invoice,
            InvoiceLine,
            Journal,
            JournalEntry,
            JournalLine,
            Payment,
            PaymentAllocation,
            Period,
            Project,
            Reminder,
            VoucherCounter,
        )
        from samspill.accounting.queries import invoices as invoice_queries
        from samspill.accounting.services import parties as party_hooks
        from samspill.parties import services as parties
        from samspill.platform import registry
        from samspill.platform.permissions import grant, register_model

        register_model(Account)
        register_model(Journal)
        register_model(FiscalYear, "close")
        register_model(Period, "close")
        register_model(Project)
        register_model(JournalEntry, "post")
        register_model(JournalLine)
        register_model(VoucherCounter)
        register_model(Invoice, "post")
        register_model(InvoiceLine)
        register_model(Payment)
        register_model(PaymentAllocation)
        register_model(BankStatement)
        register_model(BankStatementLine)
        register_model(Reminder)
        from samspill.accounting import bills_app

        bills_app.ready()
        parties.register_merge_handler(party_hooks.move_party_lines)
        # Vouchers carry their documentation as chatter attachments; a posted one keeps it.
        from samspill.accounting.services import documentation
        from samspill.platform import records

        records.register_record(
            JournalEntry, kind="journal_entry", attachments_locked=documentation.locked
        )
        records.register_record(
            Invoice,
            kind="invoice",
            created_event="accounting.invoice.posted",
            created_field="invoice_id",
            subjects_for=lambda invoice: {
                "invoice": [str(invoice.pk)],
                "party": [str(invoice.party_id)],
            },
        )

        models = (
            "account",
            "journal",
            "fiscalyear",
            "period",
            "project",
            "journalentry",
            "journalline",
            "invoice",
            "payment",
            "bankstatement",
            "reminder",
        )
        view = [f"accounting.view_{m}" for m in models]
        grant(["management"], *view)
        grant(
            ["finance"],
            *view,
            *(f"accounting.{a}_{m}" for m in models for a in ("add", "change", "delete")),
            "accounting.post_journalentry",
            "accounting.post_invoice",
            "accounting.close_period",
            "accounting.close_fiscalyear",
        )

        nav = [
            (_("Invoices"), "accounting:invoice_list", "accounting.view_invoice", "receipt", 8),
            (_("Payments"), "accounting:payment_list", "accounting.view_payment", "cash-coin", 9),
            (
                _("Dunning"),
                "accounting:dunning",
                "accounting.view_reminder",
                "envelope-exclamation",
                9,
            ),
            (
                _("Bank statements"),
                "accounting:bank_statement_list",
                "accounting.view_bankstatement",
                "bank",
                9,
            ),
            (
                _("Journal entries"),
                "accounting:entry_list",
                "accounting.view_journalentry",
                "journal-text",
                10,
            ),
            (
                _("Trial balance"),
                "accounting:trial_balance",
                "accounting.view_journalline",
                "table",
                11,
            ),
            (
                _("Chart of accounts"),
                "accounting:account_list",
                "accounting.view_account",
                "list-ol",
                12,
            ),
            (_("Periods"), "accounting:period_list", "accounting.view_period", "calendar3", 13),
            (_("Projects"), "accounting:project_list", "accounting.view_project", "kanban", 14),
            (_("Reports"), "accounting:reports", "accounting.view_journalline", "bar-chart", 15),
        ]
        for label, url_name, permission, icon, order in nav:
            registry.register_nav(
                registry.NavItem(
                    group="back",
                    label=label,
                    url_name=url_name,
                    permission=permission,
                    icon=icon,
                    order=order,
                )
            )
        registry.register_search(
            registry.SearchProvider(
                key="accounting",
                label=_("Accounting"),
                permission="accounting.view_account",
                search=queries.search,
            )
        )
        from samspill.accounting.views.reports import party_open_items_panel

        registry.register_party_panel(
            registry.PartyPanel(
                key="accounting-open-items",
                permission="accounting.view_journalline",
                title=_("Open items"),
                render=party_open_items_panel,
                order=50,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="invoices",
                label=_("Invoices"),
                permission="accounting.view_invoice",
                search=invoice_queries.search,
            )
        )
        from samspill.accounting.queries import bank as bank_queries

        registry.register_search(
            registry.SearchProvider(
                key="bank-statements",
                label=_("Bank statements"),
                permission="accounting.view_bankstatement",
                search=bank_queries.search,
            )
        )
        from samspill.accounting.views.invoices import party_invoices

        registry.register_party_panel(
            registry.PartyPanel(
                key="invoices",
                permission="accounting.view_invoice",
                title=_("Invoices"),
                render=party_invoices,
                order=40,
            )
        )
        from samspill.accounting.views.dunning import party_dunning_panel

        registry.register_party_panel(
            registry.PartyPanel(
                key="dunning",
                permission="accounting.view_reminder",
                title=_("Dunning"),
                render=party_dunning_panel,
                order=41,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="invoices",
                permission="accounting.view_invoice",
                figures=invoice_queries.party_key_figures,
                order=51,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="accounting",
                permission="accounting.view_journalline",
                figures=queries.party_key_figures,
                order=50,
            )
        )
