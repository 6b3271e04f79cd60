"""The contacts UI: list, create, 360 view, panels, merge, GDPR, permissions, language."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from samspill.parties import services
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

LIST = "/parties/"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def ui(login, make_user):
    user = make_user("sales", language="en")
    return login(user)


def test_list_page_shows_columns_filters_and_export(ui):
    vip = TagFactory(name="VIP")
    org = OrganizationFactory(name="Nordlys AS", orgnr="923609016", is_customer=True)
    org.tags.add(vip)
    ContactPointFactory(party=org, value="post@nordlys.no", normalized="post@nordlys.no")
    AddressFactory(party=org, city="Tromsø")
    PersonFactory(first_name="Kari", last_name="Nordmann")

    page = ui.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for text in (
        "Nordlys AS",
        "923 609 016",
        "post@nordlys.no",
        "Tromsø",
        "VIP",
        "Kari Nordmann",
        "New organization",
        "New person",
    ):
        assert text in page

    fragment = ui.get(
        LIST,
        {
            "q": "nordlys",
            "kind": "organization",
            "role": "customer",
            "tag": "VIP",
            "active": "true",
        },
        HTTP_HX_REQUEST="true",
    )
    body = fragment.content.decode()
    assert "Nordlys AS" in body and "Kari Nordmann" not in body
    assert "<html" not in body  # htmx gets the table fragment only

    csv = ui.get(LIST, {"_export": "csv", "kind": "organization"})
    assert csv["Content-Disposition"].startswith('attachment; filename="contacts.csv"')
    content = csv.content.decode()
    assert "Nordlys AS" in content and "Kari" not in content
    xlsx = ui.get(LIST, {"_export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_list_page_has_an_empty_state(ui):
    page = ui.get(LIST).content.decode()
    assert "empty-state" in page
    filtered = ui.get(LIST, {"q": "nothing-like-this"}).content.decode()
    assert "empty-state" in filtered


def test_list_page_query_count_does_not_grow_with_page_size(ui, django_assert_max_num_queries):
    tags = [TagFactory(name=f"T{i}") for i in range(3)]
    for i in range(60):
        org = OrganizationFactory()
        org.tags.add(*tags[: i % 3])
        ContactPointFactory(party=org, value=f"p{i}@x.no", normalized=f"p{i}@x.no")
        AddressFactory(party=org)
    ui.get(LIST)
    counted = {}
    for size in (10, 50):
        with django_assert_max_num_queries(15) as captured:
            response = ui.get(LIST, {"per_page": size})
        assert response.content.decode().count("/parties/") >= size
        counted[size] = len(captured.captured_queries)
    assert counted[10] == counted[50]


def test_create_organization_then_contact_person(ui):
    response = ui.post(
        reverse("parties:create_organization"),
        {
            "name": "Fjelltopp AS",
            "orgnr": "923 609 016",
            "email": "post@fjelltopp.no",
            "phone": "41234567",
            "language": "nb",
            "roles": ["customer"],
            "new_tags": "VIP, Messe",
            "address_kind": "visiting",
            "line1": "Storgata 5",
            "postal_code": "0155",
            "city": "Oslo",
            "country": "NO",
        },
    )
    org = Party.objects.get(name="Fjelltopp AS")
    assert response.status_code == 302 and response["Location"] == org.get_absolute_url()
    assert org.orgnr == "923609016"
    assert sorted(t.name for t in org.tags.all()) == ["Messe", "VIP"]
    assert org.addresses.get().kind == "visiting"
    assert OutboxEvent.objects.get(type="parties.party.created").channel == "ui"

    detail = ui.get(org.get_absolute_url()).content.decode()
    assert "Add contact person" in detail
    form = ui.get(reverse("parties:create_person") + f"?organization={org.pk}").content.decode()
    assert f'<option value="{org.pk}" selected>Fjelltopp AS (923 609 016)</option>' in form

    response = ui.post(
        reverse("parties:create_person"),
        {
            "first_name": "Kari",
            "last_name": "Nordmann",
            "organization": org.pk,
            "title": "Daglig leder",
            "email": "kari@fjelltopp.no",
            "language": "nb",
            "country": "NO",
        },
    )
    person = Party.objects.get(name="Kari Nordmann")
    assert response["Location"] == person.get_absolute_url()
    assert Relation.objects.get().organization == org
    detail = ui.get(org.get_absolute_url()).content.decode()
    assert "Kari Nordmann" in detail and "Daglig leder" in detail


def test_create_form_keeps_input_and_shows_field_errors(ui):
    before = Party.objects.count()
    response = ui.post(
        reverse("parties:create_organization"),
        {
            "name": "Feil AS",
            "orgnr": "923609017",
            "email": "nope",
            "phone": "12",
            "language": "nb",
            "country": "NO",
            "postal_code": "12",
            "line1": "Vei 1",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="Feil AS"' in page
    assert "The check digit of this organization number is wrong." in page
    assert "Enter a valid email address." in page
    assert "Enter a valid phone number." in page
    assert "A Norwegian postal code has 4 digits." in page
    assert 'aria-invalid="true"' in page
    assert Party.objects.count() == before


def test_duplicate_warning_lists_candidates_and_create_anyway(ui):
    existing = OrganizationFactory(name="Havbris AS")
    ContactPointFactory(party=existing, value="post@havbris.no", normalized="post@havbris.no")
    data = {
        "name": "Havbris Nord AS",
        "email": "post@havbris.no",
        "language": "nb",
        "country": "NO",
    }
    response = ui.post(reverse("parties:create_organization"), data)
    page = response.content.decode()
    assert "Similar contacts already exist" in page
    assert existing.get_absolute_url() in page
    assert "Create anyway" in page
    assert Party.objects.count() == 1
    response = ui.post(reverse("parties:create_organization"), {**data, "force": "on"})
    assert response.status_code == 302
    assert Party.objects.count() == 2


def test_detail_page_is_the_360_view(ui, make_user):
    org = OrganizationFactory(name="Bølge AS")
    person = services.create_person(
        actor=make_user("sales"), first_name="Ola", last_name="Vik", organization=org
    )
    ContactPointFactory(party=org, value="post@bolge.no", normalized="post@bolge.no")
    page = ui.get(org.get_absolute_url()).content.decode()
    for text in (
        "Bølge AS",
        "Contact persons",
        "Possible duplicates",
        "Email and phone",
        "Addresses",
        "Consents",
        "Timeline",
        "History",
        "post@bolge.no",
        "Ola Vik",
        'id="timeline-entries"',
        "Record consent",
    ):
        assert text in page, text
    fragment = ui.get(reverse("parties:timeline", args=[org.pk]), {"domain": "parties"})
    assert 'data-event-type="parties.contact.linked"' in fragment.content.decode()
    empty = ui.get(reverse("parties:timeline", args=[org.pk]), {"domain": "nothing"})
    assert "parties.contact.linked" in empty.content.decode()  # unknown domain = everything
    person_page = ui.get(person.get_absolute_url()).content.decode()
    assert "Bølge AS" in person_page


def test_unknown_party_is_404(ui):
    assert ui.get("/parties/999999/").status_code == 404
    assert ui.get("/parties/999999/edit/").status_code == 404


def test_edit_party(ui):
    org = OrganizationFactory(name="Gammel AS")
    form = ui.get(reverse("parties:edit", args=[org.pk])).content.decode()
    assert 'value="Gammel AS"' in form
    response = ui.post(
        reverse("parties:edit", args=[org.pk]),
        {
            "name": "Ny AS",
            "orgnr": "",
            "language": "en",
            "roles": ["supplier"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.language, org.is_supplier) == ("Ny AS", "en", True)
    response = ui.post(
        reverse("parties:edit", args=[org.pk]), {"name": "Ny AS", "orgnr": "1", "language": "en"}
    )
    assert "Enter a valid Norwegian organization number: 9 digits." in response.content.decode()


def test_htmx_panels_add_and_remove_rows(ui):
    org = OrganizationFactory()
    url = reverse("parties:contact_point_add", args=[org.pk])
    response = ui.post(
        url, {"contact-kind": "email", "contact-value": "a@b.no"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.startswith('<section class="card mb-3" id="contact-points"')
    assert "a@b.no" in body
    response = ui.post(
        url, {"contact-kind": "phone", "contact-value": "12"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "Enter a valid phone number." in body and 'value="12"' in body
    assert ContactPoint.objects.count() == 1

    response = ui.post(
        reverse("parties:address_add", args=[org.pk]),
        {
            "address-kind": "postal",
            "address-line1": "Postboks 7",
            "address-postal_code": "9008",
            "address-city": "Tromsø",
            "address-country": "NO",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Postboks 7" in response.content.decode()
    address = Address.objects.get()
    confirm = ui.get(reverse("parties:address_delete", args=[address.pk]))
    assert "Remove this address?" in confirm.content.decode()
    response = ui.post(reverse("parties:address_delete", args=[address.pk]), HTTP_HX_REQUEST="true")
    assert "No address yet." in response.content.decode()
    assert not Address.objects.exists()

    point = ContactPoint.objects.get()
    response = ui.post(reverse("parties:contact_point_delete", args=[point.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#contact-points")
    assert not ContactPoint.objects.exists()


def test_link_person_and_record_consent(ui):
    org, person = OrganizationFactory(), PersonFactory(first_name="Siri", last_name="Lie")
    options = ui.get(reverse("parties:lookup"), {"q": "siri", "kind": "person"}).content.decode()
    assert f'<option value="{person.pk}" selected>Siri Lie</option>' in options
    response = ui.post(
        reverse("parties:relation_add", args=[org.pk]),
        {
            "relation-other": person.pk,
            "relation-title": "CFO",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Siri Lie" in response.content.decode()
    relation = Relation.objects.get()
    response = ui.post(
        reverse("parties:relation_add", args=[org.pk]),
        {"relation-other": person.pk},
        HTTP_HX_REQUEST="true",
    )
    assert "already a contact" in response.content.decode()
    ui.post(reverse("parties:relation_delete", args=[relation.pk]) + "?from=person")
    assert not Relation.objects.exists()

    response = ui.post(
        reverse("parties:consent_add", args=[person.pk]),
        {
            "consent-channel": "email",
            "consent-granted": "1",
            "consent-source": "web form",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Granted" in response.content.decode()
    assert Consent.objects.get().granted is True


def test_inline_validation(ui):
    OrganizationFactory(name="Tatt AS", orgnr="923609016")
    taken = ui.get(reverse("parties:validate"), {"orgnr": "923 609 016"}).content.decode()
    assert "Tatt AS" in taken
    wrong = ui.get(reverse("parties:validate"), {"orgnr": "923609017"}).content.decode()
    assert "check digit" in wrong
    assert "valid phone" in ui.get(reverse("parties:validate"), {"phone": "1"}).content.decode()
    assert ui.get(reverse("parties:validate"), {"email": "ok@x.no"}).content.decode().strip() == ""


def test_merge_page_preview_and_confirm(login, make_user):
    boss = login(make_user("management", language="en"))
    survivor = OrganizationFactory(name="Fjord AS", orgnr="923609016")
    duplicate = OrganizationFactory(name="Fjord A/S", orgnr="", website="https://fjord.no")
    ContactPointFactory(party=survivor, value="a@fjord.no", normalized="a@fjord.no")
    ContactPointFactory(party=duplicate, value="a@fjord.no", normalized="a@fjord.no")
    page = boss.get(reverse("parties:merge", args=[survivor.pk])).content.decode()
    assert "Fjord A/S" in page and f"?other={duplicate.pk}" in page
    search = boss.get(reverse("parties:merge", args=[survivor.pk]), {"q": "fjord"})
    assert "Fjord A/S" in search.content.decode()
    preview = boss.get(reverse("parties:merge", args=[survivor.pk]), {"other": duplicate.pk})
    text = preview.content.decode()
    assert "https://fjord.no" in text and "Merge now" in text
    response = boss.post(
        reverse("parties:merge", args=[survivor.pk]),
        {"survivor": survivor.pk, "duplicate": duplicate.pk},
    )
    assert response["Location"] == survivor.get_absolute_url()
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    # the tombstone's URL leads to the survivor
    response = boss.get(duplicate.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == survivor.get_absolute_url()


def test_merge_of_different_kinds_is_refused_with_a_message(login, make_user):
    boss = login(make_user("management", language="en"))
    org, person = OrganizationFactory(), PersonFactory()
    preview = boss.get(reverse("parties:merge", args=[org.pk]), {"other": person.pk})
    assert "cannot be merged" in preview.content.decode()
    response = boss.post(
        reverse("parties:merge", args=[org.pk]),
        {"survivor": org.pk, "duplicate": person.pk},
        follow=True,
    )
    assert "cannot be merged" in response.content.decode()
    assert not Party.objects.filter(merged_into__isnull=False).exists()


def test_personal_data_download_and_erase(login, make_user):
    lawyer = login(make_user("legal", language="en"))
    person = PersonFactory(first_name="Kari", last_name="Hansen")
    ContactPointFactory(party=person)
    response = lawyer.get(reverse("parties:personal_data", args=[person.pk]))
    assert (
        response["Content-Disposition"] == f'attachment; filename="personal-data-{person.pk}.json"'
    )
    assert json.loads(response.content)["party"]["first_name"] == "Kari"
    assert AuditEntry.objects.filter(action="export").count() == 1

    page = lawyer.get(reverse("parties:erase", args=[person.pk])).content.decode()
    assert "bokføringsloven" in page
    response = lawyer.post(reverse("parties:erase", args=[person.pk]), {})
    assert "This field is required." in response.content.decode()  # confirmation needed
    person.refresh_from_db()
    assert person.erased_at is None
    response = lawyer.post(reverse("parties:erase", args=[person.pk]), {"confirm": "on"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.erased_at and person.name == "Erased person"

    org = OrganizationFactory()
    response = lawyer.post(reverse("parties:erase", args=[org.pk]), {"confirm": "on"})
    assert "Only a person" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/parties/",
        "/parties/new/organization/",
        "/parties/{org}/",
        "/parties/{org}/edit/",
        "/parties/{org}/merge/",
        "/parties/{org}/personal-data/",
        "/parties/{person}/erase/",
    ],
)
def test_role_without_permission_gets_403(login, make_user, url):
    org, person = OrganizationFactory(), PersonFactory()
    client = login(make_user())
    assert client.get(url.format(org=org.pk, person=person.pk)).status_code == 403


def test_read_only_role_cannot_write_from_the_ui(login, make_user):
    client = login(make_user("hr"))
    org = OrganizationFactory()
    assert client.get(org.get_absolute_url()).status_code == 200
    assert client.post(reverse("parties:create_organization"), {"name": "X"}).status_code == 403
    assert client.post(reverse("parties:address_add", args=[org.pk]), {}).status_code == 403
    assert Party.objects.count() == 1


def test_contacts_menu_only_with_permission(login, make_user):
    with_perm = login(make_user("sales", language="en")).get("/").content.decode()
    assert 'href="/parties/"' in with_perm
    without = login(make_user(language="en")).get("/").content.decode()
    assert 'href="/parties/"' not in without


def test_norwegian_translation(login, make_user):
    client = login(make_user("sales", language="nb"))
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "Kontakter" in page
    assert "Ny organisasjon" in page
    form = client.get(reverse("parties:create_organization"), HTTP_ACCEPT_LANGUAGE="nb")
    assert "Organisasjonsnummer" in form.content.decode()
    assert "Lagre" in form.content.decode()


def test_search_provider_and_key_figures(make_user):
    from samspill.platform.registry import key_figures, search

    sales = make_user("sales")
    org = OrganizationFactory(name="Polar Data AS", orgnr="923609016")
    ContactPointFactory(party=org, value="post@polar.no", normalized="post@polar.no")
    ContactPointFactory(party=org, kind="phone", value="412 34 567", normalized="+4741234567")
    RelationFactory(organization=org)
    twin = OrganizationFactory(name="Polar Data Nord AS")
    ContactPointFactory(party=twin, value="post@polar.no", normalized="post@polar.no")

    for query in ("polar da", "923 609", "post@polar.no", "+47 41234567", "41234567"):
        results = dict((p.key, hits) for p, hits in search(sales, query))
        assert results["parties"][0].title == "Polar Data AS", query
        assert results["parties"][0].url == org.get_absolute_url()
    assert search(make_user(), "polar") == []

    with translation.override("en"):
        figures = {str(f.label): f.value for f in key_figures(sales, org)}
    assert figures["Contact persons"] == 1
    assert figures["Possible duplicates"] == 1


def test_later_pages_keep_order_and_query_budget(ui, django_assert_max_num_queries):
    for i in range(30):
        OrganizationFactory(name=f"Side {i:02} AS")
    ui.get(LIST)
    with django_assert_max_num_queries(16):
        page = ui.get(LIST, {"per_page": 10, "page": 3, "sort": "-name"}).content.decode()
    shown = [f"Side {i:02} AS" for i in range(30) if f"Side {i:02} AS" in page]
    assert shown == [f"Side {i:02} AS" for i in range(10)]


def test_search_falls_back_to_a_semi_join_for_many_contact_matches(monkeypatch, make_user):
    from samspill.parties import queries

    monkeypatch.setattr(queries, "CONTACT_MATCH_LIMIT", 2)
    for i in range(3):
        org = OrganizationFactory(name=f"Org {i}")
        ContactPointFactory(party=org, value=f"post@x{i}.no", normalized=f"post@x{i}.no")
    found = queries.search(make_user("sales"), "post@x", 10)
    assert sorted(p.name for p in found) == ["Org 0", "Org 1", "Org 2"]
