"""The customer's bank account identifies the payer of a camt.053 line: a proposal by
account and amount even when the name on the line is another (confidence 90), 95 when the
name agrees, the IBAN and the account number being the same account."""

from decimal import Decimal

import pytest

from samspill.accounting.services import bank
from samspill.accounting.tests.test_bank import camt, entry, make_invoice
from samspill.parties.services import update_party

pytestmark = pytest.mark.django_db
D = Decimal
PAYER = "86011117947"


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


def line_from(account: str, *, name: str, amount: str = "1250.00"):
    return entry(amount, name=name, text="faktura", ref="A").replace("1503.12.34567", account)


@pytest.mark.parametrize(
    ("stored", "on_statement"),
    [
        ("8601.11.17947", "8601.11.17947"),
        ("8601 11 17947", "NO9386011117947"),
        ("NO93 8601 1117 947", "86011117947"),
    ],
)
def test_the_debtor_account_identifies_the_customer(
    ledger, customer, company, finance, stored, on_statement
):
    update_party(actor=None, party=customer, bank_account=stored)
    customer.refresh_from_db()
    assert customer.bank_account in (PAYER, "NO9386011117947")
    invoice = make_invoice(customer)
    [statement] = bank.import_camt053(
        camt(line_from(on_statement, name="Kari Nordmann")), actor=finance
    )
    line = statement.lines.get()
    assert (line.state, line.proposed_invoice_id, line.confidence) == ("proposed", invoice.pk, 90)


def test_account_and_name_agree_raise_the_confidence(ledger, customer, company, finance):
    update_party(actor=None, party=customer, bank_account=PAYER)
    invoice = make_invoice(customer)
    [statement] = bank.import_camt053(
        camt(line_from("8601.11.17947", name="Fjord Kaffe AS")), actor=finance
    )
    line = statement.lines.get()
    assert (line.proposed_invoice_id, line.confidence) == (invoice.pk, 95)


def test_an_unknown_account_falls_back_to_the_name(ledger, customer, company, finance):
    invoice = make_invoice(customer)
    [statement] = bank.import_camt053(
        camt(line_from("8601.11.17947", name="Fjord Kaffe AS")), actor=finance
    )
    line = statement.lines.get()
    assert (line.proposed_invoice_id, line.confidence) == (invoice.pk, 80)


@pytest.mark.parametrize("value", ["8601.11.17948", "1234", "NO00 8601 1117 947", "konto"])
def test_a_wrong_bank_account_is_refused_and_nothing_changes(ledger, customer, value):
    from samspill.platform.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as info:
        update_party(actor=None, party=customer, bank_account=value)
    assert "bank_account" in info.value.errors
    customer.refresh_from_db()
    assert customer.bank_account == ""


def test_party_api_and_form_take_the_bank_account(customer, api, login, make_user):
    from django.urls import reverse

    user = make_user("admin")
    client = api(user)
    response = client.post(
        "/api/v1/parties",
        {"kind": "organization", "name": "Kontoen AS", "bank_account": "8601 11 17947"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["bank_account"] == PAYER
    party_id = response.json()["id"]
    response = client.patch(
        f"/api/v1/parties/{party_id}", {"bank_account": "1234"}, content_type="application/json"
    )
    assert response.status_code == 422 and "bank_account" in response.json()["errors"]
    response = client.patch(
        f"/api/v1/parties/{party_id}",
        {"bank_account": "NO93 8601 1117 947"},
        content_type="application/json",
    )
    assert response.json()["bank_account"] == "NO9386011117947"

    ui = login(user)
    url = reverse("parties:edit", args=[customer.pk])
    data = {"name": customer.name, "orgnr": "", "language": "nb", "is_active": "on"}
    response = ui.post(url, {**data, "bank_account": "8601.11.17948"})
    assert "Skriv inn et gyldig norsk kontonummer" in response.content.decode()  # user: nb
    response = ui.post(url, {**data, "bank_account": "8601.11.17947"})
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.bank_account == PAYER
    page = ui.get(reverse("parties:detail", args=[customer.pk])).content.decode()
    assert "8601.11.17947" in page


def test_party_display(ledger, customer):
    update_party(actor=None, party=customer, bank_account=PAYER)
    customer.refresh_from_db()
    assert customer.bank_account_display == "8601.11.17947"


def test_merge_keeps_and_erasure_removes_the_bank_account(customer, make_user):
    from samspill.parties.services import create_organization, create_person, erase_person
    from samspill.parties.services.merge import merge_parties

    duplicate = create_organization(
        actor=None, name="Fjord Kaffe Dublett AS", bank_account=PAYER, force=True
    )
    survivor = merge_parties(actor=None, survivor=customer, duplicate=duplicate)
    assert survivor.bank_account == PAYER
    person = create_person(actor=None, first_name="Kari", last_name="Nordmann", bank_account=PAYER)
    erase_person(actor=make_user("admin"), party=person)
    person.refresh_from_db()
    assert person.bank_account == ""
