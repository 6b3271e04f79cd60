"""The CRM speaks Norwegian Bokmål (completeness of every catalogue: tests/test_translations.py)."""

from django.utils import translation
from django.utils.translation import gettext

from samspill.crm.events import OpportunityStageChanged


def test_strings_are_translated():
    with translation.override("nb"):
        assert gettext("Pipeline") == "Salgstrakt"
        assert (
            OpportunityStageChanged.summarize(
                {"name": "Nytt tak", "from_stage": "Tilbud", "to_stage": "Vunnet"}
            )
            == "Muligheten Nytt tak ble flyttet fra Tilbud til Vunnet"
        )
    with translation.override("en"):
        assert gettext("Pipeline") == "Pipeline"
