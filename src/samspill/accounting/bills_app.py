"""Wiring of supplier bills and supplier payments (called from AccountingConfig.ready):
permissions, the record type for chatter and attachments, menu, search, the party page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from samspill.accounting import bill_handlers  # noqa: F401  (subscribes)
    from samspill.accounting.models import (
        SupplierBill,
        SupplierBillLine,
        SupplierPayment,
        SupplierPaymentAllocation,
    )
    from samspill.accounting.queries import bills as queries
    from samspill.platform import records, registry
    from samspill.platform.permissions import grant, register_model

    register_model(SupplierBill, "approve")
    register_model(SupplierBillLine)
    register_model(SupplierPayment)
    register_model(SupplierPaymentAllocation)
    records.register_record(
        SupplierBill,
        kind="supplier_bill",
        created_event="accounting.bill.received",
        created_field="bill_id",
        subjects_for=lambda bill: {"supplier_bill": [str(bill.pk)], "party": [str(bill.party_id)]},
        attachments_locked=_locked,
    )
    view = ["accounting.view_supplierbill", "accounting.view_supplierpayment"]
    grant(["management"], *view, "accounting.approve_supplierbill")
    grant(
        ["finance"],
        *view,
        *(f"accounting.{a}_supplierbill" for a in ("add", "change", "delete")),
        "accounting.add_supplierpayment",
        "accounting.approve_supplierbill",
    )
    for label, url_name, permission, icon, order in (
        (_("Supplier bills"), "accounting:bill_list", "accounting.view_supplierbill", "inbox", 8),
        (
            _("Supplier payments"),
            "accounting:supplier_payment_list",
            "accounting.view_supplierpayment",
            "box-arrow-up-right",
            9,
        ),
    ):
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
            key="supplier-bills",
            label=_("Supplier bills"),
            permission="accounting.view_supplierbill",
            search=queries.search,
        )
    )
    from samspill.accounting.views.bills import party_bills

    registry.register_party_panel(
        registry.PartyPanel(
            key="supplier-bills",
            permission="accounting.view_supplierbill",
            title=_("Supplier bills"),
            render=party_bills,
            order=41,
        )
    )
    registry.register_key_figures(
        registry.KeyFigureProvider(
            key="supplier-bills",
            permission="accounting.view_supplierbill",
            figures=queries.party_key_figures,
            order=52,
        )
    )


def _locked(bill) -> str:
    """An approved bill is a posted voucher: its documentation (the PDF or EHF) is kept."""
    from django.utils.translation import gettext

    if bill.entry_id is not None:
        return gettext(
            "Bill %(number)s is approved and posted: its documentation must be kept and "
            "cannot be deleted."
        ) % {"number": bill.number}
    return ""
