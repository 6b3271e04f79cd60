"""Roles are permission sets defined in code (see samspill.platform.permissions.grant) and
stored as Django groups. `sync_roles()` makes the groups match the code exactly; it runs
after every `migrate` and as `samspill syncroles`."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q

from samspill.platform.permissions import ROLES, role_permissions


@transaction.atomic
def sync_roles() -> dict[str, int]:
    """Create a group per role and give it exactly the permissions the code grants.
    The admin role holds every permission. Returns role -> number of permissions."""
    grants = role_permissions()
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
    }
    counts = {}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        if role == "admin":
            wanted = list(all_perms.values())
        else:
            missing = grants.get(role, set()) - all_perms.keys()
            if missing:
                raise LookupError(
                    f"role {role!r} is granted unknown permissions: {sorted(missing)}"
                )
            wanted = [all_perms[p] for p in grants.get(role, set())]
        group.permissions.set(wanted)
        counts[role] = len(wanted)
    Group.objects.filter(~Q(name__in=list(ROLES))).filter(name__startswith="role:").delete()
    return counts
