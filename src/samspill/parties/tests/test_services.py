"""Commands of the parties domain: validation writes nothing, exact events, audit."""

import pytest
from django.db import transaction
from django.utils import translation

from samspill.parties import events, services
from samspill.parties.models import Address, Consent, ContactPoint, Party, Relation, Tag
from samspill.parties.tests.factories import (
    AddressFactory,
    ContactPointFactory,
    OrganizationFactory,
    PersonFactory,
    RelationFactory,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.events import publish, summarize
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Party, Address, ContactPoint, Relation, Consent, Tag, AuditEntry, OutboxEvent)
    }


# --- create ------------------------------------------------------------------------------


def test_create_organization_writes_everything_and_publishes_one_event(sales, emitted):
    org = services.create_organization(
        actor=sales,
        name="  Fjordkraft Demo AS ",
        orgnr="923 609 016",
        website="fjordkraft.example.no",
        roles=["customer", "prospect"],
        tags=["VIP", "Reseller"],
        contact_points=[
            {"kind": "email", "value": "Post@Fjordkraft.example.NO"},
            {"kind": "phone", "value": "412 34 567"},
            {"kind": "phone", "value": "+46 8 123 456 78"},
        ],
        addresses=[
            {"kind": "visiting", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo"}
        ],
    )

    org.refresh_from_db()
    assert org.name == "Fjordkraft Demo AS"
    assert org.orgnr == "923609016"
    assert org.website == "https://fjordkraft.example.no"
    assert org.roles == ["prospect", "customer"]
    assert sorted(t.name for t in org.tags.all()) == ["Reseller", "VIP"]
    points = list(org.contact_points.order_by("id").values_list("normalized", "is_primary"))
    assert points == [
        ("post@fjordkraft.example.no", True),
        ("+4741234567", True),
        ("+46812345678", False),
    ]
    assert org.addresses.get().city == "Oslo"
    assert emitted() == [
        (
            "parties.party.created",
            {
                "party_id": org.pk,
                "kind": "organization",
                "name": "Fjordkraft Demo AS",
                "roles": ["prospect", "customer"],
            },
        )
    ]
    entry = audit.history(org).get()
    assert entry.action == "create"
    assert entry.actor == sales
    assert entry.changes["orgnr"] == [None, "923609016"]
    assert entry.changes["tags"] == [None, ["Reseller", "VIP"]]
    # the new tags are audited on their own record too
    assert AuditEntry.objects.filter(action="create", object_repr="VIP").exists()


def test_create_person_with_organization_links_in_one_step(sales, emitted):
    org = OrganizationFactory()
    person = services.create_person(
        actor=sales,
        first_name="Kari",
        last_name="Nordmann",
        organization=org,
        title="Daglig leder",
        is_primary_contact=True,
        contact_points=[{"kind": "email", "value": "kari@example.no"}],
    )
    assert person.name == "Kari Nordmann"
    relation = Relation.objects.get()
    assert (relation.person, relation.organization, relation.title, relation.is_primary) == (
        person,
        org,
        "Daglig leder",
        True,
    )
    assert emitted() == [
        (
            "parties.party.created",
            {"party_id": person.pk, "kind": "person", "name": "", "roles": []},
        ),
        (
            "parties.contact.linked",
            {"relation_id": relation.pk, "person_id": person.pk, "organization_id": org.pk},
        ),
    ]
    linked = OutboxEvent.objects.get(type="parties.contact.linked")
    assert linked.subjects == {"party": [str(person.pk), str(org.pk)]}


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": "X AS", "orgnr": "923609017"}, {"orgnr"}),
        ({"name": "X AS", "orgnr": "12345"}, {"orgnr"}),
        ({"name": ""}, {"name"}),
        ({"name": "X AS", "website": "not a url"}, {"website"}),
        (
            {"name": "X AS", "contact_points": [{"kind": "email", "value": "nope"}]},
            {"contact_points.0.value"},
        ),
        (
            {"name": "X AS", "contact_points": [{"kind": "phone", "value": "123"}]},
            {"contact_points.0.value"},
        ),
        (
            {"name": "X AS", "contact_points": [{"kind": "fax", "value": "123"}]},
            {"contact_points.0.kind"},
        ),
        (
            {"name": "X AS", "addresses": [{"line1": "", "postal_code": "12"}]},
            {"addresses.0.line1", "addresses.0.postal_code"},
        ),
        (
            {"name": "X AS", "addresses": [{"line1": "Vei 1", "country": "XX"}]},
            {"addresses.0.country"},
        ),
        ({"name": "X AS", "roles": ["boss"]}, {"roles"}),
        ({"name": "X AS", "language": "de"}, {"language"}),
    ],
)
def test_invalid_input_writes_nothing(sales, data, errors):
    before = counts()
    with pytest.raises(ValidationFailed) as info:
        services.create_organization(actor=sales, **data)
    assert set(info.value.errors) == errors
    assert info.value.status == 422
    assert counts() == before


