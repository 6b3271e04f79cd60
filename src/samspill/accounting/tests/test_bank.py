"""Bank statements (camt.053): import, KID matching that pays invoices, name proposals,
booking by hand, and refusals that write nothing."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from samspill.accounting.models import BankStatement, BankStatementLine, Invoice, Payment
from samspill.accounting.queries import invoices as invoice_queries
from samspill.accounting.queries import open_items
from samspill.accounting.queries.ledger import account_by_number
from samspill.accounting.services import bank, create_invoice
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db
D = Decimal
SAMPLES = Path(__file__).resolve().parents[5] / "shared" / "data" / "iso20022" / "camt" / "examples"
NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"


@pytest.fixture
def company(db):
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY

    return organization.update_company(actor=None, **COMPANY)


def make_invoice(customer, price="1000"):
    return create_invoice(
        actor=None,
        party=customer,
        lines=[{"description": "Konsulenttime", "quantity": "1", "unit_price": price}],
        invoice_date="2026-03-10",
        post=True,
    )


def entry(amount, *, kid="", name="", text="", credit=True, ref="", day="2026-03-20"):
    kid_xml = (
        f"<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp>"
        f"<Ref>{kid}</Ref></CdtrRefInf></Strd></RmtInf>"
        if kid
        else f"<RmtInf><Ustrd>{text}</Ustrd></RmtInf>"
    )
    side = "Dbtr" if credit else "Cdtr"
    return f"""
      <Ntry><Amt Ccy="NOK">{amount}</Amt><CdtDbtInd>{"CRDT" if credit else "DBIT"}</CdtDbtInd>
        <Sts>BOOK</Sts><BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef>
        <NtryDtls><TxDtls><Refs><EndToEndId>E2E-{ref}</EndToEndId></Refs>
          <RltdPties><{side}><Nm>{name}</Nm></{side}>
            <{side}Acct><Id><Othr><Id>1503.12.34567</Id></Othr></Id></{side}Acct></RltdPties>
          {kid_xml}</TxDtls></NtryDtls></Ntry>"""


def camt(*entries, statement="STMT-2026-03", iban="NO7112345678903"):
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}"><BkToCstmrStmt>
  <GrpHdr><MsgId>MSG1</MsgId><CreDtTm>2026-03-21T06:00:00</CreDtTm></GrpHdr>
  <Stmt><Id>{statement}</Id><CreDtTm>2026-03-21T06:00:00</CreDtTm>
    <FrToDt><FrDtTm>2026-03-20T00:00:00</FrDtTm><ToDtTm>2026-03-20T23:59:59</ToDtTm></FrToDt>
    <Acct><Id><IBAN>{iban}</IBAN></Id><Ccy>NOK</Ccy></Acct>
    <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">100.00</Amt>
      <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-19</Dt></Dt></Bal>
    <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="NOK">2000.00</Amt>
      <CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-03-20</Dt></Dt></Bal>
    {"".join(entries)}
  </Stmt></BkToCstmrStmt></Document>""".encode()


def test_invoice_paid_by_kid_on_the_statement(ledger, customer, company, finance):
    """The issue's scenario: a posted invoice, the bank's camt.053 carrying its KID, the
    import matches it, the invoice is paid and nothing is open for the customer."""
    invoice = make_invoice(customer)
    assert invoice.total == D("1250.00")
    content = camt(entry("1250.00", kid=invoice.kid, name="Fjord Kaffe AS", ref="A1"))
    [statement] = bank.import_camt053(content, actor=finance)

    assert statement.account == "NO7112345678903"
    assert statement.statement_id == "STMT-2026-03"
    assert (statement.opening_balance, statement.closing_balance) == (D("100.00"), D("2000.00"))
    assert statement.period_start == date(2026, 3, 20)
    assert statement.imported_by == finance
    assert statement.source == content.decode()
    [line] = statement.lines.all()
    assert line.state == BankStatementLine.State.MATCHED
    assert line.confidence == 100
    assert line.kid == invoice.kid
    assert line.amount == D("1250.00")
    assert line.bank_reference == "E2E-A1"
    assert line.counterparty_name == "Fjord Kaffe AS"
    assert line.counterparty_account == "15031234567"
    assert line.proposed_invoice_id == invoice.pk
    assert line.payment is not None and line.payment.entry.journal.code == "BNK"
    assert line.payment.date == date(2026, 3, 20)

    assert Invoice.objects.get(pk=invoice.pk).state == Invoice.State.PAID
    assert invoice_queries.invoice(invoice.pk).open_amount == 0
    receivable = account_by_number("1500")
    assert open_items.party_items(receivable, customer.pk, date(2026, 12, 31)) == []
    assert open_items.party_summary(customer.pk, date(2026, 12, 31)) == []
    event = OutboxEvent.objects.get(type="accounting.bank_statement.imported")
    assert event.payload == {
        "statement_id": statement.pk,
        "reference": "STMT-2026-03",
        "account": "NO7112345678903",
        "lines": 1,
        "matched": 1,
        "proposed": 0,
        "party_ids": [customer.pk],
    }
    assert OutboxEvent.objects.filter(type="accounting.invoice.paid").count() == 1


