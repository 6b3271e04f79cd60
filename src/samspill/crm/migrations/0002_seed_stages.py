"""The pipeline's stages to start with, named in the installation's language. Users change
them under CRM settings."""

from django.conf import settings
from django.db import migrations

STAGES = [
    # (English, Norwegian Bokmål, probability, won, lost)
    ("Prospecting", "Prospektering", 10, False, False),
    ("Qualification", "Kvalifisering", 25, False, False),
    ("Proposal", "Tilbud", 50, False, False),
    ("Negotiation", "Forhandling", 75, False, False),
    ("Won", "Vunnet", 100, True, False),
    ("Lost", "Tapt", 0, False, True),
]


def seed(apps, schema_editor):
    Stage = apps.get_model("crm", "Stage")
    if Stage.objects.exists():
        return
    norwegian = settings.LANGUAGE_CODE.split("-")[0] in ("nb", "no", "nn")
    Stage.objects.bulk_create(
        Stage(
            name=nb if norwegian else en,
            position=(index + 1) * 10,
            probability=probability,
            is_won=won,
            is_lost=lost,
        )
        for index, (en, nb, probability, won, lost) in enumerate(STAGES)
    )


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
