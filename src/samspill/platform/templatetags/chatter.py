"""`{% load chatter %}{% chatter_panel record %}`: the chatter panel of any record
(comments, attachments, follow button) for a detail page. The record must be one the
user may see; the page that shows it has checked that."""

from django import template

from samspill.platform.chatter_views import panel_context

register = template.Library()


@register.inclusion_tag("platform/chatter/panel.html", takes_context=True)
def chatter_panel(context, record):
    return panel_context(context["request"], record)