def test_partial_kid_payment_then_too_much_is_left_unmatched(ledger, customer, company):
    invoice = make_invoice(customer)
    content = camt(
        entry("1000.00", kid=invoice.kid, ref="A"),
        entry("500.00", kid=invoice.kid, ref="B"),  # 250 is open after the first: too much
        entry("99.00", kid="0000000000", ref="C"),  # no such invoice
        entry("40.00", credit=False, name="Telenor", text="Mobil", ref="D"),
    )
    [statement] = bank.import_camt053(content, actor=None)
    states = [(line.amount, line.state) for line in statement.lines.order_by("position")]
    assert states == [
        (D("1000.00"), "matched"),
        (D("500.00"), "unmatched"),
        (D("99.00"), "unmatched"),
        (D("-40.00"), "unmatched"),
    ]
    assert Invoice.objects.get(pk=invoice.pk).state == Invoice.State.PARTLY_PAID
    assert invoice_queries.invoice(invoice.pk).open_amount == D("250.00")


def test_name_and_amount_propose_then_accept(ledger, customer, company, finance):
    invoice = make_invoice(customer)
    make_invoice(customer, price="500")  # another open invoice, another amount
    content = camt(entry("1250.00", name="FJORD  kaffe as", text="faktura", ref="P"))
    [statement] = bank.import_camt053(content, actor=finance)
    line = statement.lines.get()
    assert (line.state, line.proposed_invoice_id, line.confidence) == ("proposed", invoice.pk, 80)
    assert line.payment is None
    assert Payment.objects.count() == 0

    line = bank.accept_proposal(line, actor=finance)
    assert line.state == "matched"
    assert Invoice.objects.get(pk=invoice.pk).state == Invoice.State.PAID
    with pytest.raises(Conflict, match="Only a proposed line can be accepted"):
        bank.accept_proposal(line, actor=finance)


def test_book_unmatched_lines_to_accounts(ledger, customer, company, finance):
    content = camt(
        entry("40.00", credit=False, name="Telenor", text="Mobil", ref="D"),
        entry("12.50", text="Renter", ref="R"),
    )
    [statement] = bank.import_camt053(content, actor=finance)
    out, interest = statement.lines.order_by("position")
    out = bank.book_line_to_account(out, "6900", actor=finance)
    assert out.state == "booked"
    lines = {(li.account.number, li.debit, li.credit) for li in out.entry.lines.all()}
    assert lines == {("6900", D("40.00"), D("0.00")), ("1920", D("0.00"), D("40.00"))}
    interest = bank.book_line_to_account(interest, "8050", actor=finance)
    lines = {(li.account.number, li.debit, li.credit) for li in interest.entry.lines.all()}
    assert lines == {("1920", D("12.50"), D("0.00")), ("8050", D("0.00"), D("12.50"))}
    with pytest.raises(Conflict, match="already matched or booked"):
        bank.book_line_to_account(interest, "8050", actor=finance)


def test_malformed_wrong_account_and_duplicate_write_nothing(ledger, customer, company):
    invoice = make_invoice(customer)
    with pytest.raises(ValidationFailed, match="not well-formed XML"):
        bank.import_camt053(b"<Document><BkToCstmrStmt>", actor=None)
    with pytest.raises(ValidationFailed, match=r"not a camt\.053"):
        bank.import_camt053(b"<Invoice/>", actor=None)
    content = camt(entry("1250.00", kid=invoice.kid), iban="NO9386011117947")
    with pytest.raises(ValidationFailed, match="NO9386011117947, which is not the company's"):
        bank.import_camt053(content, actor=None)
    assert BankStatement.objects.count() == 0
    assert Payment.objects.count() == 0

    bank.import_camt053(camt(entry("1000.00", kid=invoice.kid)), actor=None)
    with pytest.raises(Conflict, match="Statement STMT-2026-03 was imported before") as caught:
        bank.import_camt053(camt(entry("250.00", kid=invoice.kid)), actor=None)
    assert caught.value.code == "already_imported"
    assert BankStatement.objects.count() == 1
    assert Payment.objects.count() == 1
    assert OutboxEvent.objects.filter(type="accounting.bank_statement.imported").count() == 1


