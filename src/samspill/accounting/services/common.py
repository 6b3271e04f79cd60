"""Helpers shared by the ledger's commands."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samspill.platform.errors import ValidationFailed

CENT = Decimal("0.01")


def fail(message, field: str = "__all__", code: str | None = None):
    return ValidationFailed(message, errors={field: [str(message)]}, code=code)


def money(value, field: str) -> Decimal:
    """A non-negative amount in kroner, rounded half up to the øre."""
    if value in (None, ""):
        return Decimal("0.00")
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise fail(_("Enter an amount."), field) from exc
    if not amount.is_finite():
        raise fail(_("Enter an amount."), field)
    if amount < 0:
        raise fail(_("Amounts cannot be negative; use the other side."), field)
    if amount >= Decimal("1e15"):
        raise fail(_("The amount is too large."), field)
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def clean(instance) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
