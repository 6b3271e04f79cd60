"""The seeded units of measure. `ensure_units()` creates the missing ones; it runs after
every migrate and flush (post_migrate), so a database always has them."""

from __future__ import annotations

from decimal import Decimal

# code, Norwegian, English, dimension, factor (reference units per unit)
UNITS = [
    ("pcs", "stykk", "piece", "count", "1"),
    ("pair", "par", "pair", "count", "2"),
    ("dozen", "dusin", "dozen", "count", "12"),
    ("pack", "pakke", "pack", "count", "1"),
    ("box", "eske", "box", "count", "1"),
    ("min", "minutt", "minute", "time", "0.016666667"),
    ("h", "time", "hour", "time", "1"),
    ("day", "dag", "day", "time", "8"),
    ("g", "gram", "gram", "weight", "0.001"),
    ("kg", "kilogram", "kilogram", "weight", "1"),
    ("t", "tonn", "tonne", "weight", "1000"),
    ("ml", "milliliter", "millilitre", "volume", "0.001"),
    ("cl", "centiliter", "centilitre", "volume", "0.01"),
    ("l", "liter", "litre", "volume", "1"),
    ("cm", "centimeter", "centimetre", "length", "0.01"),
    ("m", "meter", "metre", "length", "1"),
    ("km", "kilometer", "kilometre", "length", "1000"),
    ("m2", "kvadratmeter", "square metre", "area", "1"),
]


def ensure_units(unit_model=None, using: str = "default") -> int:
    """Create the seeded units that are missing. Returns how many were created."""
    if unit_model is None:
        from samspill.catalog.models import Unit as unit_model
    existing = set(unit_model.objects.using(using).values_list("code", flat=True))
    missing = [
        unit_model(code=code, name_nb=nb, name_en=en, dimension=dimension, factor=Decimal(f))
        for code, nb, en, dimension, f in UNITS
        if code not in existing
    ]
    unit_model.objects.using(using).bulk_create(missing)
    return len(missing)


def seed_after_migrate(sender, using="default", plan=None, **kwargs) -> None:
    """post_migrate receiver (framework plumbing): the units exist after migrate and flush."""
    from django.db import connections

    if "catalog_unit" in connections[using].introspection.table_names():
        ensure_units(using=using)
