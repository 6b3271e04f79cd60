"""The Norwegian Bokmål catalogue of this app is complete and compiled."""

import re
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "nb" / "LC_MESSAGES"


def test_catalogue_is_complete_without_fuzzy_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = text.split("\n\n")[1:]
    assert entries
    for entry in entries:
        assert "#, fuzzy" not in entry, entry
        for value in re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entry, flags=re.M):
            assert value, entry
    assert (LOCALE / "django.mo").stat().st_mtime >= (LOCALE / "django.po").stat().st_mtime - 5


def test_strings_are_translated():
    with translation.override("nb"):
        assert gettext("Company settings") == "Firmainnstillinger"
    with translation.override("en"):
        assert gettext("Company settings") == "Company settings"
