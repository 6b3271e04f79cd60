"""/api/v1/users: the signed-in user's profile and tokens, and user administration.
Thin: every write goes through users.services, every read through users.queries."""

from datetime import datetime
from typing import Literal

from django.conf import settings
from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate

from samspill.platform.errors import PermissionDenied
from samspill.platform.permissions import allowed, require
from samspill.users import queries, services

router = Router(tags=["users"])


class Pagination(PageNumberPagination):
    """Page numbers with the page size and its cap taken from settings.SAMSPILL."""

    def _get_page_size(self, requested_page_size):
        size = requested_page_size or settings.SAMSPILL["PAGE_SIZE"]
        return min(size, settings.SAMSPILL["MAX_PAGE_SIZE"])


# --- Schemas ---------------------------------------------------------------------------------


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    language: str
    time_zone: str
    roles: list[str] = Field(..., alias="role_names")
    is_staff: bool


class ProfilePatch(Schema):
    first_name: str | None = Field(None, max_length=150)
    last_name: str | None = Field(None, max_length=150)
    email: str | None = Field(None, max_length=254)
    language: str | None = None
    time_zone: str | None = None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    status: Literal["active", "expired", "revoked"]


class TokenIn(Schema):
    name: str = Field(..., max_length=100)
    days: int | None = Field(None, description="Days until the token expires (default 90).")


class TokenCreatedOut(TokenOut):
    token: str = Field(..., description="The token itself. Shown once; store it safely.")


class UserOut(MeOut):
    is_active: bool
    last_login: datetime | None
    date_joined: datetime


class UserIn(Schema):
    username: str = Field(..., max_length=150)
    password: str | None = Field(
        None, description="Leave out to let the person set one via password reset."
    )
    email: str = ""
    first_name: str = ""
    last_name: str = ""
    language: str = "nb"
    time_zone: str = "Europe/Oslo"
    roles: list[str] = []


class RolesIn(Schema):
    roles: list[str]


class UserFilters(Schema):
    q: str | None = None
    role: str | None = None
    is_active: bool | None = None


# --- The signed-in user ----------------------------------------------------------------------


@router.get("/me", response=MeOut, summary="The signed-in user")
def get_me(request):
    return queries.me(request.user)


@router.patch("/me", response=MeOut, summary="Change your name, e-mail, language or time zone")
def patch_me(request, payload: ProfilePatch):
    services.update_profile(
        request.user, actor=request.user, **payload.model_dump(exclude_unset=True)
    )
    return queries.me(request.user)


@router.get("/me/tokens", response=list[TokenOut], summary="Your personal access tokens")
@paginate(Pagination)
def list_tokens(request):
    return queries.tokens_of(request.user)


@router.post(
    "/me/tokens",
    response={201: TokenCreatedOut},
    summary="Create a personal access token (the token is in the response, once)",
)
def create_token(request, payload: TokenIn):
    row, raw = services.create_access_token(
        request.user, actor=request.user, name=payload.name, days=payload.days
    )
    row.token = raw
    return Status(201, row)


@router.delete("/me/tokens/{token_id}", response={204: None}, summary="Revoke a token")
def revoke_token(request, token_id: int):
    token = queries.token_of(request.user, token_id)
    services.revoke_token(token, actor=request.user)
    return Status(204, None)


# --- Administration --------------------------------------------------------------------------


@router.get("/", response=list[UserOut], summary="List users with their roles")
@paginate(Pagination)
def list_users(request, filters: Query[UserFilters]):
    require(request.user, "users.view_user")
    rows = queries.users(request.user)
    if filters.q:
        rows = rows.filter(
            Q(username__icontains=filters.q)
            | Q(first_name__icontains=filters.q)
            | Q(last_name__icontains=filters.q)
            | Q(email__icontains=filters.q)
        )
    if filters.role:
        rows = rows.filter(groups__name=filters.role)
    if filters.is_active is not None:
        rows = rows.filter(is_active=filters.is_active)
    return rows


@router.post("/", response={201: UserOut}, summary="Create a user")
def create_user(request, payload: UserIn):
    require(request.user, "users.add_user")
    user = services.create_user(actor=request.user, **payload.model_dump())
    return Status(201, queries.user(user.pk))


@router.get("/{user_id}", response=UserOut, summary="One user")
def get_user(request, user_id: int):
    if user_id != request.user.pk and not allowed(request.user, "users.view_user"):
        raise PermissionDenied()
    return queries.user(user_id)


@router.put("/{user_id}/roles", response=UserOut, summary="Set a user's roles")
def put_roles(request, user_id: int, payload: RolesIn):
    require(request.user, "users.change_user")
    user = queries.user(user_id)
    services.set_roles(user, payload.roles, actor=request.user)
    return queries.user(user_id)


@router.post("/{user_id}/deactivate", response=UserOut, summary="Deactivate a user")
def deactivate(request, user_id: int):
    require(request.user, "users.change_user")
    user = queries.user(user_id)
    services.deactivate_user(user, actor=request.user)
    return queries.user(user_id)


@router.post("/{user_id}/reactivate", response=UserOut, summary="Reactivate a user")
def reactivate(request, user_id: int):
    require(request.user, "users.change_user")
    user = queries.user(user_id)
    services.reactivate_user(user, actor=request.user)
    return queries.user(user_id)
