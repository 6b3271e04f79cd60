"""Seed the units of measure. Units of one dimension convert through their factor, the
number of reference units (factor 1) one of them is."""

from decimal import Decimal

from django.db import migrations

UNITS = [
    # code, Norwegian, English, dimension, factor
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


def seed(apps, schema_editor):
    Unit = apps.get_model("catalog", "Unit")
    existing = set(Unit.objects.values_list("code", flat=True))
    Unit.objects.bulk_create(
        Unit(code=code, name_nb=nb, name_en=en, dimension=dimension, factor=Decimal(factor))
        for code, nb, en, dimension, factor in UNITS
        if code not in existing
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
