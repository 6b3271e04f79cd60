"""Commands of the Norwegian localisation: load the shipped VAT codes and category map
(idempotent), change a VAT code, map a category to other codes. One transaction each,
audited, with an event."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from samspill.localization.no import events
from samspill.localization.no.models import VatCategory, VatCode
from samspill.localization.no.vat import VAT_CATEGORIES, VAT_CODES
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

VAT_CODE_FIELDS = ("name", "name_en", "rate", "account", "deduction_account", "active")


@transaction.atomic
def load_vat_codes(*, actor) -> list[VatCode]:
    """Create the shipped VAT codes and the category map that are missing. Existing rows
    (perhaps edited by the user) are left as they are, so this can run again safely."""
    if actor is not None:
        require(actor, "localization_no.change_vatcode")
    existing = set(VatCode.objects.values_list("code", flat=True))
    new = [
        VatCode(
            code=spec.code,
            standard_code=spec.standard_code,
            name=spec.name_nb,
            name_en=spec.name_en,
            direction=spec.direction,
            treatment=spec.treatment,
            rate=spec.rate,
            account=spec.account,
            deduction_account=spec.deduction_account,
        )
        for spec in VAT_CODES
        if spec.code not in existing
    ]
    created = VatCode.objects.bulk_create(new)
    codes = {code.code: code for code in VatCode.objects.all()}
    mapped = set(VatCategory.objects.values_list("key", flat=True))
    categories = VatCategory.objects.bulk_create(
        VatCategory(key=key, sales_code=codes[sales], purchase_code=codes[purchase])
        for key, (sales, purchase) in VAT_CATEGORIES.items()
        if key not in mapped
    )
    for row in [*created, *categories]:
        audit.record("create", row, actor=actor, changes=audit.diff({}, audit.snapshot(row)))
    if created or categories:
        publish(events.VatCodesLoaded(created=[c.code for c in created]), actor=actor)
    return created


@transaction.atomic
def update_vat_code(vat_code: VatCode, *, actor, **changes) -> VatCode:
    if actor is not None:
        require(actor, "localization_no.change_vatcode")
    unknown = sorted(set(changes) - set(VAT_CODE_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("This field cannot be changed.")] for f in unknown},
        )
    vat_code = VatCode.objects.select_for_update().get(pk=vat_code.pk)
    before = audit.snapshot(vat_code)
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(vat_code, name, value)
    try:
        vat_code.full_clean()
    except ValidationError as exc:
        raise ValidationFailed.from_django(exc) from exc
    diff = audit.diff(before, audit.snapshot(vat_code))
    if not diff:
        return vat_code
    vat_code.save()
    audit.record("update", vat_code, actor=actor, changes=diff)
    publish(events.VatCodeUpdated(code=vat_code.code, changed=sorted(diff)), actor=actor)
    return vat_code


def _code(value, direction: str, field: str) -> VatCode:
    code = value if isinstance(value, VatCode) else VatCode.objects.filter(code=value).first()
    if code is None or code.direction != direction:
        message = _("Choose a VAT code of the kind %(direction)s.") % {
            "direction": VatCode.Direction(direction).label
        }
        raise ValidationFailed(message, errors={field: [message]})
    return code


@transaction.atomic
def map_vat_category(key: str, *, actor, sales_code, purchase_code) -> VatCategory:
    """Say which VAT codes a sale and a purchase in a catalog category use."""
    if actor is not None:
        require(actor, "localization_no.change_vatcategory")
    category = VatCategory.objects.select_for_update().filter(key=key).first()
    if category is None:
        message = _("Unknown VAT category.")
        raise ValidationFailed(message, errors={"key": [message]})
    before = audit.snapshot(category)
    category.sales_code = _code(sales_code, VatCode.Direction.SALES, "sales_code")
    category.purchase_code = _code(purchase_code, VatCode.Direction.PURCHASE, "purchase_code")
    diff = audit.diff(before, audit.snapshot(category))
    if diff:
        category.save()
        audit.record("update", category, actor=actor, changes=diff)
        publish(
            events.VatCategoryMapped(
                key=key,
                sales_code=category.sales_code.code,
                purchase_code=category.purchase_code.code,
            ),
            actor=actor,
        )
    return category
