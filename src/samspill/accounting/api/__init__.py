"""/api/v1/accounting: the ledger (`ledger`), the reports (`reports`), customer invoices
and payments (`invoices`), bank statements (`bank`), dunning (`dunning`), credit-note offsets
(`offsets`) and supplier bills (`bills`)."""

from samspill.accounting.api import bank, bills, dunning, invoices, ledger, offsets, reports

router = ledger.router
router.add_router("", reports.router)
router.add_router("", invoices.router)
router.add_router("", bank.router)
router.add_router("", dunning.router)
router.add_router("", offsets.router)
router.add_router("", bills.router)

__all__ = ["router"]
