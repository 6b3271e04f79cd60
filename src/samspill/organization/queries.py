"""Read side of the organisation: the company, departments, teams and memberships, narrowed to
what the viewer may see and with the relations their pages show (no N+1)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from samspill.organization.models import Company, Department, Membership, Team
from samspill.platform.errors import NotFound
from samspill.platform.permissions import allowed, restrict
from samspill.platform.registry import SearchHit


def company() -> Company | None:
    """The company, or None before it has been set up."""
    return Company.objects.filter(pk=Company.SINGLETON_ID).first()


def base_currency() -> str:
    """The company's base currency ("NOK" until the company is set up)."""
    row = Company.objects.filter(pk=Company.SINGLETON_ID).values_list("base_currency", flat=True)
    return row.first() or "NOK"


def departments(viewer=None) -> QuerySet:
    return restrict(
        Department.objects.annotate(
            team_count=Count("teams", distinct=True),
            member_count=Count("teams__memberships__user", distinct=True),
        ).order_by("office", "name"),
        viewer,
    )


def department(pk, viewer=None) -> Department:
    row = departments(viewer).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such department."))
    return row


def teams(viewer=None) -> QuerySet:
    return restrict(
        Team.objects.select_related("department", "lead")
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("department__name", "name"),
        viewer,
    )


def team(pk, viewer=None) -> Team:
    row = teams(viewer).filter(pk=pk).first()
    if row is None:
        raise NotFound(_("No such team."))
    return row


def teams_of_department(department: Department, viewer=None) -> QuerySet:
    return teams(viewer).filter(department=department)


def members(team: Team, viewer=None) -> QuerySet:
    """The memberships of a team, leads first, with their users."""
    return restrict(
        Membership.objects.filter(team=team)
        .select_related("user")
        .order_by("role", "user__first_name", "user__last_name", "user__username"),
        viewer,
    )


def membership(team: Team, user_id, viewer=None) -> Membership:
    row = members(team, viewer).filter(user_id=user_id).first()
    if row is None:
        raise NotFound(_("This person is not in the team."))
    return row


def teams_of_user(user, viewer=None) -> QuerySet:
    """The teams a user is in, with department and role (their profile's "Teams")."""
    return restrict(
        Membership.objects.filter(user=user)
        .select_related("team__department")
        .order_by("team__department__name", "team__name"),
        viewer,
    )


def users_not_in(team: Team) -> QuerySet:
    """Active users who could join the team."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .exclude(team_memberships__team=team)
        .order_by("first_name", "last_name", "username")
    )


def active_users() -> QuerySet:
    User = get_user_model()
    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def department_with_teams(pk, viewer=None) -> Department:
    """A department with its teams and each team's lead prefetched."""
    row = (
        departments(viewer)
        .prefetch_related(
            Prefetch(
                "teams",
                queryset=Team.objects.select_related("lead")
                .annotate(member_count=Count("memberships"))
                .order_by("name"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if row is None:
        raise NotFound(_("No such department."))
    return row


def search(viewer, query: str, limit: int) -> list[SearchHit]:
    hits = [
        SearchHit(
            kind=_("Department"),
            title=d.name,
            url=reverse("organization:department_detail", args=[d.pk]),
            subtitle=f"{d.code} · {d.get_office_display()}",
        )
        for d in departments(viewer).filter(Q(name__icontains=query) | Q(code__icontains=query))[
            :limit
        ]
    ]
    if allowed(viewer, "organization.view_team"):
        hits += [
            SearchHit(
                kind=_("Team"),
                title=t.name,
                url=reverse("organization:team_detail", args=[t.pk]),
                subtitle=t.department.name,
            )
            for t in teams(viewer).filter(name__icontains=query)[: max(limit - len(hits), 0)]
        ]
    return hits