def test_a_statement_imported_at_the_same_moment_is_a_conflict_not_an_error(
    ledger, customer, company, monkeypatch
):
    """Two imports of one statement at once: both pass the check, the database's unique
    constraint stops the second, which answers 409 like any repeated import."""
    from django.db.models import QuerySet

    invoice = make_invoice(customer)
    bank.import_camt053(camt(entry("1000.00", kid=invoice.kid)), actor=None)
    original = QuerySet.exists
    monkeypatch.setattr(  # the other import's check ran before this one committed
        QuerySet,
        "exists",
        lambda qs: False if qs.model is BankStatement else original(qs),
    )
    with pytest.raises(Conflict, match="Statement STMT-2026-03 was imported before") as caught:
        bank.import_camt053(camt(entry("250.00", kid=invoice.kid)), actor=None)
    assert caught.value.code == "already_imported"
    assert BankStatement.objects.count() == 1
    assert Payment.objects.count() == 1


def test_the_bank_account_number_also_identifies_the_account(ledger, company):
    [statement] = bank.import_camt053(camt(iban="NO7112345678903"), actor=None)
    assert statement.lines.count() == 0
    content = camt(statement="OTHER").replace(
        b"<IBAN>NO7112345678903</IBAN>", b"<Othr><Id>1234.56.78903</Id></Othr>"
    )
    [other] = bank.import_camt053(content, actor=None)
    assert other.account == "12345678903"


def test_a_user_without_the_right_may_not_import(ledger, company, make_user):
    from samspill.platform.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        bank.import_camt053(camt(), actor=make_user("sales"))
    assert BankStatement.objects.count() == 0


@pytest.mark.parametrize(
    "name, version",
    [
        ("camt053.v2.minimal.xml", "02"),
        ("camt053.v2.multi.statement.xml", "02"),
        ("camt053.v3.xml", "03"),
        ("camt053.v4.xml", "04"),
        ("camt053.v8.xml", "08"),
        ("camt53.only-Dt-with-DtTm.xml", None),
    ],
)
def test_samples_of_every_version_are_read(ledger, company, name, version):
    path = SAMPLES / name
    if not path.exists():
        pytest.skip(f"../shared/data/iso20022 is not available ({path})")
    content = path.read_bytes()
    root = etree.fromstring(content)
    if version:
        assert root.tag.endswith(f"camt.053.001.{version}}}Document")
    expected = []
    for stmt in root.iterfind("{*}BkToCstmrStmt/{*}Stmt"):
        amounts = []
        for ntry in stmt.iterfind("{*}Ntry"):
            amount = D(ntry.findtext("{*}Amt"))
            amounts.append(-amount if ntry.findtext("{*}CdtDbtInd") == "DBIT" else amount)
        account = stmt.findtext("{*}Acct/{*}Id/{*}IBAN") or stmt.findtext(
            "{*}Acct/{*}Id/{*}Othr/{*}Id"
        )
        expected.append((stmt.findtext("{*}Id"), account, amounts))
    from samspill.organization import services as organization

    organization.update_company(actor=None, iban=expected[0][1])
    statements = bank.import_camt053(content, actor=None)
    got = [
        (s.statement_id, s.account, [line.amount for line in s.lines.order_by("position")])
        for s in statements
    ]
    assert got == [(i, a, [x.quantize(D("0.01")) for x in amounts]) for i, a, amounts in expected]
    assert all(
        line.state == "unmatched" for s in statements for line in s.lines.all()
    )  # EUR lines are never matched against kroner invoices


def test_the_intentionally_wrong_sample_is_refused(ledger, company):
    path = SAMPLES / "camt053.v2.wrong.xml"
    if not path.exists():
        pytest.skip(f"../shared/data/iso20022 is not available ({path})")
    with pytest.raises(ValidationFailed, match="no statement"):
        bank.import_camt053(path.read_bytes(), actor=None)
    assert BankStatement.objects.count() == 0


