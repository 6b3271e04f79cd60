"""The History panel (platform/history.html) as people read it: field names translated,
choices by their label, related records by name, Yes/No, dates in the user's format, clear
"Created"/"Changed"/"Deleted", and a fixed number of queries however many entries."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from samspill.parties import services
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.history import readable
from samspill.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def text(html: str) -> str:
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


@pytest.fixture
def party(make_user):
    owner = make_user("sales", username="kari", first_name="Kari", last_name="Nordmann")
    actor = make_user("sales", username="ola")
    party = services.create_organization(actor=actor, name="Fjordline Handel AS", owner=None)
    services.update_party(
        actor=actor,
        party=party,
        name="Fjordline Handel ASA",
        language=Party.Language.EN,
        owner=owner,
        website="https://fjordline.example",
        roles=["customer"],
    )
    return party


def history_panel(login, user, party, language):
    user.language = language
    user.save(update_fields=["language"])
    page = login(user).get(party.get_absolute_url()).content.decode()
    start = page.index('id="history"')
    return text(page[start : page.index("</section>", start)])


def test_changes_read_as_people_say_them_in_english(login, make_user, party):
    panel = history_panel(login, make_user("sales", username="reader"), party, "en")
    assert "Changed" in panel and "Created" in panel
    assert "Name Fjordline Handel AS → Fjordline Handel ASA" in panel
    assert "Language Norwegian Bokmål → English" in panel  # choice labels, not "nb"/"en"
    assert "Customer No → Yes" in panel
    assert "Owner Kari Nordmann (was empty)" in panel  # the user's name, not an id
    assert "Website https://fjordline.example (was empty)" in panel
    assert "— →" not in panel and "None" not in panel
    assert "· System" in panel  # the channel's name, not "system"
    created = panel[panel.index("Created") :]
    assert "Name Fjordline Handel AS" in created and "Partner No" not in created


def test_the_panel_speaks_norwegian(login, make_user, party):
    panel = history_panel(login, make_user("sales", username="leser"), party, "nb")
    assert "Endret" in panel and "Opprettet" in panel
    assert "Navn Fjordline Handel AS → Fjordline Handel ASA" in panel
    assert "Engelsk" in panel
    assert "Kunde Nei → Ja" in panel
    assert "Kari Nordmann (var tom)" in panel


def test_readable_values_of_each_kind(make_user):
    owner = make_user("sales", username="per", first_name="Per", last_name="Berg")
    party = Party.objects.create(kind="organization", name="Lysaker Data AS")
    content_type = ContentType.objects.get_for_model(Party)
    entry = AuditEntry.objects.create(
        channel="api",
        action="update",
        content_type=content_type,
        object_id=str(party.pk),
        object_repr=str(party),
        changes={
            "kind": ["person", "organization"],
            "owner": [None, owner.pk],
            "is_active": [True, False],
            "created_at": [None, "2026-03-05T14:30:00+00:00"],
            "merged_into": [999_999, None],  # a record that no longer exists
            "tags": [["VIP"], ["VIP", "Partner"]],  # stored as names
            "contact points": [None, ["post@lysaker.example"]],
            "notes": ["", "Ring etter kl. 10"],
        },
    )
    with translation.override("en"):
        (row,) = readable([entry])
        changes = {c.label: (c.before, c.after, c.kind) for c in row.changes}
    assert row.channel_label == "API" and row.action_label == "Changed"
    assert changes["Kind"] == ("Person", "Organization", "changed")
    assert changes["Owner"][1:] == ("Per Berg", "set")
    assert changes["Active"] == ("Yes", "No", "changed")
    assert "2026" in changes["Created"][1] and "T14" not in changes["Created"][1]
    assert changes["Merged into"] == ("#999999", "", "cleared")
    assert changes["Tags"] == ("VIP", "VIP, Partner", "changed")
    assert changes["Contact points"][1] == "post@lysaker.example"
    assert changes["Notes"] == ("", "Ring etter kl. 10", "set")


def test_created_and_deleted_entries_show_only_the_values_that_mattered(make_user):
    actor = make_user("admin")
    party = Party.objects.create(kind="organization", name="Borte AS")
    audit.record("create", party, actor=actor, changes={"name": [None, "Borte AS"]})
    audit.record("delete", party, actor=actor, changes={"name": ["Borte AS", None]})
    with translation.override("en"):
        deleted, created = readable(audit.history(party))
    assert (created.action_label, deleted.action_label) == ("Created", "Deleted")
    assert created.changes[0].after == "Borte AS" and deleted.changes[0].before == "Borte AS"


def test_queries_do_not_grow_with_the_entries(make_user, django_assert_max_num_queries):
    owners = [make_user("sales") for _ in range(5)]
    party = Party.objects.create(kind="organization", name="Mange Endringer AS")
    for owner in owners[:2]:
        audit.record(
            "update", party, changes={"owner": [None, owner.pk], "kind": ["person", "organization"]}
        )
    with django_assert_max_num_queries(2):  # the entries, the owners
        few = readable(audit.history(party))
    for owner in owners[2:]:
        audit.record("update", party, changes={"owner": [owners[0].pk, owner.pk]})
    with django_assert_max_num_queries(2):
        many = readable(audit.history(party))
    assert len(few) == 2 and len(many) == 5
    assert many[0].changes[0].after == str(owners[-1])
