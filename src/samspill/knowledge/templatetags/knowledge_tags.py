"""Filters of the help centre: a category's name and description in the reader's language."""

from django import template

register = template.Library()


@register.filter
def label_in(category, language: str) -> str:
    return category.label(language)


@register.filter
def blurb_in(category, language: str) -> str:
    return category.blurb(language)
