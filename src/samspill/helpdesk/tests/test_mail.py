"""The e-mail channel with real protocols: Samspill's SMTP receiver on loopback, a real IMAP
server (dovecot), outbound replies to a real SMTP server with threading headers; parsing,
threading, sanitising, loop detection and attachments."""

import smtplib
import time
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.core import mail as django_mail

from samspill.helpdesk import services
from samspill.helpdesk.mail.imap import poll_all, poll_mailbox
from samspill.helpdesk.mail.parse import parse
from samspill.helpdesk.models import Mailbox, Message, Ticket
from samspill.platform.models import Attachment

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def email(
    subject="Broken grinder",
    body="The grinder makes a noise.",
    sender="Ola Nordmann <ola@example.no>",
    to="support@firma.no",
    html=None,
    headers=None,
    attachments=(),
):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = make_msgid(domain="example.no")
    for key, value in (headers or {}).items():
        msg[key] = value
    msg.set_content(body)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, content, maintype, subtype in attachments:
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return msg


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


# --- Parsing and processing (no network) ------------------------------------------------------


def test_parse_headers_and_sanitise_html():
    msg = email(
        html='<p onclick="x()">Hei <b>der</b><script>alert(1)</script><img src="http://t/x.png"></p>',
        headers={"In-Reply-To": "<a@x>", "References": "<r1@x> <a@x>"},
    )
    parsed = parse(msg.as_bytes())
    assert parsed.from_email == "ola@example.no" and parsed.from_name == "Ola Nordmann"
    assert parsed.in_reply_to == "<a@x>" and parsed.references == ["<r1@x>", "<a@x>"]
    assert parsed.text.strip() == "The grinder makes a noise."
    assert (
        "<script" not in parsed.html and "onclick" not in parsed.html and "<img" not in parsed.html
    )
    assert "<b>der</b>" in parsed.html
    assert parsed.auto_reason == ""


@pytest.mark.parametrize(
    ("headers", "sender", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "ola@example.no", "auto-submitted"),
        ({"Precedence": "bulk"}, "ola@example.no", "precedence"),
        ({"X-Autoreply": "yes"}, "ola@example.no", "auto-reply"),
        ({}, "MAILER-DAEMON@example.no", "machine-sender"),
        ({"Return-Path": "<>"}, "ola@example.no", "bounce"),
        ({"List-Id": "<news.example.no>"}, "ola@example.no", "list"),
        ({}, "Ola <ola@@broken>", "bad-sender"),
    ],
)
def test_machines_are_recognised(queue, headers, sender, reason, emitted):
    result = services.receive_email(email(sender=sender, headers=headers).as_bytes())
    assert result.ignored == reason
    assert Ticket.objects.count() == 0
    assert [t for t, _p in emitted()] == ["helpdesk.mail.ignored"]


def test_malformed_mime_is_read_as_far_as_it_goes(queue):
    raw = (
        b"From: ola@example.no\r\nSubject: =?utf-8?q?bad=ZZ?=\r\nContent-Type: multipart/mixed; "
        b'boundary="nope"\r\nMessage-ID: <m@example.no>\r\n\r\nno boundary here\r\n'
    )
    result = services.receive_email(raw)
    assert result.created
    assert result.ticket.customer_email == "ola@example.no"


def test_same_mail_twice_is_imported_once(queue):
    raw = email().as_bytes()
    assert services.receive_email(raw).created
    assert services.receive_email(raw).ignored == "duplicate"
    assert Message.objects.count() == 1


def test_threading_by_subject_only_for_the_same_sender(queue, policy):
    first = services.receive_email(email().as_bytes()).ticket
    same = services.receive_email(
        email(subject=f"Re: [{first.number}] Broken grinder", body="more").as_bytes()
    )
    assert same.ticket == first and not same.created
    forged = services.receive_email(
        email(subject=f"[{first.number}] give me", sender="mallory@evil.example").as_bytes()
    )
    assert forged.created and forged.ticket != first


def test_mail_to_merged_ticket_lands_in_survivor(queue, agent):
    a = services.receive_email(email(subject="A").as_bytes()).ticket
    b_msg = email(subject="B")
    b = services.receive_email(b_msg.as_bytes()).ticket
    services.merge_tickets(actor=agent, survivor=a, duplicate=b)
    answer = email(subject="Re: B", headers={"In-Reply-To": b_msg["Message-ID"]})
    assert services.receive_email(answer.as_bytes()).ticket == a


def test_attachments_kept_and_refused_ones_noted(queue, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "ATTACHMENT_MAX_BYTES": 1000}
    msg = email(
        attachments=[
            ("photo.png", PNG, "image", "png"),
            ("big.txt", b"x" * 5000, "text", "plain"),
            ("evil.exe", b"MZ\x90\x00", "application", "octet-stream"),
        ]
    )
    result = services.receive_email(msg.as_bytes())
    files = Attachment.objects.filter(object_id=str(result.ticket.pk))
    assert [f.name for f in files] == ["photo.png"]
    body = Message.objects.get(pk=result.message.pk).body
    assert "Attachments not kept:" in body and "big.txt" in body and "evil.exe" in body


