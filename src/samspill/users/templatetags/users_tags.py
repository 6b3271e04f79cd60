from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value) -> int:
    """Whole minutes of a timedelta (rounded up), for "locked for 15 minutes"."""
    if not isinstance(value, timedelta):
        return 0
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60)) if seconds > 0 else 0


@register.filter
def role_label(name: str) -> str:
    """The translated label of a role ("finance" -> "Økonomi")."""
    from samspill.platform.permissions import ROLES

    return str(ROLES.get(name, name))
