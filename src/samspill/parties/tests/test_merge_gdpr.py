"""Merging duplicates and the GDPR export / erasure."""

import json

import pytest
from django.apps import apps
from django.db import models

from samspill.parties import services
from samspill.parties.models import Address, Consent, ContactPoint, Party, Relation
from samspill.parties.tests.factories import (
    AddressFactory,
    ConsentFactory,
    ContactPointFactory,
    OrganizationFactory,
    PersonFactory,
    RelationFactory,
    TagFactory,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def boss(make_user):
    return make_user("management")


def test_merge_moves_everything_and_leaves_a_tombstone(boss, emitted):
    survivor = OrganizationFactory(name="Fjord AS", orgnr="", website="")
    duplicate = OrganizationFactory(
        name="Fjord A/S",
        orgnr="923609016",
        website="https://fjord.example.no",
        notes="Old notes",
        is_supplier=True,
    )
    vip, news = TagFactory(name="VIP"), TagFactory(name="News")
    survivor.tags.add(vip)
    duplicate.tags.add(vip, news)
    ContactPointFactory(party=survivor, value="post@fjord.no", normalized="post@fjord.no")
    ContactPointFactory(party=duplicate, value="POST@fjord.no", normalized="post@fjord.no")
    moved_point = ContactPointFactory(
        party=duplicate, value="salg@fjord.no", normalized="salg@fjord.no", is_primary=False
    )
    moved_primary = ContactPointFactory(
        party=duplicate, kind="phone", value="41234567", normalized="+4741234567"
    )
    AddressFactory(party=survivor, line1="Storgata 1")
    AddressFactory(party=duplicate, line1="storgata 1")  # the same address: dropped
    moved_address = AddressFactory(party=duplicate, line1="Sjøgata 2", kind="postal")
    shared_person = PersonFactory()
    RelationFactory(person=shared_person, organization=survivor, is_primary=True)
    RelationFactory(person=shared_person, organization=duplicate)
    moved_relation = RelationFactory(organization=duplicate, is_primary=True)
    consent = ConsentFactory(party=duplicate)
    older_tombstone = OrganizationFactory(merged_into=duplicate, is_active=False)

    result = services.merge_parties(actor=boss, survivor=survivor, duplicate=duplicate)

    survivor.refresh_from_db()
    duplicate.refresh_from_db()
    assert result == survivor
    # empty fields filled, roles combined, tags united
    assert (survivor.orgnr, survivor.website, survivor.notes) == (
        "923609016",
        "https://fjord.example.no",
        "Old notes",
    )
    assert survivor.is_supplier
    assert sorted(t.name for t in survivor.tags.all()) == ["News", "VIP"]
    # rows moved, duplicates dropped, primary flags kept unique
    assert set(survivor.contact_points.values_list("normalized", flat=True)) == {
        "post@fjord.no",
        "salg@fjord.no",
        "+4741234567",
    }
    moved_point.refresh_from_db()
    moved_primary.refresh_from_db()
    assert moved_point.party == survivor
    assert moved_primary.is_primary  # the survivor had no primary phone
    assert survivor.addresses.count() == 2
    moved_address.refresh_from_db()
    assert moved_address.party == survivor
    moved_relation.refresh_from_db()
    assert (moved_relation.organization, moved_relation.is_primary) == (survivor, False)
    assert Relation.objects.filter(person=shared_person).count() == 1
    consent.refresh_from_db()
    assert consent.party == survivor
    # tombstone
    assert (duplicate.merged_into, duplicate.is_active) == (survivor, False)
    assert not duplicate.contact_points.exists() and not duplicate.addresses.exists()
    older_tombstone.refresh_from_db()
    assert older_tombstone.merged_into == survivor
    # exactly one event naming both, audit on both
    assert emitted() == [
        ("parties.party.merged", {"survivor_id": survivor.pk, "duplicate_id": duplicate.pk})
    ]
    event = OutboxEvent.objects.get(type="parties.party.merged")
    assert sorted(event.subjects["party"]) == sorted([str(survivor.pk), str(duplicate.pk)])
    survivor_entry = audit.history(survivor).get()
    assert survivor_entry.action == "merge"
    assert survivor_entry.changes["orgnr"] == ["", "923609016"]
    assert survivor_entry.changes["moved contact points"] == [None, 2]
    duplicate_entry = audit.history(duplicate).get()
    assert duplicate_entry.changes["is_active"] == [True, False]


def test_merge_persons(boss):
    survivor = PersonFactory(first_name="", last_name="Hansen")
    duplicate = PersonFactory(first_name="Ola", last_name="Hansen")
    org = OrganizationFactory()
    RelationFactory(person=duplicate, organization=org, title="CEO")
    services.merge_parties(actor=boss, survivor=survivor, duplicate=duplicate)
    survivor.refresh_from_db()
    assert survivor.name == "Ola Hansen"
    assert Relation.objects.get().person == survivor


@pytest.mark.parametrize("case", ["self", "kinds", "merged"])
def test_merge_refusals_write_nothing(boss, case):
    org = OrganizationFactory()
    other = {
        "self": org,
        "kinds": PersonFactory(),
        "merged": OrganizationFactory(merged_into=OrganizationFactory(), is_active=False),
    }[case]
    before = (AuditEntry.objects.count(), OutboxEvent.objects.count())
    with pytest.raises((ValidationFailed, Conflict)):
        services.merge_parties(actor=boss, survivor=org, duplicate=other)
    assert (AuditEntry.objects.count(), OutboxEvent.objects.count()) == before
    assert Party.objects.filter(merged_into=org).count() == 0


def test_merge_handlers_of_other_domains_run_inside_the_transaction(boss):
    calls = []

    def handler(survivor, duplicate, actor):
        calls.append((survivor.pk, duplicate.pk, actor))
        raise ValidationFailed("refused by another domain")

    services.register_merge_handler(handler, app_label="tests")
    try:
        a, b = OrganizationFactory(), OrganizationFactory()
        ContactPointFactory(party=b)
        with pytest.raises(ValidationFailed):
            services.merge_parties(actor=boss, survivor=a, duplicate=b)
    finally:
        services._merge_handlers[:] = [h for h in services._merge_handlers if h[1] is not handler]
    assert calls == [(a.pk, b.pk, boss)]
    b.refresh_from_db()
    assert b.merged_into is None and b.contact_points.count() == 1  # rolled back


def test_every_foreign_key_to_party_outside_parties_has_a_merge_handler():
    """Meta-test: a domain with a relation to Party must register_merge_handler()."""
    handled = services.merge_handler_apps()
    missing = sorted(
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label != "parties"
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
        and not field.auto_created
        and field.related_model is Party
        and model._meta.app_label not in handled
    )
    assert missing == [], f"relations to Party without a merge handler: {missing}"


# --- GDPR --------------------------------------------------------------------------------


def test_export_personal_data_holds_everything_and_is_audited(legal, make_user):
    sales = make_user("sales")
    org = OrganizationFactory(name="Vik AS")
    person = services.create_person(
        actor=sales,
        first_name="Kari",
        last_name="Nordmann",
        organization=org,
        title="CFO",
        contact_points=[{"kind": "email", "value": "kari@vik.no"}],
        addresses=[{"line1": "Hjemmeveien 1", "postal_code": "5003", "city": "Bergen"}],
        tags=["VIP"],
        notes="Likes coffee",
    )
    services.record_consent(
        actor=sales, party=person, channel="email", granted=True, source="web form"
    )

    data = services.export_personal_data(actor=legal, party=person)

    json.dumps(data)  # JSON-able
    assert data["party"]["first_name"] == "Kari"
    assert data["party"]["notes"] == "Likes coffee"
    assert data["party"]["tags"] == ["VIP"]
    assert data["contact_points"][0]["normalized"] == "kari@vik.no"
    assert data["addresses"][0]["city"] == "Bergen"
    assert data["relations"][0]["organization"] == "Vik AS"
    assert data["consents"][0]["granted"] is True
    assert {e["action"] for e in data["history"]} >= {"create", "update"}
    assert [e["type"] for e in data["timeline"]] == [
        "parties.consent.recorded",
        "parties.contact.linked",
        "parties.party.created",
    ]
    export = audit.history(person).first()
    assert (export.action, export.actor) == ("export", legal)


def test_erase_person_anonymises_and_keeps_the_row(legal, make_user, emitted):
    sales = make_user("sales")
    org = OrganizationFactory()
    person = services.create_person(
        actor=sales,
        first_name="Kari",
        last_name="Nordmann",
        organization=org,
        contact_points=[{"kind": "phone", "value": "41234567"}],
        addresses=[{"line1": "Hjemmeveien 1"}],
        tags=["VIP"],
        notes="Private",
    )
    services.record_consent(
        actor=sales, party=person, channel="email", granted=True, source="web form"
    )
    services.record_consent(
        actor=sales, party=person, channel="sms", granted=False, source="manual"
    )
    tombstone = PersonFactory(
        first_name="Kari", last_name="N.", merged_into=person, is_active=False
    )
    ContactPointFactory(party=tombstone)
    emitted_before = len(emitted())

    services.erase_person(actor=legal, party=person)

    person.refresh_from_db()
    assert person.name == "Erased person"
    assert (person.first_name, person.last_name, person.notes) == ("", "", "")
    assert person.erased_at is not None and not person.is_active
    assert str(person) in ("Erased person", "Slettet person")
    assert not person.tags.exists()
    assert not ContactPoint.objects.filter(party__in=[person, tombstone]).exists()
    assert not Address.objects.filter(party=person).exists()
    assert not Relation.objects.exists()
    tombstone.refresh_from_db()
    assert tombstone.name == "Erased person" and tombstone.erased_at
    # the consent history stays, and the still-granted email consent is withdrawn
    rows = list(
        Consent.objects.filter(party=person)
        .order_by("recorded_at", "id")
        .values_list("channel", "granted", "source")
    )
    assert rows == [
        ("email", True, "web form"),
        ("sms", False, "manual"),
        ("email", False, "erasure"),
    ]
    assert emitted()[emitted_before:] == [("parties.party.erased", {"party_id": person.pk})]
    entry = audit.history(person).first()
    assert entry.action == "erase"
    assert "Kari" not in json.dumps(entry.changes)
    with pytest.raises(Conflict):
        services.erase_person(actor=legal, party=person)
    with pytest.raises(Conflict):
        services.update_party(actor=sales, party=person, first_name="Kari")


def test_erasing_an_organization_is_refused(legal):
    org = OrganizationFactory(name="Keep AS")
    with pytest.raises(Conflict) as info:
        services.erase_person(actor=legal, party=org)
    assert info.value.code == "not_a_person"
    assert "organization" in str(info.value.message).lower()
    org.refresh_from_db()
    assert org.name == "Keep AS"
    assert not AuditEntry.objects.exists()


def test_erasure_handlers_and_personal_data_providers(legal):
    seen = []

    def on_erase(party, actor):
        seen.append(party.pk)

    services.register_erasure_handler(on_erase, app_label="tests")
    services.register_personal_data_provider("tests", lambda party: {"orders": [1, 2]})
    try:
        person = PersonFactory()
        assert services.export_personal_data(actor=legal, party=person)["tests"] == {
            "orders": [1, 2]
        }
        services.erase_person(actor=legal, party=person)
    finally:
        services._erasure_handlers[:] = [
            h for h in services._erasure_handlers if h[1] is not on_erase
        ]
        services._personal_data_providers.pop("tests")
    assert seen == [person.pk]
