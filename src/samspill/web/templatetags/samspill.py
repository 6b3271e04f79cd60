from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_active(context, href: str) -> bool:
    path = context["request"].path
    return path == href or (href != "/" and path.startswith(href))