def test_person_needs_a_name_and_no_orgnr(sales):
    before = counts()
    with pytest.raises(ValidationFailed) as info:
        services.create_person(actor=sales, first_name=" ", last_name="")
    assert set(info.value.errors) == {"first_name"}
    with pytest.raises(ValidationFailed) as info:
        services.create_person(actor=sales, first_name="Ola", organization=PersonFactory())
    assert set(info.value.errors) == {"organization"}
    assert counts() == {**before, "Party": before["Party"] + 1}  # only the factory's person


def test_the_same_email_twice_in_one_request_is_refused(sales):
    with pytest.raises(ValidationFailed) as info:
        services.create_person(
            actor=sales,
            first_name="Ola",
            contact_points=[
                {"kind": "email", "value": "a@example.no"},
                {"kind": "email", "value": "A@example.no"},
            ],
        )
    assert set(info.value.errors) == {"contact_points.1.value"}
    assert not Party.objects.exists()


def test_duplicates_raise_409_with_candidates_unless_forced(sales, emitted):
    org = OrganizationFactory(name="Havbris AS", orgnr="923609016")
    person = PersonFactory()
    ContactPointFactory(party=person, value="ola@example.no", normalized="ola@example.no")
    ContactPointFactory(party=person, kind="phone", value="41234567", normalized="+4741234567")
    before = counts()

    with pytest.raises(services.DuplicateParty) as info:
        services.create_organization(actor=sales, name="Other AS", orgnr="923609016")
    assert info.value.status == 409
    assert info.value.code == "duplicate_party"
    assert info.value.candidates == [org]
    assert info.value.extra["candidates"][0]["id"] == org.pk

    with pytest.raises(services.DuplicateParty) as info:
        services.create_organization(actor=sales, name="havbris as")
    assert info.value.candidates == [org]

    for contact in (
        {"kind": "email", "value": "OLA@example.no"},
        {"kind": "phone", "value": "+47 412 34 567"},
    ):
        with pytest.raises(services.DuplicateParty) as info:
            services.create_person(actor=sales, first_name="Ola", contact_points=[contact])
        assert info.value.candidates == [person]
    assert counts() == before

    forced = services.create_person(
        actor=sales,
        first_name="Ola",
        force=True,
        contact_points=[{"kind": "email", "value": "ola@example.no"}],
    )
    assert forced.contact_points.get().normalized == "ola@example.no"
    assert [e[0] for e in emitted()] == ["parties.party.created"]


def test_forced_create_still_refuses_a_taken_orgnr(sales):
    OrganizationFactory(orgnr="923609016")
    before = counts()
    with pytest.raises(ValidationFailed) as info:
        services.create_organization(actor=sales, name="Copy AS", orgnr="923609016", force=True)
    assert info.value.errors == {
        "orgnr": ["An organization with this organization number already exists."]
    }
    assert counts() == before


def test_find_duplicates_ignores_merged_erased_and_invalid_values():
    org = OrganizationFactory(orgnr="923609016")
    tombstone = OrganizationFactory(orgnr="", merged_into=org, is_active=False)
    ContactPointFactory(party=tombstone, value="x@example.no", normalized="x@example.no")
    assert services.find_duplicates(orgnr="923 609 016") == [org]
    assert services.find_duplicates(orgnr="923609016", exclude=org) == []
    assert services.find_duplicates(emails=["x@example.no"]) == []
    assert services.find_duplicates(orgnr="bogus", emails=["bogus"], phones=["1"]) == []


# --- permissions -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["hr", "it", "legal"])
def test_roles_without_add_cannot_create(make_user, role):
    user = make_user(role)
    with pytest.raises(PermissionDenied):
        services.create_organization(actor=user, name="Nope AS")
    assert not Party.objects.exists()


