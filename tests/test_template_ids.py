"""Record ids in templates are written as plain digits. Django localizes numbers it renders,
and with Norwegian thousand separators the party 1014 would become "1 014" in a link or a
form value (`?party=1 014`), which breaks once a table passes a thousand rows: ids go
through `|stringformat:"s"` (as Django's own widget templates do)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATES = Path(__file__).resolve().parents[1] / "src" / "samspill"
BARE_ID = re.compile(r"\{\{ ?[a-zA-Z_][a-zA-Z0-9_.]*\.(?:pk|id|[a-z_]+_id) ?\}\}")


def test_no_template_renders_a_bare_record_id():
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in BARE_ID.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_large_id_stays_digits_in_every_language(language):
    class Row:
        pk = 1234567

    with translation.override(language):
        bare = Template("{{ row.pk }}").render(Context({"row": Row()}))
        safe = Template('{{ row.pk|stringformat:"s" }}').render(Context({"row": Row()}))
    assert safe == "1234567"
    if language == "nb":
        assert bare != "1234567"  # what the rule prevents: "1 234 567"
