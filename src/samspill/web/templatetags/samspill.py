from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


def _matches(path: str, href: str) -> bool:
    return path == href or (href != "/" and path.startswith(href))


def _active_href(context) -> str | None:
    """The menu entry the page belongs to: the longest entry URL the path starts with, so
    /accounting/reports/ marks "Trial balance", not also "Vouchers" at /accounting/."""
    request = context["request"]
    if not hasattr(request, "_nav_active_href"):
        hrefs = []
        for items in (context.get("nav") or {}).values():
            for item in items:
                try:
                    hrefs.append(reverse(item.url_name))
                except NoReverseMatch:
                    continue
        matching = [href for href in hrefs if _matches(request.path, href)]
        request._nav_active_href = max(matching, key=len) if matching else None
    return request._nav_active_href


@register.simple_tag(takes_context=True)
def nav_active(context, href: str) -> bool:
    return href == _active_href(context)
