"""The web form channel: the hosted page /help/contact/ and the endpoint websites post to
(HTML with redirect back, JSON with CORS). Spam protection (honeypot, minimum fill time,
rate limit) and bad input write nothing; a ticket gets a confirmation e-mail."""

import json
import time

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from samspill.helpdesk.models import Ticket
from samspill.helpdesk.services import webform

WEBSITE = "https://www.fjordkaffe.no"


@pytest.fixture(autouse=True)
def form_settings(settings):
    settings.HELPDESK_FORM_ORIGINS = [WEBSITE]
    settings.SAMSPILL = {**settings.SAMSPILL, "HELPDESK_FORM_MIN_SECONDS": 3}
    cache.clear()
    yield
    cache.clear()


def old_token(seconds: int = 10) -> str:
    """A token issued `seconds` ago (a person took that long to fill in the form)."""
    return signing.dumps({"t": time.time() - seconds}, salt=webform.SIGNING_SALT)


def fields(**extra):
    return {
        "name": "Kari Nordmann",
        "email": "Kari@Example.no",
        "subject": "My order has not arrived",
        "message": "Order 1042 was due last week.",
        "token": old_token(),
        "website": "",
        **extra,
    }


def test_hosted_page_shows_the_company_and_a_token(client, db):
    from samspill.organization.models import Company

    Company.objects.create(pk=1, legal_name="Fjordkaffe AS", org_number="923609016")
    page = client.get("/help/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Fjordkaffe AS" in html and 'name="token"' in html and 'name="website"' in html


def test_hosted_form_opens_a_ticket_and_confirms_by_email(
    client, queue, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("receipt.txt", b"Order 1042, paid.", content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/help/contact/", {**fields(), "attachment": upload})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.channel == "web_form" and ticket.customer_email == "kari@example.no"
    assert ticket.party.display_name == "Kari Nordmann"
    assert ticket.messages.get().body == "Order 1042 was due last week."
    from samspill.platform.models import Attachment

    assert Attachment.objects.filter(name="receipt.txt").count() == 1
    thanks = client.get(response["Location"]).content.decode()
    assert ticket.number in thanks
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["kari@example.no"] and ticket.number in sent.subject
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"subject": ""}, "subject"),
        ({"message": "   "}, "message"),
    ],
)
def test_bad_input_shows_errors_and_writes_nothing(client, queue, change, field):
    response = client.post("/help/contact/", fields(**change))
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert Ticket.objects.count() == 0 and mail.outbox == []


def test_spam_is_refused(client, queue):
    honeypot = client.post("/help/contact/", fields(website="http://spam.example"))
    assert honeypot.status_code == 422 and Ticket.objects.count() == 0
    too_fast = client.post("/help/contact/", fields(token=webform.form_token()))
    assert too_fast.status_code == 422
    assert too_fast.context["form"].non_field_errors()
    forged = client.post("/help/contact/", fields(token="forged"))
    assert forged.status_code == 422 and Ticket.objects.count() == 0


def test_a_refused_attachment_refuses_the_message(client, queue):
    bad = SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client.post("/help/contact/", {**fields(), "attachment": bad})
    assert response.status_code == 422
    assert response.context["form"].errors["attachment"]
    assert Ticket.objects.count() == 0


def test_rate_limit_per_address(client, queue, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "HELPDESK_FORM_PER_WINDOW": 2}
    for _ in range(2):
        assert client.post("/help/contact/", fields()).status_code == 302
    limited = client.post("/help/contact/", fields())
    assert limited.status_code == 429 and Ticket.objects.count() == 2


def test_json_from_an_allowed_website_with_cors(client, queue):
    preflight = client.options(
        "/help/contact/submit/",
        HTTP_ORIGIN=WEBSITE,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == WEBSITE
    token = client.get("/help/contact/token/", HTTP_ORIGIN=WEBSITE)
    assert token["Access-Control-Allow-Origin"] == WEBSITE and token.json()["min_seconds"] == 3
    response = client.post(
        "/help/contact/submit/",
        json.dumps(fields()),
        content_type="application/json",
        HTTP_ORIGIN=WEBSITE,
    )
    assert response.status_code == 201, response.content
    assert response.json()["ticket_number"] == Ticket.objects.get().number
    assert response["Access-Control-Allow-Origin"] == WEBSITE
    bad = client.post(
        "/help/contact/submit/",
        json.dumps(fields(email="nope")),
        content_type="application/json",
        HTTP_ORIGIN="https://evil.example",
    )
    assert bad.status_code == 422 and bad.json()["errors"]["email"]
    assert "Access-Control-Allow-Origin" not in bad
    assert Ticket.objects.count() == 1


def test_html_post_from_the_website_goes_back(client, queue):
    page = f"{WEBSITE}/kontakt"
    ok = client.post("/help/contact/submit/", {**fields(), "next": page})
    assert ok.status_code == 302 and ok["Location"] == f"{page}?contact=sent"
    failed = client.post("/help/contact/submit/", fields(message=""), HTTP_REFERER=page)
    assert failed.status_code == 302
    assert failed["Location"] == f"{page}?contact_error=validation_failed"
    # a `next` on another site is not followed: the hosted page answers
    elsewhere = client.post("/help/contact/submit/", {**fields(), "next": "https://evil.example/"})
    assert elsewhere.status_code == 302 and elsewhere["Location"].startswith("/help/contact/?sent=")
    assert Ticket.objects.count() == 2
