"""The API root: /api/v1/. Mounts every domain's router; auth, errors and pagination here."""

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.security import django_auth

from samspill.api import problems
from samspill.organization.api import router as organization_router
from samspill.parties.api import router as parties_router
from samspill.platform.api import router as platform_router
from samspill.users.api import router as users_router
from samspill.users.auth import TokenAuth

api = NinjaAPI(
    title="Samspill API",
    version="1",
    description=str(_("One API for the front and the back office. Authenticate with the browser "
                      "session or a personal access token: `Authorization: Bearer <token>`.")),
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)

api.add_router("/parties", parties_router)
api.add_router("/organization", organization_router)
api.add_router("/users", users_router)
api.add_router("/platform", platform_router)
