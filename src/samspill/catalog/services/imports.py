"""Import products from CSV with a row-by-row error report.

Columns (header row, any order, `;` or `,` separated, UTF-8 with or without BOM):
sku, name_nb, name_en, description, unit, product_type, category, sales_price, cost_price,
vat_category, barcode, active. `sku` and `unit` are required columns, and a name in at
least one language. Norwegian headers (varenummer, navn, enhet, ...) work too.

The SKU is the key: a row whose SKU exists changes that product, so the same file can be
imported again and changes nothing the second time. An empty cell leaves the field as it
is (or at its default for a new product). Every bad row is reported with its line number,
column and reason, and nothing of it is written; with `all_or_nothing`, one bad row stops
the whole import.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.catalog import events
from samspill.catalog.models import Category, Product, Unit, VatCategory, normalize_sku
from samspill.catalog.services.common import (
    ADD_PRODUCT,
    CHANGE_PRODUCT,
    PRICE_FIELDS,
    PRICE_PRODUCT,
    Errors,
    add_error,
    bulk_audit,
    check,
    messages_of,
    parse_decimal,
    product_snapshot,
)
from samspill.catalog.services.products import PRODUCT_FIELDS
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import allowed

MAX_ROWS = 20_000
COLUMNS = (
    "sku",
    "name_nb",
    "name_en",
    "description",
    "unit",
    "product_type",
    "category",
    "sales_price",
    "cost_price",
    "vat_category",
    "barcode",
    "active",
)
ALIASES = {
    "varenummer": "sku",
    "varenr": "sku",
    "navn": "name_nb",
    "navn (norsk)": "name_nb",
    "name": "name_en",
    "navn (engelsk)": "name_en",
    "beskrivelse": "description",
    "enhet": "unit",
    "type": "product_type",
    "kategori": "category",
    "pris": "sales_price",
    "salgspris": "sales_price",
    "kostpris": "cost_price",
    "mva": "vat_category",
    "mva-kategori": "vat_category",
    "strekkode": "barcode",
    "ean": "barcode",
    "aktiv": "active",
}
TRUE = {"1", "true", "yes", "ja", "j", "y", "x"}
FALSE = {"0", "false", "no", "nei", "n"}


@dataclass(frozen=True)
class RowError:
    row: int  # line number in the file (the header is line 1)
    column: str  # "" when about the whole row
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


def _read(content: str | bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed(
                _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
                errors={"file": [_("The file is not UTF-8 text.")]},
            ) from exc
    content = content.lstrip("\ufeff")
    if not content.strip():
        raise ValidationFailed(_("The file is empty."), errors={"file": [_("The file is empty.")]})
    first_line = content.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    columns = [ALIASES.get(h, h) for h in header]
    unknown = [h for h, c in zip(header, columns, strict=True) if c not in COLUMNS and h]
    problems = []
    if unknown:
        problems.append(
            _("Unknown column(s): %(columns)s. Known columns: %(known)s.")
            % {"columns": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    missing = [c for c in ("sku", "unit") if c not in columns]
    if "name_nb" not in columns and "name_en" not in columns:
        missing.append("name_nb / name_en")
    if missing:
        problems.append(_("Missing column(s): %(columns)s.") % {"columns": ", ".join(missing)})
    if problems:
        raise ValidationFailed(problems[0], errors={"file": problems})
    rows: list[tuple[int, dict[str, str]]] = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        if len(rows) >= MAX_ROWS:
            raise ValidationFailed(
                _("A file may have at most %(n)s rows. Split it and import the parts.")
                % {"n": MAX_ROWS},
                errors={"file": [_("Too many rows.")]},
            )
        data = {
            column: (values[i].strip() if i < len(values) else "")
            for i, column in enumerate(columns)
            if column in COLUMNS
        }
        if len(values) > len(columns):
            data["__extra__"] = "x"
        rows.append((reader.line_num, data))
    return columns, rows


def _category_paths() -> dict[str, Category]:
    categories = {c.pk: c for c in Category.objects.all()}
    result: dict[str, Category] = {}
    for category in categories.values():
        names: list[str] = []
        node: Category | None = category
        while node is not None:
            names.append(node.name)
            node = categories.get(node.parent_id) if node.parent_id else None
        result[" / ".join(reversed(names)).lower()] = category
    return result


def _choice(value: str, choices, column: str, errors: Errors) -> str | None:
    keys = {k.lower(): k for k, _label in choices}
    labels = {str(label).lower(): k for k, label in choices}
    found = keys.get(value.lower()) or labels.get(value.lower())
    if found is None:
        add_error(
            errors,
            column,
            _("“%(value)s” is not one of %(choices)s.")
            % {"value": value, "choices": ", ".join(k for k, _label in choices)},
        )
    return found


def import_products(*, actor, content: str | bytes, all_or_nothing: bool = False) -> ImportResult:
    """Import products from CSV text (see the module docstring). Returns what was created,
    updated and left unchanged, and every bad row. One transaction."""
    may_price = actor is None or allowed(actor, PRICE_PRODUCT)
    may_add = actor is None or allowed(actor, ADD_PRODUCT)
    may_change = actor is None or allowed(actor, CHANGE_PRODUCT)
    if not (may_add or may_change):
        check(actor, ADD_PRODUCT)
    _columns, rows = _read(content)
    result = ImportResult()
    units = {u.code.lower(): u for u in Unit.objects.all()}
    categories = _category_paths()
    skus = {normalize_sku(data.get("sku", "")) for _line, data in rows}
    existing = (
        {p.sku: p for p in Product.objects.filter(sku__in=skus).select_related("unit")}
        if skus
        else {}
    )
    barcodes_in_file: dict[str, str] = {}
    seen_skus: set[str] = set()
    plans: list[tuple[int, Product, bool, dict[str, Any]]] = []  # line, product, new, before

    from samspill.catalog.services.products import _assign

    for line, data in rows:
        errors: Errors = {}
        if data.pop("__extra__", None):
            add_error(errors, "", _("This row has more cells than the header."))
        sku = normalize_sku(data.get("sku", ""))
        current = existing.get(sku)
        is_new = current is None
        if sku in seen_skus:
            add_error(errors, "sku", _("This SKU appears on an earlier row of the file."))
        seen_skus.add(sku)
        if is_new and not may_add:
            add_error(errors, "sku", _("You may not add products."))
        product = (
            Product(is_active=True)
            if is_new
            else Product(
                **{f.attname: getattr(current, f.attname) for f in Product._meta.concrete_fields}
            )
        )
        before = {} if is_new else product_snapshot(product)
        values: dict[str, Any] = {}
        for column in COLUMNS:
            raw = data.get(column, "")
            if column == "sku":
                values["sku"] = raw
                continue
            if raw == "":
                continue
            if column == "unit":
                unit = units.get(raw.lower())
                if unit is None:
                    add_error(
                        errors, "unit", _("There is no unit of measure “%(unit)s”.") % {"unit": raw}
                    )
                else:
                    values["unit"] = unit
            elif column == "category":
                category = categories.get(" / ".join(p.strip() for p in raw.split("/")).lower())
                if category is None:
                    add_error(
                        errors, "category", _("There is no category “%(name)s”.") % {"name": raw}
                    )
                else:
                    values["category"] = category
            elif column == "product_type":
                choice = _choice(raw, Product.Type.choices, column, errors)
                if choice:
                    values[column] = choice
            elif column == "vat_category":
                choice = _choice(raw, VatCategory.choices, column, errors)
                if choice:
                    values[column] = choice
            elif column == "active":
                if raw.lower() in TRUE:
                    product.is_active = True
                elif raw.lower() in FALSE:
                    product.is_active = False
                else:
                    add_error(errors, "active", _("Write yes or no."))
            elif column in PRICE_FIELDS:
                number = parse_decimal(raw, column, errors)
                if number is not None:
                    values[column] = number
            else:
                values[column] = raw
        if is_new and "unit" not in values and "unit" not in errors:
            add_error(errors, "unit", _("Choose a unit of measure."))
        _assign(product, {k: v for k, v in values.items() if k in PRODUCT_FIELDS}, errors)
        exclude = [
            "unit",
            "category",
            *[f for f in ("sku", "barcode", *PRICE_FIELDS) if f in errors],
        ]
        try:
            product.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            for key, msgs in messages_of(exc).items():
                errors.setdefault(key, []).extend(msgs)
        if product.barcode and "barcode" not in errors:
            other = barcodes_in_file.get(product.barcode)
            if other and other != product.sku:
                add_error(errors, "barcode", _("Another row of the file has this barcode."))
            barcodes_in_file[product.barcode] = product.sku
        after = product_snapshot(product)
        changed = audit.diff(before, after)
        if not is_new and changed and not may_change:
            add_error(errors, "", _("You may not change products."))
        if (
            not may_price
            and (set(changed) & set(PRICE_FIELDS))
            and (not is_new or any(after[f] != "0.00" for f in PRICE_FIELDS))
        ):
            add_error(
                errors,
                "sales_price",
                _("Only users who may set prices (finance) can set sales and cost prices."),
            )
        if errors:
            for column, msgs in errors.items():
                for message in msgs:
                    result.errors.append(
                        RowError(line, "" if column == "__all__" else column, message)
                    )
            continue
        if not changed:
            result.unchanged += 1
            continue
        plans.append((line, product, is_new, before))

    # Barcodes already used by products that are not in the file (or by another SKU).
    wanted = {p.barcode: p.sku for _l, p, _n, _b in plans if p.barcode}
    if wanted:
        taken = dict(Product.objects.filter(barcode__in=wanted).values_list("barcode", "sku"))
        bad = {b for b, sku in taken.items() if sku != wanted[b]}
        kept = []
        for line, product, is_new, before in plans:
            if product.barcode in bad:
                result.errors.append(
                    RowError(line, "barcode", _("Another product has this barcode."))
                )
            else:
                kept.append((line, product, is_new, before))
        plans = kept
    result.errors.sort(key=lambda e: (e.row, e.column))
    if result.errors and all_or_nothing:
        return result
    if not plans:
        result.written = False
        return result
    with transaction.atomic():
        new = [p for _l, p, is_new, _b in plans if is_new]
        changed_rows = [(p, b) for _l, p, is_new, b in plans if not is_new]
        now = timezone.now()
        for product in [*new, *(p for p, _b in changed_rows)]:
            product.updated_at = now
            if product.pk is None:
                product.created_at = now
        Product.objects.bulk_create(new, batch_size=500)
        if changed_rows:
            Product.objects.bulk_update(
                [p for p, _b in changed_rows],
                [f for f in PRODUCT_FIELDS if f != "sku"] + ["is_active", "updated_at"],
                batch_size=500,
            )
        entries: list[tuple[str, Product, dict[str, Any]]] = []
        for product in new:
            entries.append(("create", product, audit.diff({}, product_snapshot(product))))
        for product, before in changed_rows:
            entries.append(("update", product, audit.diff(before, product_snapshot(product))))
        bulk_audit(entries, actor)
        for product in new:
            publish(
                events.ProductCreated(
                    product_id=product.pk,
                    sku=product.sku,
                    name=product.name_nb or product.name_en,
                    product_type=product.product_type,
                    vat_category=product.vat_category,
                    sales_price=str(product.sales_price),
                ),
                actor=actor,
            )
        for product, before in changed_rows:
            fields = sorted(audit.diff(before, product_snapshot(product)))
            if fields == ["is_active"] and not product.is_active:
                publish(events.ProductArchived(product_id=product.pk, sku=product.sku), actor=actor)
            else:
                publish(
                    events.ProductUpdated(product_id=product.pk, sku=product.sku, fields=fields),
                    actor=actor,
                )
    result.created = len(new)
    result.updated = len(changed_rows)
    result.written = True
    return result
