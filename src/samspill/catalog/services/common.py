"""Validation and bookkeeping shared by the catalog commands."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from samspill.catalog.models import MAX_PRICE, Category, Product, Unit
from samspill.platform import audit
from samspill.platform.context import current_channel
from samspill.platform.errors import ValidationFailed
from samspill.platform.permissions import require

Errors = dict[str, list[str]]

# Who may do what (see README.md, "Who may do what").
ADD_PRODUCT = "catalog.add_product"
CHANGE_PRODUCT = "catalog.change_product"
PRICE_PRODUCT = "catalog.price_product"
DELETE_PRODUCT = "catalog.delete_product"
ADD_CATEGORY = "catalog.add_category"
CHANGE_CATEGORY = "catalog.change_category"
ADD_PRICELIST = "catalog.add_pricelist"
CHANGE_PRICELIST = "catalog.change_pricelist"
PRICE_FIELDS = ("sales_price", "cost_price")


def check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def add_error(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(str(message))


def messages_of(exc: ValidationError, default_field: str = "__all__") -> Errors:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return {default_field: [str(m) for m in exc.messages]}


def merge(errors: Errors, new: Errors) -> None:
    for field, msgs in new.items():
        errors.setdefault(field, []).extend(msgs)


def raise_if(errors: Errors) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def full_clean(instance, errors: Errors, *, exclude=None, constraints=True, unique=True) -> None:
    try:
        instance.full_clean(
            exclude=exclude, validate_unique=unique, validate_constraints=constraints
        )
    except ValidationError as exc:
        merge(errors, messages_of(exc))


def parse_decimal(
    value: Any,
    field: str,
    errors: Errors,
    *,
    places: int = 2,
    maximum: Decimal = MAX_PRICE,
    positive: bool = False,
) -> Decimal | None:
    """A Decimal from a number or a text ("1 234,50" and "1234.50" both work), or an error
    on `field`: not a number, negative, more than `places` decimals, too large."""
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        value = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if value is None or value == "":
        add_error(errors, field, _("This field is required."))
        return None
    try:
        number = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        add_error(errors, field, _("Enter a number."))
        return None
    if not number.is_finite():
        add_error(errors, field, _("Enter a number."))
        return None
    if number < 0 or (positive and number == 0):
        add_error(
            errors,
            field,
            _("Enter a number greater than zero.") if positive else _("Enter zero or more."),
        )
        return None
    if number.normalize().as_tuple().exponent < -places:  # type: ignore[operator]
        add_error(errors, field, _("Use at most %(places)s decimals.") % {"places": places})
        return None
    if number > maximum:
        add_error(errors, field, _("This number is too large."))
        return None
    return number.quantize(Decimal(1).scaleb(-places))


def resolve_unit(
    value: Unit | str | int | None, errors: Errors, field: str = "unit"
) -> Unit | None:
    if isinstance(value, Unit):
        return value
    if value in (None, ""):
        add_error(errors, field, _("Choose a unit of measure."))
        return None
    lookup = {"pk": value} if isinstance(value, int) else {"code__iexact": str(value).strip()}
    unit = Unit.objects.filter(**lookup).first()
    if unit is None:
        add_error(errors, field, _("There is no unit of measure “%(unit)s”.") % {"unit": value})
    return unit


def resolve_category(
    value: Category | str | int | None, errors: Errors, field: str = "category"
) -> Category | None:
    if value in (None, "") or isinstance(value, Category):
        return value or None  # type: ignore[return-value]
    category = Category.objects.filter(pk=value).first() if isinstance(value, int) else None
    if category is None:
        add_error(errors, field, _("There is no such category."))
    return category


def product_snapshot(product: Product) -> dict[str, Any]:
    return audit.snapshot(product, exclude=("created_at", "updated_at"))


def bulk_audit(entries: list[tuple[str, Any, dict[str, Any]]], actor) -> None:
    """The audit entries audit.record() would write, in one insert."""
    from samspill.platform.models import AuditEntry

    if not entries:
        return
    real_actor = actor if actor is not None and actor.is_authenticated else None
    channel = current_channel()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=real_actor,
                actor_repr=(real_actor.get_username() if real_actor else "system")[:150],
                channel=channel,
                action=action,
                content_type=ContentType.objects.get_for_model(instance),
                object_id=str(instance.pk),
                object_repr=str(instance)[:200],
                changes=changes,
            )
            for action, instance, changes in entries
        ],
        batch_size=1000,
    )
