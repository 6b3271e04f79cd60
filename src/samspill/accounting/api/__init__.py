"""/api/v1/accounting: the ledger (`ledger`), the reports (`reports`) and customer invoices
and payments (`invoices`) and bank statements (`bank`)."""

from samspill.accounting.api import bank, bills, invoices, ledger, reports

router = ledger.router
router.add_router("", reports.router)
router.add_router("", invoices.router)
router.add_router("", bank.router)
router.add_router("", bills.router)

__all__ = ["router"]
