"""Dunning: reminders and collection notices by the Norwegian rules (earliest the day after
the due date, a fee only from 14 days after it and once per level, a collection notice only
after the reminder's deadline), the fee posted and collected with the invoice's KID, the
PDF, the e-mail over real SMTP, the event; refusals that write nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from samspill.accounting import services
from samspill.accounting.models import JournalEntry, JournalLine, Reminder
from samspill.accounting.queries import dunning as dunning_queries
from samspill.accounting.queries import invoices as queries
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import dunning
from samspill.platform.errors import DomainError, ValidationFailed
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db
D = Decimal
DUE = date(2026, 3, 24)  # invoice of 2026-03-10, 14 days


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


@pytest.fixture
def buyer(db):
    from samspill.parties.services import create_organization

    return create_organization(
        actor=None,
        name="Havbris AS",
        roles=["customer"],
        language="en",
        contact_points=[{"kind": "email", "value": "faktura@havbris.example"}],
    )


def make_invoice(party, amount="1000", day="2026-03-10"):
    return services.create_invoice(
        actor=None,
        party=party,
        lines=[{"description": "Service", "quantity": "1", "unit_price": amount, "vat_code": "3"}],
        invoice_date=day,
        post=True,
    )


def open_amount(invoice):
    return cents(queries.invoice(invoice.pk).open_amount)


def test_reminder_with_fee_is_posted_and_collected_with_the_kid(ledger, company, buyer, finance):
    invoice = make_invoice(buyer)
    day = DUE + timedelta(days=14)
    [reminder] = dunning.create_reminders([invoice.pk], actor=finance, date=day)
    assert reminder.level == Reminder.Level.REMINDER
    assert reminder.date == day and reminder.due_date == day + timedelta(days=14)
    assert reminder.claim == D("1250.00") and reminder.fee == D("35.00")
    assert reminder.language == "en"
    entry = JournalEntry.objects.get(pk=reminder.fee_entry_id)
    lines = {
        (line.account.number, line.debit, line.credit, line.party_id, line.vat_code_id)
        for line in entry.lines.select_related("account")
    }
    assert lines == {
        ("1500", D("35.00"), D("0"), buyer.pk, None),
        ("3900", D("0"), D("35.00"), None, None),
    }
    fee_line = entry.lines.get(account__number="1500")
    assert fee_line.due_date == reminder.due_date
    assert fee_line.match == JournalLine.objects.get(pk=invoice.receivable_line_id).match
    assert open_amount(invoice) == D("1285.00")
    event = OutboxEvent.objects.get(type="accounting.reminder.sent")
    assert event.payload["invoice_id"] == invoice.pk and event.payload["fee"] == "35.00"
    assert event.payload["level"] == 1 and event.payload["party_id"] == buyer.pk
    # The customer pays claim and fee with the invoice's KID: paid.
    services.register_payment(
        actor=finance,
        party=buyer,
        amount="1285",
        date=day + timedelta(days=3),
        allocations=[{"invoice": invoice.pk, "amount": "1285"}],
    )
    invoice.refresh_from_db()
    assert invoice.state == "paid" and open_amount(invoice) == 0


def test_collection_notice_after_the_reminders_deadline_with_its_own_fee(
    ledger, company, buyer, finance
):
    invoice = make_invoice(buyer)
    first = DUE + timedelta(days=14)
    dunning.create_reminders([invoice], actor=finance, date=first)
    with pytest.raises(dunning.DunningRefused, match="collection notice can be sent from"):
        dunning.create_reminders([invoice], actor=finance, date=first + timedelta(days=14))
    assert Reminder.objects.count() == 1
    [notice] = dunning.create_reminders([invoice], actor=finance, date=first + timedelta(days=15))
    assert notice.level == Reminder.Level.COLLECTION_NOTICE
    assert notice.claim == D("1285.00") and notice.fee == D("35.00")
    assert open_amount(invoice) == D("1320.00")
    with pytest.raises(dunning.DunningRefused, match="debt collection agency"):
        dunning.create_reminders([invoice], actor=finance, date=first + timedelta(days=40))
    assert Reminder.objects.count() == 2
    assert list(dunning_queries.overdue_invoices(today=first + timedelta(days=40))) == [invoice]


def test_reminder_the_day_after_due_without_fee_and_fee_refused_before_14_days(
    ledger, company, buyer, finance
):
    invoice = make_invoice(buyer)
    with pytest.raises(dunning.DunningRefused, match="14 days after the due date"):
        dunning.create_reminders([invoice], actor=finance, date=DUE + timedelta(days=1))
    assert (
        not Reminder.objects.exists()
        and not JournalEntry.objects.filter(description__startswith="Reminder fee").exists()
    )
    [reminder] = dunning.create_reminders(
        [invoice], actor=finance, date=DUE + timedelta(days=1), fee=False
    )
    assert reminder.fee == 0 and reminder.fee_entry_id is None
    assert open_amount(invoice) == D("1250.00")


@pytest.mark.parametrize(
    "case",
    ["not_overdue", "paid", "credit_note", "too_early", "unknown", "empty", "duplicate", "date"],
)
def test_refusals_write_nothing(ledger, company, buyer, finance, case):
    invoice = make_invoice(buyer)
    late = DUE + timedelta(days=20)
    ids: list = [invoice.pk]
    day = late
    if case == "not_overdue":
        day = DUE
    elif case == "paid":
        services.register_payment(actor=finance, party=buyer, amount="1250", date="2026-03-20")
    elif case == "credit_note":
        ids = [services.create_credit_note(invoice, actor=finance, post=True).pk]
    elif case == "too_early":
        # A reminder (with its fee) today: the next level only after its deadline.
        dunning.create_reminders(ids, actor=finance, date=late)
    elif case == "unknown":
        ids = [invoice.pk, 999999]
    elif case == "empty":
        ids = []
    elif case == "duplicate":
        ids = [invoice.pk, invoice.pk]
    elif case == "date":
        day = "31.12.2026"  # type: ignore[assignment]
    before = (Reminder.objects.count(), JournalEntry.objects.count())
    with pytest.raises(DomainError):
        dunning.create_reminders(ids, actor=finance, date=day)
    assert (Reminder.objects.count(), JournalEntry.objects.count()) == before


def test_one_level_once_per_invoice_is_a_database_rule(ledger, company, buyer, finance):
    from django.db import IntegrityError, transaction

    invoice = make_invoice(buyer)
    [reminder] = dunning.create_reminders([invoice], actor=finance, date=DUE + timedelta(days=15))
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            invoice=invoice,
            party=buyer,
            level=1,
            date=reminder.date,
            due_date=reminder.due_date,
            claim=reminder.claim,
            fee=D("35"),
        )


def test_bulk_is_all_or_nothing_and_orders_by_customer(ledger, company, buyer, customer, finance):
    a = make_invoice(buyer)
    b = make_invoice(customer, day="2026-03-01")
    c = make_invoice(buyer, day="2026-04-20")  # due 2026-05-04: not overdue on 04-10
    day = DUE + timedelta(days=17)
    with pytest.raises(dunning.DunningRefused, match="not overdue"):
        dunning.create_reminders([a.pk, b.pk, c.pk], actor=finance, date=day)
    assert not Reminder.objects.exists()
    created = dunning.create_reminders([a.pk, b.pk], actor=finance, date=day)
    assert {r.invoice_id for r in created} == {a.pk, b.pk}
    assert OutboxEvent.objects.filter(type="accounting.reminder.sent").count() == 2


def test_fee_setting_is_capped_by_the_legal_maximum(ledger, company, buyer, finance):
    from samspill.organization import services as organization

    with pytest.raises(ValidationFailed):
        organization.update_company(actor=None, reminder_fee="70")
    with pytest.raises(ValidationFailed):
        organization.update_company(actor=None, reminder_days=10)
    organization.update_company(actor=None, reminder_fee="25", reminder_days=21)
    invoice = make_invoice(buyer)
    [reminder] = dunning.create_reminders([invoice], actor=finance, date=DUE + timedelta(days=14))
    assert reminder.fee == D("25.00")
    assert reminder.due_date == DUE + timedelta(days=35)


def test_permission_is_required(ledger, company, buyer, make_user):
    from samspill.platform.errors import PermissionDenied

    invoice = make_invoice(buyer)
    with pytest.raises(PermissionDenied):
        dunning.create_reminders([invoice], actor=make_user("sales"), date=DUE + timedelta(days=15))


def test_pdf_in_the_customers_language_with_the_legal_content(ledger, company, buyer, finance):
    invoice = make_invoice(buyer)
    [reminder] = dunning.create_reminders([invoice], actor=finance, date=DUE + timedelta(days=15))
    html = dunning.reminder_html(reminder)
    for text in (
        "Reminder",
        invoice.number,
        invoice.kid,
        "Nordlys Handel AS",
        "Foretaksregisteret",
        "1,250.00",
        "35.00",
        "1,285.00",
        "1234.56.78903",
        "outside VAT",
    ):
        assert text in html, text
    assert dunning.render_reminder_pdf(reminder).startswith(b"%PDF")
    # Norwegian customer, collection notice: Norwegian text with the § 9 warning.
    from samspill.parties.services import update_party

    update_party(actor=None, party=buyer, language="nb")
    invoice_nb = make_invoice(buyer)
    first = DUE + timedelta(days=15)
    dunning.create_reminders([invoice_nb], actor=finance, date=first)
    [notice] = dunning.create_reminders(
        [invoice_nb], actor=finance, date=first + timedelta(days=15)
    )
    html = dunning.reminder_html(notice)
    assert "Inkassovarsel" in html and "inkassoloven § 9" in html


@pytest.fixture
def smtp_sink():
    """A real SMTP server on loopback that keeps what it receives."""
    import socket

    from aiosmtpd.controller import Controller

    received = []

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    yield port, received
    controller.stop()


def test_sent_by_email_with_the_pdf_over_smtp(ledger, company, buyer, finance, smtp_sink):
    from django.core.mail import get_connection

    port, received = smtp_sink
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port
    )
    invoice = make_invoice(buyer)
    [reminder] = dunning.create_reminders([invoice], actor=finance, date=DUE + timedelta(days=15))
    sent, problems = dunning.send_reminders([reminder], actor=finance, connection=connection)
    assert problems == [] and len(sent) == 1
    reminder.refresh_from_db()
    assert reminder.sent_to == "faktura@havbris.example" and reminder.sent_at is not None
    [envelope] = received
    assert envelope.rcpt_tos == ["faktura@havbris.example"]
    message = envelope.content.decode()
    assert f"purring-{invoice.number}.pdf" in message and "application/pdf" in message


def test_mail_failure_marks_nothing_sent(ledger, company, buyer, finance):
    import socket

    from django.core.mail import get_connection

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nobody listens here
    connection = get_connection(
        "django.core.mail.backends.smtp.EmailBackend", host="127.0.0.1", port=port, timeout=2
    )
    invoice = make_invoice(buyer)
    [reminder] = dunning.create_reminders([invoice], actor=finance, date=DUE + timedelta(days=15))
    sent, problems = dunning.send_reminders([reminder], actor=finance, connection=connection)
    assert sent == [] and len(problems) == 1
    reminder.refresh_from_db()
    assert reminder.sent_at is None and reminder.sent_to == ""
    with pytest.raises(ValidationFailed):
        dunning.send_reminder(reminder, actor=finance, to="not-an-address")


def test_page_lists_overdue_filters_and_writes_reminders(
    ledger, company, buyer, customer, finance, login, django_assert_max_num_queries
):
    from django.urls import reverse

    invoices = [make_invoice(buyer, day="2026-01-05") for _n in range(3)]
    other = make_invoice(customer, day="2026-01-05")
    make_invoice(customer, day="2026-12-31")  # not overdue
    dunning.create_reminders([invoices[0]], actor=finance, date=date(2026, 2, 5))
    ui = login(finance)
    url = reverse("accounting:dunning")
    with django_assert_max_num_queries(14):
        page = ui.get(url).content.decode()
    for invoice in [*invoices, other]:
        assert f'data-invoice="{invoice.pk}"' in page
    assert page.count("data-invoice=") == 4
    page = ui.get(url, {"party": customer.pk}).content.decode()
    assert page.count("data-invoice=") == 1
    page = ui.get(url, {"level": "1"}).content.decode()
    assert page.count("data-invoice=") == 1 and f'data-invoice="{invoices[0].pk}"' in page
    page = ui.get(url, {"level": "0"}).content.decode()
    assert page.count("data-invoice=") == 3

    response = ui.post(
        url, {"invoice": [invoices[1].pk, other.pk], "fee": "on", "date": "2026-02-10"}
    )
    assert response.status_code == 302
    assert Reminder.objects.filter(invoice__in=[invoices[1], other], fee=D("35")).count() == 2
    # Refused (not overdue yet on that date): a message, nothing written.
    response = ui.post(url, {"invoice": [invoices[2].pk], "date": "2026-01-10"}, follow=True)
    assert "alert-danger" in response.content.decode()
    assert not Reminder.objects.filter(invoice=invoices[2]).exists()

    detail = ui.get(reverse("accounting:invoice_detail", args=[other.pk])).content.decode()
    assert "data-reminders" in detail and 'data-level="1"' in detail
    pdf = ui.get(reverse("accounting:reminder_pdf", args=[other.reminders.get().pk]))
    assert pdf["Content-Type"] == "application/pdf"
    party_page = ui.get(reverse("parties:detail", args=[customer.pk])).content.decode()
    assert "data-overdue-amount" in party_page and "Collection notice" not in party_page


def test_page_needs_the_right(ledger, company, login, make_user):
    from django.urls import reverse

    response = login(make_user("sales")).get(reverse("accounting:dunning"))
    assert response.status_code == 403


def test_api_lists_overdue_creates_lists_and_downloads(ledger, company, buyer, finance, api):
    client = api(finance)
    invoice = make_invoice(buyer, day="2026-01-05")
    response = client.get("/api/v1/accounting/dunning/overdue")
    assert response.status_code == 200
    [row] = response.json()["items"]
    assert row["id"] == invoice.pk and row["last_level"] is None and row["open_amount"] == "1250.00"
    response = client.post(
        "/api/v1/accounting/reminders",
        {"invoice_ids": [invoice.pk], "date": "2026-02-10", "fee": True},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    [reminder] = response.json()["reminders"]
    assert reminder["level"] == 1 and reminder["fee"] == "35.00"
    assert reminder["due_date"] == "2026-02-24"
    response = client.post(
        "/api/v1/accounting/reminders",
        {"invoice_ids": [invoice.pk], "date": "2026-02-11"},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "dunning_refused"
    response = client.get("/api/v1/accounting/reminders", {"party_id": buyer.pk})
    assert [r["id"] for r in response.json()["items"]] == [reminder["id"]]
    response = client.get(f"/api/v1/accounting/reminders/{reminder['id']}/pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    response = client.get("/api/v1/accounting/dunning/overdue", {"level": 1})
    assert [r["id"] for r in response.json()["items"]] == [invoice.pk]
    response = client.post(
        "/api/v1/accounting/reminders", {"invoice_ids": []}, content_type="application/json"
    )
    assert response.status_code == 422