def test_merge_erase_export_need_their_own_permissions(sales, make_user):
    a, b = OrganizationFactory(), OrganizationFactory()
    person = PersonFactory()
    service_user = make_user("service")
    with pytest.raises(PermissionDenied):
        services.merge_parties(actor=service_user, survivor=a, duplicate=b)
    with pytest.raises(PermissionDenied):
        services.erase_person(actor=sales, party=person)
    with pytest.raises(PermissionDenied):
        services.export_personal_data(actor=sales, party=person)
    assert not OutboxEvent.objects.exists()
    assert not AuditEntry.objects.exists()


# --- update ------------------------------------------------------------------------------


def test_update_party_lists_changed_fields_and_audits_before_after(sales, emitted):
    org = OrganizationFactory(name="Old AS", orgnr="923609016")
    services.update_party(
        actor=sales, party=org, name="New AS", orgnr="923609016", roles=["supplier"], tags=["VIP"]
    )
    org.refresh_from_db()
    assert (org.name, org.is_supplier, [t.name for t in org.tags.all()]) == (
        "New AS",
        True,
        ["VIP"],
    )
    assert emitted() == [
        ("parties.party.updated", {"party_id": org.pk, "fields": ["is_supplier", "name", "tags"]})
    ]
    entry = audit.history(org).get()
    assert entry.changes == {
        "is_supplier": [False, True],
        "name": ["Old AS", "New AS"],
        "tags": [[], ["VIP"]],
    }


def test_update_without_change_publishes_nothing(sales, emitted):
    org = OrganizationFactory(name="Same AS")
    services.update_party(actor=sales, party=org, name="Same AS", roles=[])
    assert emitted() == []
    assert not AuditEntry.objects.exists()


def test_update_person_name_is_kept_in_sync(sales):
    person = PersonFactory(first_name="Ola", last_name="Nordmann")
    services.update_party(actor=sales, party=person, last_name="Hansen")
    person.refresh_from_db()
    assert person.name == "Ola Hansen"


def test_update_rejects_bad_values_and_writes_nothing(sales):
    org = OrganizationFactory(name="Keep AS")
    person = PersonFactory()
    before = counts()
    with pytest.raises(ValidationFailed) as info:
        services.update_party(actor=sales, party=org, name="", orgnr="111")
    assert set(info.value.errors) == {"name", "orgnr"}
    with pytest.raises(ValidationFailed) as info:
        services.update_party(actor=sales, party=person, orgnr="923609016")
    assert set(info.value.errors) == {"orgnr"}
    org.refresh_from_db()
    assert org.name == "Keep AS"
    assert counts() == before


def test_set_roles_and_tags(sales, emitted):
    org = OrganizationFactory()
    services.set_roles(actor=sales, party=org, roles=["customer", "partner"])
    services.set_tags(actor=sales, party=org, tags=["Newsletter"])
    org.refresh_from_db()
    assert org.roles == ["customer", "partner"]
    assert [e[1]["fields"] for e in emitted()] == [["is_customer", "is_partner"], ["tags"]]


def test_merged_or_erased_parties_cannot_be_changed(sales):
    survivor = OrganizationFactory()
    tombstone = OrganizationFactory(merged_into=survivor, is_active=False)
    with pytest.raises(Conflict) as info:
        services.update_party(actor=sales, party=tombstone, name="X")
    assert info.value.code == "party_merged"


# --- addresses, contact points, relations, consents --------------------------------------


def test_address_lifecycle(sales, emitted):
    org = OrganizationFactory()
    address = services.add_address(
        actor=sales, party=org, kind="postal", line1="Postboks 1", postal_code="0101", city="Oslo"
    )
    services.update_address(actor=sales, address=address, city="OSLO", kind="invoice")
    address.refresh_from_db()
    assert (address.kind, address.city) == ("invoice", "OSLO")
    with pytest.raises(ValidationFailed) as info:
        services.update_address(actor=sales, address=address, postal_code="ABC")
    assert set(info.value.errors) == {"postal_code"}
    services.remove_address(actor=sales, address=address)
    assert not Address.objects.exists()
    assert [e for e in emitted()] == [
        ("parties.party.updated", {"party_id": org.pk, "fields": ["addresses"]})
    ] * 3
    assert [list(e.changes) for e in audit.history(org)] == [["addresses"]] * 3


def test_foreign_postal_codes_are_free_text(sales):
    org = OrganizationFactory()
    address = services.add_address(
        actor=sales, party=org, line1="Drottninggatan 1", postal_code="111 51", country="se"
    )
    assert address.country == "SE"


