"""/api/v1/accounting: the ledger (`ledger`), the reports (`reports`) and customer invoices
and payments (`invoices`), bank statements (`bank`) and dunning (`dunning`)."""

from samspill.accounting.api import bank, dunning, invoices, ledger, offsets, reports

router = ledger.router
router.add_router("", reports.router)
router.add_router("", invoices.router)
router.add_router("", bank.router)
router.add_router("", dunning.router)
router.add_router("", offsets.router)

__all__ = ["router"]