# --- Real SMTP ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_smtp_receiver_reply_and_answer_thread(mail_gateway, smtp_sink, settings, make_user):
    """A mail sent to the SMTP receiver becomes a ticket; the agent's reply reaches a real SMTP
    server with threading headers; the customer's answer lands in the same ticket."""
    from datetime import time as clock

    from samspill.helpdesk.models import Queue

    queue = Queue.objects.create(
        name="Support", email="support@firma.no", opens_at=clock(8), closes_at=clock(16)
    )
    agent = make_user("service")
    original = email(html="<p>Hei</p>")
    with smtplib.SMTP("127.0.0.1", mail_gateway) as client:
        client.send_message(original)
    assert wait_for(lambda: Ticket.objects.exists())
    ticket = Ticket.objects.get()
    assert ticket.channel == "email" and ticket.queue == queue
    assert ticket.party.name == "Ola Nordmann"

    sink_port, received = smtp_sink
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink_port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    services.reply_to_customer(ticket, actor=agent, body="We are on it.")
    assert wait_for(lambda: received)
    sent = parse(received[0].original_content or received[0].content)
    assert received[0].rcpt_tos == ["ola@example.no"]
    assert sent.in_reply_to == original["Message-ID"]
    assert sent.references == [original["Message-ID"]]
    assert sent.ticket_number == ticket.number
    raw_sent = received[0].content.decode()
    assert "Auto-Submitted: no" in raw_sent

    answer = email(
        subject=f"Re: {sent.subject}",
        body="Thanks!",
        headers={
            "In-Reply-To": sent.message_id,
            "References": f"{original['Message-ID']} {sent.message_id}",
        },
    )
    with smtplib.SMTP("127.0.0.1", mail_gateway) as client:
        client.send_message(answer)
    assert wait_for(lambda: Message.objects.count() == 3)
    assert Ticket.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert list(ticket.messages.values_list("kind", flat=True)) == ["customer", "reply", "customer"]


@pytest.mark.django_db(transaction=True)
def test_smtp_receiver_refuses_nothing_silently_on_auto_reply(mail_gateway, queue):
    with smtplib.SMTP("127.0.0.1", mail_gateway) as client:
        client.send_message(email(headers={"Auto-Submitted": "auto-replied"}))
    assert wait_for(
        lambda: (
            __import__("samspill.platform.models", fromlist=["x"])
            .OutboxEvent.objects.filter(type="helpdesk.mail.ignored")
            .exists()
        )
    )
    assert Ticket.objects.count() == 0


def test_reply_smtp_failure_rolls_back(ticket, agent, settings):
    from samspill.helpdesk.tests.conftest import free_port

    ticket.channel = "email"
    ticket.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2
    with pytest.raises(OSError):
        services.reply_to_customer(ticket, actor=agent, body="Hello")
    assert ticket.messages.count() == 1
    assert django_mail.outbox == []


# --- Real IMAP -------------------------------------------------------------------------------


def _imap(dovecot):
    from imapclient import IMAPClient

    host, port, user, password = dovecot
    client = IMAPClient(host, port=port, ssl=False)
    client.login(user, password)
    return client


def test_imap_poll_imports_once_and_survives_outage(dovecot, queue):
    host, port, user, password = dovecot
    box = Mailbox.objects.create(
        queue=queue, host=host, port=port, use_ssl=False, username=user, password=password
    )
    client = _imap(dovecot)
    client.append("INBOX", email(subject="First").as_bytes())
    client.append("INBOX", email(subject="Second").as_bytes())
    assert poll_mailbox(box) == 2
    box.refresh_from_db()
    assert box.last_uid == 2 and box.last_error == ""
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["First", "Second"]
    assert poll_all() == 0  # nothing new: nothing imported twice
    assert Ticket.objects.count() == 2

    client.append("INBOX", email(subject="Third").as_bytes())
    client.logout()
    down = Mailbox.objects.create(
        queue=queue, host=host, port=port, use_ssl=False, username=user, password="wrong"
    )
    assert poll_mailbox(down) == 0
    down.refresh_from_db()
    assert down.last_error and down.last_uid == 0
    assert poll_mailbox(box) == 1
    assert Ticket.objects.filter(subject="Third").count() == 1


def test_imap_server_down_is_retried(queue):
    from samspill.helpdesk.tests.conftest import free_port

    box = Mailbox.objects.create(
        queue=queue, host="127.0.0.1", port=free_port(), use_ssl=False, username="u", password="p"
    )
    assert poll_mailbox(box) == 0
    box.refresh_from_db()
    assert "ConnectionRefusedError" in box.last_error
    assert box.last_uid == 0