def test_api_imports_lists_accepts_books_and_refuses(
    ledger, customer, company, finance, api, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = api(finance)
    paid = make_invoice(customer)
    proposed = make_invoice(customer, price="400")
    content = camt(
        entry("1250.00", kid=paid.kid, ref="K"),
        entry("500.00", name="Fjord Kaffe AS", text="faktura", ref="N"),
        entry("12.50", text="Renter", ref="R"),
    )
    url = "/api/v1/accounting/bank-statements"
    response = client.post(url, {"file": SimpleUploadedFile("s.xml", content)})
    assert response.status_code == 201, response.content
    [body] = response.json()
    assert (body["line_count"], body["matched_count"], body["proposed_count"]) == (3, 1, 1)
    lines = body["lines"]
    assert [(li["amount"], li["state"], li["confidence"]) for li in lines] == [
        ("1250.00", "matched", 100),
        ("500.00", "proposed", 80),
        ("12.50", "unmatched", 0),
    ]
    assert lines[1]["proposed_invoice_id"] == proposed.pk

    again = client.post(url, {"file": SimpleUploadedFile("s.xml", content)})
    assert again.status_code == 409
    assert again["Content-Type"].startswith("application/problem+json")
    assert again.json()["code"] == "already_imported"
    bad = client.post(url, {"file": SimpleUploadedFile("s.xml", b"<nope")})
    assert bad.status_code == 422
    assert "not well-formed XML" in bad.json()["errors"]["file"][0]

    accepted = client.post(f"{url}/lines/{lines[1]['id']}/accept")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "matched"
    assert Invoice.objects.get(pk=proposed.pk).state == Invoice.State.PAID
    booked = client.post(
        f"{url}/lines/{lines[2]['id']}/book", {"account": "8050"}, content_type="application/json"
    )
    assert booked.status_code == 200, booked.content
    assert booked.json()["state"] == "booked" and booked.json()["entry_id"]
    twice = client.post(f"{url}/lines/{lines[2]['id']}/accept")
    assert twice.status_code == 409

    bank.import_camt053(camt(statement="S2"), actor=None)
    with django_assert_max_num_queries(8):
        listed = client.get(url)
    assert listed.status_code == 200
    assert [s["statement_id"] for s in listed.json()["items"]] == ["S2", "STMT-2026-03"]
    one = client.get(f"{url}/{body['id']}")
    assert [li["state"] for li in one.json()["lines"]] == ["matched", "matched", "booked"]
    assert client.get(f"{url}/999999").status_code == 404


def test_api_needs_the_right(ledger, company, api, make_user):
    client = api(make_user("sales"))
    assert client.get("/api/v1/accounting/bank-statements").status_code == 403


def test_pages_upload_list_accept_and_book(
    ledger, customer, company, finance, login, django_assert_max_num_queries
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    paid = make_invoice(customer)
    proposed = make_invoice(customer, price="400")
    content = camt(
        entry("1250.00", kid=paid.kid, ref="K"),
        entry("500.00", name="Fjord Kaffe AS", text="faktura", ref="N"),
        entry("12.50", text="Renter", ref="R"),
    )
    client = login(finance)
    page = client.get("/accounting/bank/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'action="/accounting/bank/import/"' in html and 'type="file"' in html
    assert 'href="/accounting/bank/"' in html  # the nav entry

    response = client.post(
        "/accounting/bank/import/", {"file": SimpleUploadedFile("s.xml", content)}
    )
    statement = BankStatement.objects.get()
    assert response.status_code == 302 and response.url == f"/accounting/bank/{statement.pk}/"
    again = client.post(
        "/accounting/bank/import/", {"file": SimpleUploadedFile("s.xml", content)}, follow=True
    )
    assert "Kontoutskrift STMT-2026-03 er importert fra før." in again.content.decode()  # nb user
    assert BankStatement.objects.count() == 1

    with django_assert_max_num_queries(12):
        detail = client.get(f"/accounting/bank/{statement.pk}/")
    html = detail.content.decode()
    kid_line, name_line, other = statement.lines.order_by("position")
    assert f'data-line="{kid_line.pk}" data-state="matched"' in html
    assert f'data-line="{name_line.pk}" data-state="proposed"' in html
    assert f'action="/accounting/bank/lines/{name_line.pk}/accept/"' in html
    assert f'action="/accounting/bank/lines/{other.pk}/book/"' in html

    assert client.post(f"/accounting/bank/lines/{name_line.pk}/accept/").status_code == 302
    assert Invoice.objects.get(pk=proposed.pk).state == Invoice.State.PAID
    client.post(f"/accounting/bank/lines/{other.pk}/book/", {"account": "8050"})
    assert BankStatementLine.objects.get(pk=other.pk).state == "booked"

    for _n in range(3):
        bank.import_camt053(camt(statement=f"X{_n}"), actor=None)
    with django_assert_max_num_queries(12):
        listed = client.get("/accounting/bank/?statement_id=X")
    assert listed.content.decode().count('href="/accounting/bank/') >= 3
    export = client.get("/accounting/bank/?_export=csv")
    assert export.status_code == 200
    rows = export.content.decode().splitlines()
    assert len(rows) == 5 and rows[1].startswith("X2,")


def test_pages_need_the_right(ledger, company, login, make_user):
    client = login(make_user("sales"))
    assert client.get("/accounting/bank/").status_code == 403


def test_global_search_finds_a_statement_by_id_and_by_kid(ledger, customer, company, finance):
    from samspill.platform import registry

    invoice = make_invoice(customer)
    [statement] = bank.import_camt053(camt(entry("1250.00", kid=invoice.kid)), actor=None)
    url = f"/accounting/bank/{statement.pk}/"
    for query in ("STMT-2026", invoice.kid):
        found = {p.key: hits for p, hits in registry.search(finance, query)}
        assert [(h.title, h.url) for h in found["bank-statements"]] == [("STMT-2026-03", url)]
    assert "bank-statements" not in {p.key for p, _h in registry.search(finance, "nothing")}
