"""/api/v1/parties: CRUD, sub-resources, problem+json errors, pagination, query budget."""

import json

import pytest

from samspill.parties.models import Address, Consent, ContactPoint, Party, Relation
from samspill.parties.tests.factories import (
    AddressFactory,
    ContactPointFactory,
    OrganizationFactory,
    PersonFactory,
    RelationFactory,
    TagFactory,
)
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db

BASE = "/api/v1/parties"


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def rows():
    return (
        Party.objects.count(),
        ContactPoint.objects.count(),
        Address.objects.count(),
        Relation.objects.count(),
        AuditEntry.objects.count(),
        OutboxEvent.objects.count(),
    )


@pytest.fixture
def client(api, sales):
    return api(sales)


def test_create_organization_with_nested_rows(client):
    response = post(
        client,
        BASE,
        {
            "kind": "organization",
            "name": "Tind AS",
            "orgnr": "923 609 016",
            "roles": ["customer"],
            "tags": ["VIP"],
            "contact_points": [
                {"kind": "email", "value": "post@tind.no"},
                {"kind": "phone", "value": "41234567", "label": "sentralbord"},
            ],
            "addresses": [
                {"kind": "visiting", "line1": "Storgata 1", "postal_code": "0155", "city": "Oslo"}
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["orgnr"] == "923609016"
    assert body["roles"] == ["customer"]
    assert body["tags"] == ["VIP"]
    assert body["primary_email"] == "post@tind.no"
    assert body["primary_phone"] == "41234567"
    assert body["city"] == "Oslo"
    assert [p["normalized"] for p in body["contact_points"]] == ["post@tind.no", "+4741234567"]
    assert body["url"] == f"/parties/{body['id']}/"
    assert OutboxEvent.objects.get(type="parties.party.created").channel == "api"


def test_create_person_linked_to_organization(client):
    org = OrganizationFactory()
    response = post(
        client,
        BASE,
        {
            "kind": "person",
            "first_name": "Ola",
            "last_name": "Nordmann",
            "organization_id": org.pk,
            "title": "CEO",
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "Ola Nordmann"
    assert body["relations"][0]["organization_id"] == org.pk
    assert body["relations"][0]["title"] == "CEO"


def test_422_problem_with_field_errors_writes_nothing(client):
    before = rows()
    response = post(
        client,
        BASE,
        {
            "kind": "organization",
            "name": "Bad AS",
            "orgnr": "923609017",
            "contact_points": [
                {"kind": "email", "value": "not-an-email"},
                {"kind": "phone", "value": "12"},
            ],
        },
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_failed"
    assert body["status"] == 422
    assert set(body["errors"]) == {"orgnr", "contact_points.0.value", "contact_points.1.value"}
    assert rows() == before


def test_422_for_schema_errors(client):
    response = post(client, BASE, {"kind": "robot", "name": "X"})
    assert response.status_code == 422
    assert "kind" in response.json()["errors"]


def test_409_duplicate_lists_candidates_and_force_creates(client):
    existing = OrganizationFactory(name="Havbris AS", orgnr="923609016")
    ContactPointFactory(party=existing, value="post@havbris.no", normalized="post@havbris.no")
    before = rows()
    payload = {
        "kind": "organization",
        "name": "Havbris Nord AS",
        "contact_points": [{"kind": "email", "value": "POST@havbris.no"}],
    }
    response = post(client, BASE, payload)
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "duplicate_party"
    assert body["type"].endswith("/duplicate_party")
    assert body["instance"] == BASE
    assert body["candidates"] == [
        {
            "id": existing.pk,
            "kind": "organization",
            "name": "Havbris AS",
            "orgnr": "923609016",
            "url": f"/parties/{existing.pk}/",
        }
    ]
    assert rows() == before
    response = post(client, BASE, {**payload, "force": True})
    assert response.status_code == 201


def test_get_patch_and_404(client):
    org = OrganizationFactory(name="Old AS")
    response = client.get(f"{BASE}/{org.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Old AS"

    response = patch(client, f"{BASE}/{org.pk}", {"name": "New AS", "roles": ["supplier"]})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["roles"]) == ("New AS", ["supplier"])

    response = client.get(f"{BASE}/999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"
    assert patch(client, f"{BASE}/999999", {"name": "X"}).status_code == 404


def test_patch_invalid_is_422_and_unchanged(client):
    org = OrganizationFactory(name="Keep AS")
    before = rows()
    response = patch(client, f"{BASE}/{org.pk}", {"name": "", "orgnr": "1"})
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"name", "orgnr"}
    org.refresh_from_db()
    assert org.name == "Keep AS"
    assert rows() == before


def test_403_for_roles_without_permission(api, make_user):
    org = OrganizationFactory()
    nobody = api(make_user())
    for response in (
        nobody.get(BASE),
        nobody.get(f"{BASE}/{org.pk}"),
        nobody.get(f"{BASE}/search?q=firma"),
    ):
        assert response.status_code == 403
        assert response.json()["code"] == "permission_denied"
    viewer = api(make_user("hr"))
    assert viewer.get(f"{BASE}/{org.pk}").status_code == 200
    before = rows()
    response = post(viewer, BASE, {"kind": "organization", "name": "No AS"})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert patch(viewer, f"{BASE}/{org.pk}", {"name": "No"}).status_code == 403
    assert post(viewer, f"{BASE}/{org.pk}/merge", {"duplicate_id": org.pk}).status_code == 403
    assert viewer.get(f"{BASE}/{org.pk}/personal-data").status_code == 403
    assert post(viewer, f"{BASE}/{org.pk}/erase", {}).status_code == 403
    assert rows() == before


def test_unauthenticated_is_401(client):
    from django.test import Client

    response = Client().get(BASE)
    assert response.status_code == 401


def test_list_filters_and_pagination(client):
    vip = TagFactory(name="VIP")
    for i in range(12):
        org = OrganizationFactory(name=f"Org {i:02}", is_customer=i % 2 == 0)
        if i < 3:
            org.tags.add(vip)
    PersonFactory(first_name="Ola", last_name="Hansen", is_active=False)

    body = client.get(f"{BASE}?page_size=5&page=2").json()
    assert body["count"] == 13
    assert [p["name"] for p in body["items"]] == ["Org 04", "Org 05", "Org 06", "Org 07", "Org 08"]
    assert client.get(f"{BASE}?kind=person").json()["count"] == 1
    assert client.get(f"{BASE}?role=customer").json()["count"] == 6
    assert client.get(f"{BASE}?tag=VIP").json()["count"] == 3
    assert client.get(f"{BASE}?active=false").json()["count"] == 1
    assert client.get(f"{BASE}?q=hansen").json()["count"] == 1
    response = client.get(f"{BASE}?role=boss")
    assert response.status_code == 422
    assert client.get(f"{BASE}?page_size=100000").status_code == 200  # capped, not refused


def test_list_query_count_does_not_grow_with_page_size(client, django_assert_max_num_queries):
    tags = [TagFactory(name=f"T{i}") for i in range(3)]
    for i in range(60):
        org = OrganizationFactory()
        org.tags.add(*tags[: i % 3])
        ContactPointFactory(party=org, value=f"p{i}@x.no", normalized=f"p{i}@x.no")
        AddressFactory(party=org)
    client.get(BASE)  # warm up (token lookup caches, content types)
    for size in (10, 50):
        with django_assert_max_num_queries(6) as captured:
            response = client.get(f"{BASE}?page_size={size}")
        assert len(response.json()["items"]) == size
        if size == 10:
            small = len(captured.captured_queries)
        else:
            assert len(captured.captured_queries) == small


def test_search_endpoint(client):
    org = OrganizationFactory(name="Nordlys Elektro AS", orgnr="923609016")
    ContactPointFactory(party=org, kind="phone", value="412 34 567", normalized="+4741234567")
    assert [p["id"] for p in client.get(f"{BASE}/search?q=nordlys").json()] == [org.pk]
    assert [p["id"] for p in client.get(f"{BASE}/search?q=923609").json()] == [org.pk]
    assert [p["id"] for p in client.get(f"{BASE}/search?q=41234567").json()] == [org.pk]
    assert client.get(f"{BASE}/search?q=zzz").json() == []


def test_address_contact_point_relation_and_consent_subresources(client):
    org, person = OrganizationFactory(), PersonFactory()
    url = f"{BASE}/{org.pk}"

    response = post(
        client, f"{url}/addresses", {"line1": "Sjøgata 1", "postal_code": "8006", "city": "Bodø"}
    )
    assert response.status_code == 201
    address_id = response.json()["id"]
    assert patch(client, f"{url}/addresses/{address_id}", {"city": "BODØ"}).json()["city"] == "BODØ"
    bad = post(client, f"{url}/addresses", {"line1": "X", "postal_code": "1"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"postal_code"}
    assert [a["id"] for a in client.get(f"{url}/addresses").json()] == [address_id]
    assert client.delete(f"{url}/addresses/{address_id}").status_code == 204

    response = post(client, f"{url}/contact-points", {"kind": "email", "value": "a@b.no"})
    assert response.status_code == 201 and response.json()["is_primary"] is True
    point_id = response.json()["id"]
    bad = post(client, f"{url}/contact-points", {"kind": "phone", "value": "abc"})
    assert bad.status_code == 422 and set(bad.json()["errors"]) == {"value"}
    assert (
        patch(client, f"{url}/contact-points/{point_id}", {"label": "work"}).json()["label"]
        == "work"
    )
    assert len(client.get(f"{url}/contact-points").json()) == 1
    assert client.delete(f"{url}/contact-points/{point_id}").status_code == 204

    response = post(client, f"{url}/relations", {"person_id": person.pk, "title": "CEO"})
    assert response.status_code == 201
    relation_id = response.json()["id"]
    assert post(client, f"{url}/relations", {"person_id": person.pk}).status_code == 409
    assert post(client, f"{url}/relations", {}).status_code == 422
    assert client.get(f"{BASE}/{person.pk}/relations").json()[0]["organization_id"] == org.pk
    assert patch(client, f"{url}/relations/{relation_id}", {"is_primary": True}).json()[
        "is_primary"
    ]
    assert client.delete(f"{url}/relations/{relation_id}").status_code == 204

    response = post(
        client,
        f"{BASE}/{person.pk}/consents",
        {"channel": "email", "granted": True, "source": "web form"},
    )
    assert response.status_code == 201
    assert client.get(f"{BASE}/{person.pk}/consents").json()[0]["granted"] is True
    assert Consent.objects.count() == 1


def test_subresource_of_another_party_is_404(client):
    a, b = OrganizationFactory(), OrganizationFactory()
    address = AddressFactory(party=b)
    relation = RelationFactory(organization=b)
    assert client.delete(f"{BASE}/{a.pk}/addresses/{address.pk}").status_code == 404
    assert client.delete(f"{BASE}/{a.pk}/relations/{relation.pk}").status_code == 404
    assert Address.objects.count() == 1 and Relation.objects.count() == 1


def test_merge_timeline_personal_data_and_erase(api, make_user):
    boss = api(make_user("management"))
    survivor = OrganizationFactory()
    duplicate = OrganizationFactory()
    response = post(boss, f"{BASE}/{survivor.pk}/merge", {"duplicate_id": duplicate.pk})
    assert response.status_code == 200
    assert response.json()["id"] == survivor.pk
    timeline = boss.get(f"{BASE}/{survivor.pk}/timeline").json()
    assert [e["type"] for e in timeline] == ["parties.party.merged"]
    assert boss.get(f"{BASE}/{survivor.pk}/timeline?domain=nosuchdomain").status_code == 422
    assert boss.get(f"{BASE}/{duplicate.pk}").status_code == 404  # tombstones are not listed
    missing = post(boss, f"{BASE}/{survivor.pk}/merge", {"duplicate_id": 999999})
    assert missing.status_code == 422

    person = PersonFactory(first_name="Kari")
    data = boss.get(f"{BASE}/{person.pk}/personal-data").json()
    assert data["party"]["first_name"] == "Kari"
    response = post(boss, f"{BASE}/{person.pk}/erase", {})
    assert response.status_code == 200
    assert response.json()["erased_at"] is not None
    again = post(boss, f"{BASE}/{person.pk}/erase", {})
    assert again.status_code == 409
    refused = post(boss, f"{BASE}/{survivor.pk}/erase", {})
    assert refused.status_code == 409
    assert refused.json()["code"] == "not_a_person"
