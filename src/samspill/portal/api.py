"""/api/v1/portal: staff manage who may sign in to the customer portal (the customers use the
portal's pages, not this API). Thin adapters over `services` and `queries`."""

from datetime import datetime

from ninja import Field, Router, Schema

from samspill.platform.errors import NotFound
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require
from samspill.portal import queries, services

router = Router(tags=["portal"])


class PortalAccessOut(Schema):
    id: int
    person_id: int
    person_name: str = Field(alias="person.display_name")
    customer_id: int
    customer_name: str = Field(alias="customer.display_name")
    email: str
    language: str
    is_active: bool
    invited_at: datetime
    revoked_at: datetime | None
    last_login_at: datetime | None


class PortalInviteIn(Schema):
    person_id: int
    customer_id: int | None = Field(
        None, description="An organisation of the person, or the person; default: their primary"
    )
    email: str = Field("", description="Default: the person's primary email")


@router.get("/access", response=list[PortalAccessOut], summary="Who may sign in to the portal")
@paginate
def list_access(request, customer_id: int | None = None, active: bool | None = None):
    require(request.user, "portal.view_portalaccess")
    rows = queries.accesses(request.user).order_by("email")
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


@router.post(
    "/access",
    response={200: PortalAccessOut},
    summary="Invite a contact person to the portal (or invite again)",
)
def invite(request, payload: PortalInviteIn):
    access = services.invite(
        actor=request.user,
        person=payload.person_id,
        customer=payload.customer_id,
        email=payload.email,
        request=request,
    )
    return queries.accesses(request.user).get(pk=access.pk)


@router.post(
    "/access/{int:access_id}/revoke", response=PortalAccessOut, summary="Revoke portal access"
)
def revoke(request, access_id: int):
    require(request.user, "portal.change_portalaccess")
    access = queries.accesses(request.user).filter(pk=access_id).first()
    if access is None:
        raise NotFound(code="portal_access_not_found")
    services.revoke(access, actor=request.user)
    return queries.accesses(request.user).get(pk=access.pk)
