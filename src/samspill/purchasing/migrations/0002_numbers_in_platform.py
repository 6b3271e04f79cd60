"""Purchase order numbers move to the platform's number series "purchasing.order", keeping every year's
last number, so numbering continues without a gap."""

from django.db import migrations


def move_counters(apps, schema_editor):
    Counter = apps.get_model("purchasing", "Counter")
    NumberSeries = apps.get_model("platform", "NumberSeries")
    for counter in Counter.objects.filter(series="po"):
        NumberSeries.objects.update_or_create(
            series="purchasing.order", year=counter.year, defaults={"last": counter.last}
        )


def move_back(apps, schema_editor):
    Counter = apps.get_model("purchasing", "Counter")
    NumberSeries = apps.get_model("platform", "NumberSeries")
    for row in NumberSeries.objects.filter(series="purchasing.order"):
        Counter.objects.update_or_create(series="po", year=row.year, defaults={"last": row.last})


class Migration(migrations.Migration):
    dependencies = [
        ("purchasing", "0001_initial"),
        ("platform", "0004_number_series"),
    ]

    operations = [
        migrations.RunPython(move_counters, move_back),
        migrations.DeleteModel(name="Counter"),
    ]
