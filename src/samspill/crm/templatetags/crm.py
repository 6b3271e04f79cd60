"""Template filters of the CRM: money in the user's locale (nb: "1 234,50 kr")."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency
from django import template
from django.utils import translation

register = template.Library()


def _locale() -> str:
    language = translation.get_language() or "nb"
    return {"nb": "nb_NO", "en": "en_GB"}.get(language.split("-")[0], "nb_NO")


@register.filter
def nok(value, currency: str = "NOK") -> str:
    """An amount with its currency in the active language; '' for no value."""
    if value in (None, ""):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return format_currency(amount, currency or "NOK", locale=_locale())


@register.filter
def nok_whole(value, currency: str = "NOK") -> str:
    """An amount without decimals (board cards and totals)."""
    if value in (None, ""):
        return ""
    amount = Decimal(str(value)).quantize(Decimal("1"))
    return (
        format_currency(
            amount, currency or "NOK", locale=_locale(), format="¤ #,##0", currency_digits=False
        )
        if _locale() == "en_GB"
        else format_currency(
            amount, currency or "NOK", locale=_locale(), format="#,##0 ¤", currency_digits=False
        )
    )
