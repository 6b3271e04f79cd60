"""The customer portal: sign-in by a one-time e-mailed link (hashed, 15 minutes, once, the
same answer for unknown addresses, rate limited), a session apart from the staff's login,
and every record scoped to the customer: another customer's ids answer 404 and are logged."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from samspill.portal import services
from samspill.portal.models import LoginToken, PortalAccess, PortalSession
from samspill.portal.tests.conftest import make_invoice, make_order
from samspill.portal.tests.conftest import product as _product

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return message.body.split("/portal/login/", 1)[1].split("/", 1)[0]


def _page(response, name: bytes) -> bytes:
    """The page without the address and the (random) CSRF tokens."""
    import re

    content = response.content.replace(name, b"X")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def _types(since):
    from samspill.platform.models import OutboxEvent

    rows = OutboxEvent.objects.exclude(pk__in=since).order_by("occurred_at", "id")
    return list(rows.values_list("type", flat=True))


def _last_event_id():
    from samspill.platform.models import OutboxEvent

    return set(OutboxEvent.objects.values_list("pk", flat=True))


# --- Access ------------------------------------------------------------------------------------


def test_invite_sees_the_persons_organisation_and_mails_the_portal_address(fjord, agent):
    org, person = fjord
    before = _last_event_id()
    access = services.invite(actor=agent, person=person)
    assert access.customer_id == org.pk and access.email == "kari@fjordkaffe.no"
    assert access.is_active and access.invited_by == agent
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kari@fjordkaffe.no"]
    assert "/portal/login/" in mail.outbox[0].body
    assert _types(before) == ["portal.access.granted"]


def test_a_consumer_sees_their_own_records(db, agent):
    from samspill.parties.tests.factories import ContactPointFactory, PersonFactory

    person = PersonFactory()
    ContactPointFactory(party=person, value="ola@privat.no", normalized="ola@privat.no")
    access = services.invite(actor=agent, person=person)
    assert access.customer_id == person.pk


def test_invite_refuses_an_organisation_a_foreign_customer_and_a_person_without_email(
    fjord, bakeri, agent
):
    from samspill.parties.tests.factories import PersonFactory
    from samspill.platform.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.invite(actor=agent, person=fjord[0])
    with pytest.raises(ValidationFailed) as exc:
        services.invite(actor=agent, person=fjord[1], customer=bakeri[0])
    assert "customer" in exc.value.errors
    with pytest.raises(ValidationFailed) as exc:
        services.invite(actor=agent, person=PersonFactory())
    assert "email" in exc.value.errors
    assert not PortalAccess.objects.exists() and mail.outbox == []


def test_only_staff_with_the_permission_invite(fjord, make_user):
    from samspill.platform.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.invite(actor=make_user("finance"), person=fjord[1])


# --- Signing in ----------------------------------------------------------------------------------


def test_link_is_hashed_single_use_and_signs_in(kari_access, client):
    services.request_link("Kari@Fjordkaffe.no", ip="10.0.0.1")
    assert len(mail.outbox) == 1
    raw = _link(mail.outbox[0])
    token = LoginToken.objects.get()
    assert token.token_hash != raw and raw not in token.token_hash
    assert token.expires_at - token.created_at == timedelta(minutes=15)

    page = client.get(f"/portal/login/{raw}/")  # a GET (a mail scanner) does not use it up
    assert page.status_code == 200 and b"kari@fjordkaffe.no" in page.content
    response = client.post(f"/portal/login/{raw}/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    cookie = response.cookies[services.COOKIE]
    assert cookie["httponly"] and cookie["path"] == "/portal/"
    assert PortalSession.objects.filter(access=kari_access).count() == 1
    assert client.get("/portal/").status_code == 200

    again = client.post(f"/portal/login/{raw}/")  # consumed once
    assert again.status_code == 404
    assert PortalSession.objects.count() == 1


def test_expired_link_is_refused(kari_access, client):
    services.request_link("kari@fjordkaffe.no")
    raw = _link(mail.outbox[0])
    LoginToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(f"/portal/login/{raw}/").status_code == 404
    assert client.get(f"/portal/login/{raw}/").status_code == 404
    assert not PortalSession.objects.exists()


def test_unknown_and_known_addresses_get_the_same_answer(kari_access, client):
    known = client.post("/portal/login/", {"email": "kari@fjordkaffe.no"})
    unknown = client.post("/portal/login/", {"email": "nobody@fjordkaffe.no"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known, b"kari") == _page(unknown, b"nobody")
    assert [m.to for m in mail.outbox] == [["kari@fjordkaffe.no"]]


def test_revoked_access_gets_no_link_and_loses_its_sessions(kari_access, portal_client, agent):
    client = portal_client(kari_access)
    assert client.get("/portal/").status_code == 200
    mail.outbox.clear()
    services.revoke(kari_access, actor=agent)
    assert client.get("/portal/").status_code == 302
    services.request_link("kari@fjordkaffe.no")
    assert mail.outbox == []


def test_sign_in_links_are_rate_limited(kari_access, client):
    for _n in range(services.LINKS_PER_EMAIL):
        assert client.post("/portal/login/", {"email": "kari@fjordkaffe.no"}).status_code == 200
    refused = client.post("/portal/login/", {"email": "kari@fjordkaffe.no"})
    assert refused.status_code == 429
    assert len(mail.outbox) == services.LINKS_PER_EMAIL
    # an unknown address is limited alike: the limit tells nothing
    for _n in range(services.LINKS_PER_EMAIL):
        client.post("/portal/login/", {"email": "x@y.no"})
    assert client.post("/portal/login/", {"email": "x@y.no"}).status_code == 429


def test_a_malformed_address_is_a_clear_error(db, client):
    response = client.post("/portal/login/", {"email": "not an address"})
    assert response.status_code == 400
    assert mail.outbox == []


def test_sign_out_ends_the_session(kari_access, portal_client):
    client = portal_client(kari_access)
    client.post("/portal/logout/")
    assert not PortalSession.objects.exists()
    assert client.get("/portal/").status_code == 302


def test_staff_login_and_portal_session_are_separate(kari_access, client, make_user):
    """A signed-in agent is no portal customer, and a portal customer is no staff user."""
    client.force_login(make_user("service", "management", is_staff=True))
    response = client.get("/portal/")
    assert response.status_code == 302 and response["Location"] == "/portal/login/"
    client.logout()
    services.request_link("kari@fjordkaffe.no")
    _access, key = services.consume_link(_link(mail.outbox[-1]))
    client.cookies[services.COOKIE] = key
    assert client.get("/portal/").status_code == 200
    staff_page = client.get("/helpdesk/")
    assert staff_page.status_code == 302 and "/portal/" not in staff_page["Location"]
    assert client.get("/api/v1/helpdesk/tickets").status_code in (401, 403)


# --- Tickets ------------------------------------------------------------------------------------


def test_tickets_show_only_the_customers_own_and_never_internal_notes(
    kari_access, portal_client, fjord, bakeri, queue, agent
):
    from samspill.helpdesk import services as helpdesk

    own = helpdesk.open_ticket(actor=agent, subject="Lekker", body="Vann", party=fjord[0])
    helpdesk.add_note(own, actor=agent, body="SECRET internal note")
    helpdesk.reply_to_customer(own, actor=agent, body="Vi kommer i morgen")
    other = helpdesk.open_ticket(actor=agent, subject="Brød", body="Mel", party=bakeri[0])
    client = portal_client(kari_access)

    listing = client.get("/portal/")
    assert b"Lekker" in listing.content and "Brød".encode() not in listing.content
    page = client.get(f"/portal/tickets/{own.pk}/")
    assert page.status_code == 200
    assert b"Vi kommer i morgen" in page.content and b"SECRET" not in page.content
    assert client.get(f"/portal/tickets/{other.pk}/").status_code == 404


def test_guessing_another_customers_ids_gives_404_and_is_logged(
    kari_access, portal_client, bakeri, queue, agent, ledger, company, caplog
):
    from samspill.helpdesk import services as helpdesk

    ticket = helpdesk.open_ticket(actor=agent, subject="Brød", body="Mel", party=bakeri[0])
    order = make_order(bakeri[0])
    invoice = make_invoice(bakeri[0])
    client = portal_client(kari_access)
    urls = {
        "ticket": f"/portal/tickets/{ticket.pk}/",
        "order": f"/portal/orders/{order.pk}/",
        "invoice": f"/portal/invoices/{invoice.pk}/pdf/",
    }
    with caplog.at_level(logging.WARNING, logger="samspill.portal"):
        for url in urls.values():
            assert client.get(url).status_code == 404
        reply = client.post(f"/portal/tickets/{ticket.pk}/", {"body": "Hei"})
        assert reply.status_code == 404
        assert client.post(f"/portal/tickets/{ticket.pk}/rate/", {"rating": "1"}).status_code == 404
    logged = [r for r in caplog.records if "outside the customer's records" in r.getMessage()]
    assert {r.kind for r in logged} == {"ticket", "order", "invoice"}
    assert all(r.portal_access == kari_access.pk for r in logged)
    assert ticket.messages.count() == 1  # nothing written


def test_customer_replies_and_opens_tickets_through_helpdesk(
    kari_access, portal_client, fjord, queue, agent
):
    from samspill.helpdesk import services as helpdesk
    from samspill.helpdesk.models import Message, Ticket

    ticket = helpdesk.open_ticket(actor=agent, subject="Lekker", body="Vann", party=fjord[0])
    helpdesk.reply_to_customer(ticket, actor=agent, body="Prøv dette")
    client = portal_client(kari_access)
    before = _last_event_id()
    response = client.post(f"/portal/tickets/{ticket.pk}/", {"body": "Det hjalp ikke"})
    assert response.status_code == 302
    message = ticket.messages.order_by("-id").first()
    assert message.kind == Message.Kind.CUSTOMER and message.from_email == "kari@fjordkaffe.no"
    ticket.refresh_from_db()
    assert ticket.status == "open"  # the customer answered
    assert "helpdesk.ticket.customer_replied" in _types(before)

    assert client.post(f"/portal/tickets/{ticket.pk}/", {"body": "  "}).status_code == 400

    created = client.post("/portal/tickets/new/", {"subject": "Ny kvern", "body": "Hvor?"})
    new = Ticket.objects.get(subject="Ny kvern")
    assert created["Location"] == f"/portal/tickets/{new.pk}/"
    assert new.party_id == fjord[0].pk and new.contact_id == fjord[1].pk
    assert new.channel == "web_form" and new.customer_email == "kari@fjordkaffe.no"
    assert client.post("/portal/tickets/new/", {"subject": "", "body": ""}).status_code == 400


def test_list_pages_have_a_fixed_number_of_queries(
    kari_access, portal_client, fjord, queue, agent, ledger, company, django_assert_max_num_queries
):
    from samspill.helpdesk import services as helpdesk

    for n in range(6):
        helpdesk.open_ticket(actor=agent, subject=f"Sak {n}", body="x", party=fjord[0])
        make_order(fjord[0])
        make_invoice(fjord[0])
    client = portal_client(kari_access)
    for url in ("/portal/", "/portal/orders/", "/portal/invoices/"):
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


# --- Orders and invoices ---------------------------------------------------------------------


def test_orders_and_invoices_of_the_customer(
    kari_access, portal_client, fjord, bakeri, ledger, company
):
    from samspill.sales import services as sales

    order = make_order(fjord[0])
    draft = sales.create_order(
        actor=None,
        party=fjord[0],
        lines=[{"product_id": _product().pk, "quantity": "1"}],
    )
    invoice = make_invoice(fjord[0])
    make_invoice(bakeri[0])
    client = portal_client(kari_access)

    orders = client.get("/portal/orders/")
    assert order.number.encode() in orders.content and draft.number.encode() not in orders.content
    detail = client.get(f"/portal/orders/{order.pk}/")
    assert detail.status_code == 200 and order.number.encode() in detail.content
    assert client.get(f"/portal/orders/{draft.pk}/").status_code == 404

    invoices = client.get("/portal/invoices/")
    assert invoice.number.encode() in invoices.content and invoice.kid.encode() in invoices.content
    assert invoices.content.count(b"/pdf/") == 1
    pdf = client.get(f"/portal/invoices/{invoice.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_language_choice_is_kept_on_the_access(kari_access, portal_client):
    client = portal_client(kari_access)
    client.post("/portal/language/", {"language": "en", "next": "/portal/orders/"})
    kari_access.refresh_from_db()
    assert kari_access.language == "en"
    assert b"Your orders" in client.get("/portal/orders/").content
    client.post("/portal/language/", {"language": "nb", "next": "https://evil.example/"})
    kari_access.refresh_from_db()
    assert kari_access.language == "nb"


# --- Staff: the party page and the API ----------------------------------------------------------


def test_staff_invite_and_revoke_from_the_party_page(fjord, agent, client):
    org, person = fjord
    client.force_login(agent)
    page = client.get(f"/parties/{org.pk}/")
    assert b'data-testid="portal-access"' in page.content
    response = client.post(f"/portal/staff/parties/{org.pk}/invite/", {"person": person.pk})
    assert response.status_code == 302
    access = PortalAccess.objects.get(person=person)
    assert access.customer_id == org.pk and len(mail.outbox) == 1
    client.post(f"/portal/staff/parties/{org.pk}/access/{access.pk}/revoke/")
    access.refresh_from_db()
    assert not access.is_active


def test_api_invites_lists_and_revokes(fjord, agent, api):
    client = api(agent)
    created = client.post(
        "/api/v1/portal/access", {"person_id": fjord[1].pk}, content_type="application/json"
    )
    assert created.status_code == 200, created.content
    body = created.json()
    assert body["customer_id"] == fjord[0].pk and body["email"] == "kari@fjordkaffe.no"
    listed = client.get(f"/api/v1/portal/access?customer_id={fjord[0].pk}").json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]
    revoked = client.post(f"/api/v1/portal/access/{body['id']}/revoke")
    assert revoked.json()["is_active"] is False
    bad = client.post(
        "/api/v1/portal/access", {"person_id": fjord[0].pk}, content_type="application/json"
    )
    assert bad.status_code == 422


def test_erasing_the_person_removes_their_access(kari_access, fjord, make_user):
    from samspill.parties import services as parties

    parties.erase_person(actor=None, party=fjord[1])
    assert not PortalAccess.objects.exists()
