"""/api/v1/accounting: the ledger (`ledger`), the reports (`reports`) and customer invoices
and payments (`invoices`)."""

from samspill.accounting.api import invoices, ledger, reports

router = ledger.router
router.add_router("", reports.router)
router.add_router("", invoices.router)

__all__ = ["router"]
