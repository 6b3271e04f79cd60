"""Every Samspill app speaks Norwegian Bokmål completely (DESIGN.md: "nb is complete before an
issue is done"): each app has its own catalogue, every entry is translated and none is left
fuzzy, and the compiled .mo that Django reads says the same as the .po."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.apps import apps


def samspill_apps():
    return sorted(
        (config for config in apps.get_app_configs() if config.name.startswith("samspill.")),
        key=lambda config: config.label,
    )


def catalogue(config) -> Path:
    return Path(config.path) / "locale" / "nb" / "LC_MESSAGES" / "django.po"


def translated(strings) -> bool:
    values = strings if isinstance(strings, list | tuple) else [strings]
    return all(value and value.strip() for value in values)


@pytest.mark.parametrize("config", samspill_apps(), ids=lambda config: config.label)
def test_app_has_a_complete_norwegian_catalogue(config):
    po_path = catalogue(config)
    assert po_path.exists(), f"{config.label}: no {po_path.relative_to(Path(config.path))}"
    with po_path.open("rb") as handle:
        po = read_po(handle, locale="nb")
    # A fuzzy header is left out of the .mo, and with it the plural rule.
    assert not po.fuzzy, f"{config.label}: the header of {po_path.name} is marked fuzzy"
    entries = [message for message in po if message.id]
    fuzzy = [message.id for message in entries if message.fuzzy]
    untranslated = [message.id for message in entries if not translated(message.string)]
    assert fuzzy == [], f"{config.label}: fuzzy entries in {po_path.name}"
    assert untranslated == [], f"{config.label}: untranslated entries in {po_path.name}"


@pytest.mark.parametrize("config", samspill_apps(), ids=lambda config: config.label)
def test_compiled_catalogue_matches_the_po_file(config):
    po_path = catalogue(config)
    mo_path = po_path.with_suffix(".mo")
    if not po_path.exists():
        pytest.skip("no catalogue (reported by the completeness test)")
    assert mo_path.exists(), f"{config.label}: run `make messages` to compile {mo_path.name}"
    with po_path.open("rb") as handle:
        po = read_po(handle, locale="nb")
    with mo_path.open("rb") as handle:
        mo = read_mo(handle)

    def pairs(catalog):
        return {
            (message.id if isinstance(message.id, str) else tuple(message.id), message.context): (
                message.string if isinstance(message.string, str) else tuple(message.string)
            )
            for message in catalog
            if message.id and not message.fuzzy and translated(message.string)
        }

    assert pairs(mo) == pairs(po), f"{config.label}: {mo_path.name} is stale: run `make messages`"


def test_django_shows_our_norwegian_where_a_framework_catalogue_has_the_same_words():
    """Django merges every app's catalogue; for the same msgid an app listed earlier in
    INSTALLED_APPS wins. Django's own apps (the admin says "Filtrering" for "Filter") must
    never override the words a Samspill page uses."""
    from django.utils import translation

    ours: dict[str, set[str]] = {}
    for config in samspill_apps():
        po_path = catalogue(config)
        if not po_path.exists():
            continue
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="nb"):
                if isinstance(message.id, str) and message.id and not message.context:
                    ours.setdefault(message.id, set()).add(message.string)
    with translation.override("nb"):
        overridden = {
            msgid: translation.gettext(msgid)
            for msgid, strings in ours.items()
            if translation.gettext(msgid) not in strings
        }
    assert overridden == {}, "a framework catalogue overrides Samspill's Norwegian"


def test_a_msgid_means_one_thing_in_every_catalogue():
    """Django merges all catalogues into one: a msgid translated two ways shows the first
    app's words everywhere ("Order" as a stage's position would turn sales orders into
    "Rekkefølge"). Different meanings need a context (pgettext); same meanings one wording."""
    translations: dict[str, dict[str, list[str]]] = {}
    for config in samspill_apps():
        po_path = catalogue(config)
        if not po_path.exists():
            continue
        with po_path.open("rb") as handle:
            for message in read_po(handle, locale="nb"):
                if isinstance(message.id, str) and message.id and not message.context:
                    translations.setdefault(message.id, {}).setdefault(message.string, []).append(
                        config.label
                    )
    conflicts = {msgid: ways for msgid, ways in translations.items() if len(ways) > 1}
    assert conflicts == {}
