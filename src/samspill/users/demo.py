"""Demo logins: one user per role, username = role name, password "samspill-demo".

Idempotent: users that exist are left as they are (only their roles are set again). Team
memberships are added by samspill.organization.demo, which builds on these users.
"""

from __future__ import annotations

from django.db import transaction

from samspill.users import services
from samspill.users.models import User

DEMO_PASSWORD = "samspill-demo"  # noqa: S105 - documented demo password
DEMO_EMAIL_DOMAIN = "nordlys-handel.example"

# role -> (first name, last name)
DEMO_USERS: dict[str, tuple[str, str]] = {
    "sales": ("Ingrid", "Berg"),
    "service": ("Lars", "Hansen"),
    "marketing": ("Sofie", "Johansen"),
    "finance": ("Ole", "Olsen"),
    "hr": ("Marte", "Larsen"),
    "it": ("Eirik", "Andersen"),
    "operations": ("Nils", "Pedersen"),
    "legal": ("Hanne", "Nilsen"),
    "management": ("Kristin", "Bakken"),
    "admin": ("Per", "Haugen"),
}


@transaction.atomic
def load(*, actor=None) -> list[User]:
    """Create (or keep) the demo users. Returns them in role order."""
    users = []
    existing = {u.username: u for u in User.objects.filter(username__in=list(DEMO_USERS))}
    for role, (first_name, last_name) in DEMO_USERS.items():
        user = existing.get(role)
        if user is None:
            user = services.create_user(
                actor=actor,
                username=role,
                password=DEMO_PASSWORD,
                email=f"{role}@{DEMO_EMAIL_DOMAIN}",
                first_name=first_name,
                last_name=last_name,
                language="nb",
                time_zone="Europe/Oslo",
                roles=[role],
                is_staff=role == "admin",
                is_superuser=role == "admin",
            )
        elif role not in user.role_names:
            services.set_roles(user, sorted({*user.role_names, role}), actor=actor)
        users.append(user)
    return users
