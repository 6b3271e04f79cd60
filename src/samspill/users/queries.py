"""Read side of the users app: selectors for views, the API and search. Each returns a
queryset narrowed to what the viewer may see, with the relations the caller shows."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.platform.errors import NotFound
from samspill.platform.permissions import ROLES, restrict
from samspill.platform.registry import SearchHit
from samspill.users.models import AccessToken, User


def _with_roles(queryset: QuerySet) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("groups", queryset=Group.objects.filter(name__in=list(ROLES)).order_by("name"))
    )


def users(viewer=None) -> QuerySet:
    """Every user with their roles prefetched (two queries whatever the page size)."""
    return restrict(_with_roles(User.objects.order_by("username")), viewer)


def user(pk, viewer=None) -> User:
    row = users(viewer).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such user."))
    return row


def me(viewer) -> User:
    """The signed-in user with roles, without a permission check."""
    return _with_roles(User.objects.filter(pk=viewer.pk)).get()


def role_choices() -> list[tuple[str, str]]:
    return [(key, str(label)) for key, label in ROLES.items()]


def tokens_of(owner) -> QuerySet:
    """A user's personal access tokens, newest first (the owner's own view)."""
    return AccessToken.objects.filter(user=owner).order_by("-created_at", "-pk")


def token_of(owner, pk) -> AccessToken:
    row = tokens_of(owner).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such access token."))
    return row


def search_users(viewer, query: str, limit: int) -> list[SearchHit]:
    rows = users(viewer).filter(
        Q(username__icontains=query)
        | Q(first_name__icontains=query)
        | Q(last_name__icontains=query)
        | Q(email__icontains=query)
    )[:limit]
    return [
        SearchHit(
            kind=_("User"),
            title=str(u),
            url=reverse("users:user_detail", args=[u.pk]),
            subtitle=", ".join(str(ROLES[r]) for r in u.role_names if r in ROLES),
        )
        for u in rows
    ]
