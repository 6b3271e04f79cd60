"""/api/v1/accounting: the ledger (`ledger`) and the reports (`reports`)."""

from samspill.accounting.api import ledger, reports

router = ledger.router
router.add_router("", reports.router)

__all__ = ["router"]
