"""The app speaks Norwegian Bokmål (completeness of every catalogue: tests/test_translations.py)."""

from django.utils import translation
from django.utils.translation import gettext


def test_strings_are_translated():
    with translation.override("nb"):
        assert gettext("Personal access tokens") == "Personlige tilgangsnøkler"
    with translation.override("en"):
        assert gettext("Personal access tokens") == "Personal access tokens"
