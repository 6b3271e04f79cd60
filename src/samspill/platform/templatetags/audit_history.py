"""{% history_rows entries as rows %}: the audit entries of a record, readable (see
samspill.platform.history)."""

from __future__ import annotations

from django import template

from samspill.platform.history import Row, readable

register = template.Library()


@register.simple_tag
def history_rows(entries) -> list[Row]:
    return readable(entries or [])