def test_contact_points_primary_rules(sales, emitted):
    person = PersonFactory()
    first = services.add_contact_point(actor=sales, party=person, kind="email", value="a@x.no")
    second = services.add_contact_point(actor=sales, party=person, kind="email", value="b@x.no")
    assert (first.is_primary, second.is_primary) == (True, False)
    services.update_contact_point(actor=sales, point=second, is_primary=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)
    services.remove_contact_point(actor=sales, point=second)
    first.refresh_from_db()
    assert first.is_primary  # promoted
    with pytest.raises(ValidationFailed) as info:
        services.add_contact_point(actor=sales, party=person, kind="email", value="A@X.NO")
    assert info.value.errors == {"value": ["This party already has this email or phone number."]}
    assert ContactPoint.objects.count() == 1
    assert len(emitted()) == 4


def test_invalid_phone_is_a_field_error(sales):
    person = PersonFactory()
    with pytest.raises(ValidationFailed) as info:
        services.add_contact_point(actor=sales, party=person, kind="phone", value="12")
    assert info.value.errors == {"value": ["Enter a valid phone number."]}
    assert not ContactPoint.objects.exists()


def test_link_and_unlink_contact(sales, emitted):
    org, person = OrganizationFactory(), PersonFactory()
    relation = services.link_contact(actor=sales, person=person, organization=org, title="CFO")
    with pytest.raises(Conflict):
        services.link_contact(actor=sales, person=person, organization=org)
    with pytest.raises(ValidationFailed) as info:
        services.link_contact(actor=sales, person=org, organization=person)
    assert set(info.value.errors) == {"person", "organization"}
    services.update_relation(actor=sales, relation=relation, is_primary=True)
    relation.refresh_from_db()
    assert relation.is_primary
    services.unlink_contact(actor=sales, relation=relation)
    assert not Relation.objects.exists()
    assert [e[0] for e in emitted()] == [
        "parties.contact.linked",
        "parties.party.updated",
        "parties.contact.unlinked",
    ]


def test_primary_contact_moves(sales):
    org = OrganizationFactory()
    first = RelationFactory(organization=org, is_primary=True)
    second = services.link_contact(
        actor=sales, person=PersonFactory(), organization=org, is_primary=True
    )
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_consent_history_is_append_only_and_latest_wins(make_user, emitted):
    marketing = make_user("marketing")
    person = PersonFactory()
    services.record_consent(
        actor=marketing, party=person, channel="email", granted=True, source="web form"
    )
    services.record_consent(
        actor=marketing, party=person, channel="email", granted=False, source="manual"
    )
    from samspill.parties.queries import current_consents, has_consent

    current = current_consents(person)
    assert current["email"].granted is False
    assert current["sms"] is None
    assert not has_consent(person, "email")
    assert Consent.objects.count() == 2
    row = Consent.objects.first()
    with pytest.raises(ValueError):
        row.save()
    types = [(e[0], e[1]["granted"]) for e in emitted()]
    assert types == [("parties.consent.recorded", True), ("parties.consent.recorded", False)]
    with pytest.raises(ValidationFailed) as info:
        services.record_consent(
            actor=marketing, party=person, channel="fax", granted=True, source=""
        )
    assert set(info.value.errors) == {"channel", "source"}
    assert Consent.objects.count() == 2


def test_event_summaries_are_readable_in_both_languages():
    org = OrganizationFactory(name="Tind AS")
    with transaction.atomic():
        created = publish(events.PartyCreated(party_id=org.pk, kind="organization", name="Tind AS"))
        person = publish(events.PartyCreated(party_id=org.pk, kind="person"))
        updated = publish(events.PartyUpdated(party_id=org.pk, fields=["name", "contact points"]))
        consent = publish(
            events.ConsentRecorded(
                party_id=org.pk, consent_id=1, channel="sms", granted=False, source="manual"
            )
        )
    with translation.override("en"):
        assert summarize(created) == "Organization “Tind AS” was created"
        assert summarize(person) == "The person was created"
        assert summarize(updated) == "Changed: name, contact points"
        assert summarize(consent) == "Consent to contact by sms was withdrawn (manual)"
    with translation.override("nb"):
        assert summarize(created) == "Organisasjonen «Tind AS» ble opprettet"
        assert summarize(updated) == "Endret: navn, kontaktpunkter"


def test_audit_factories_smoke():
    # factories build valid rows (they are used across the suite)
    AddressFactory()
    assert Party.objects.count() == 1
