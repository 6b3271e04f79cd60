"""The API root: /api/v1/. Mounts every domain's router; auth, errors and pagination here.
Any other path under /api/v1/ answers a problem+json 404."""

from django.urls import re_path
from ninja import NinjaAPI

from samspill.accounting.api import router as accounting_router
from samspill.api import problems
from samspill.api.security import SessionAuth
from samspill.automation.api import router as automation_router
from samspill.catalog.api import router as catalog_router
from samspill.crm.api import router as crm_router
from samspill.helpdesk.api import router as helpdesk_router
from samspill.inventory.api import router as inventory_router
from samspill.knowledge.api import router as knowledge_router
from samspill.localization.no.api import router as localization_no_router
from samspill.localization.no.saft.api import router as saft_router
from samspill.organization.api import router as organization_router
from samspill.parties.api import router as parties_router
from samspill.platform.api import router as platform_router
from samspill.portal.api import router as portal_router
from samspill.purchasing.api import router as purchasing_router
from samspill.sales.api import router as sales_router
from samspill.users.api import router as users_router
from samspill.users.auth import TokenAuth


class SamspillAPI(NinjaAPI):
    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        catch_all = re_path(r"^(?P<rest>.*)$", problems.catch_all, name="not-found")
        return [*patterns, catch_all], app_name, namespace


api = SamspillAPI(
    title="Samspill API",
    version="1",
    # Developer documentation (OpenAPI) is in English, like the code.
    description=(
        "One API for the front and the back office. Authenticate with the browser session "
        "or a personal access token: `Authorization: Bearer <token>`. Errors are RFC 9457 "
        "problem details (`application/problem+json`). Lists are paginated with `page` and "
        "`page_size`. A POST may carry an `Idempotency-Key` header: a retry with the same "
        "key and body returns the first response (`Idempotent-Replayed: true`); keys "
        "expire after 24 hours."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)

api.add_router("/parties", parties_router)
api.add_router("/catalog", catalog_router)
api.add_router("/inventory", inventory_router)
api.add_router("/purchasing", purchasing_router)
api.add_router("/organization", organization_router)
api.add_router("/users", users_router)
api.add_router("/platform", platform_router)
api.add_router("/automation", automation_router)
api.add_router("/crm", crm_router)
api.add_router("/localization/no", localization_no_router)
api.add_router("/accounting", accounting_router)
api.add_router("/accounting/saft", saft_router)
api.add_router("/sales", sales_router)
api.add_router("/helpdesk", helpdesk_router)
api.add_router("/portal", portal_router)
api.add_router("/knowledge", knowledge_router)
