"""The SAF-T file: valid against Skatteetaten's 1.30 schema and code lists, and saying what
the ledger says (balances, customers and suppliers, VAT, vouchers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from lxml import etree

from samspill.localization.no.saft import services
from samspill.localization.no.saft.exporter import NS
from samspill.localization.no.saft.tests.conftest import validate
from samspill.platform.errors import PermissionDenied, ValidationFailed

Q = {"s": NS}
D = Decimal


def export(tmp_path, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), actor=None):
    path = tmp_path / "saft.xml"
    with path.open("wb") as handle:
        result = services.export(actor=actor, date_from=date_from, date_to=date_to, out=handle)
    return result, path, etree.parse(str(path)).getroot()


def text(node, xpath):
    return node.findtext(xpath, namespaces=Q)


def account(root, number):
    [node] = root.xpath(
        f"s:MasterFiles/s:GeneralLedgerAccounts/s:Account[s:AccountID='{number}']", namespaces=Q
    )
    return node


def balance(node, moment):
    debit = node.findtext(f"s:{moment}DebitBalance", namespaces=Q)
    credit = node.findtext(f"s:{moment}CreditBalance", namespaces=Q)
    return D(debit) if debit is not None else -D(credit)


def test_year_file_is_valid_saft_1_30(ledger, tmp_path):
    result, path, _root = export(tmp_path)
    check = validate(path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "VALID against SAF-T Financial 1.30 (0 error(s)" in check.stdout
    assert result.file_name.startswith("SAF-T Financial_998877660_")
    assert result.file_name.endswith(".xml") and len(result.file_name) == len(
        "SAF-T Financial_998877660_20260101120000.xml"
    )


def test_period_range_file_is_valid_and_names_the_periods(ledger, tmp_path):
    _result, path, root = export(tmp_path, date(2026, 2, 1), date(2026, 3, 31))
    check = validate(path)
    assert check.returncode == 0, check.stdout
    criteria = root.find("s:Header/s:SelectionCriteria", Q)
    assert [c.text for c in criteria] == ["2", "2026", "3", "2026"]
    periods = {t.text for t in root.iterfind(".//s:Transaction/s:Period", Q)}
    assert periods == {"2", "3"}


def test_header_carries_the_company(ledger, tmp_path, make_user):
    user = make_user("finance", first_name="Frida", last_name="Finans")
    _result, _path, root = export(tmp_path, actor=user)
    header = root.find("s:Header", Q)
    assert text(header, "s:AuditFileVersion") == "1.30"
    assert text(header, "s:AuditFileCountry") == "NO"
    assert text(header, "s:SoftwareCompanyName") == "Samspill"
    assert text(header, "s:Company/s:RegistrationNumber") == "998877660"
    assert text(header, "s:Company/s:Name") == "Nordlys Handel AS"
    assert text(header, "s:Company/s:TaxRegistration/s:TaxRegistrationNumber") == "998877660MVA"
    assert text(header, "s:Company/s:BankAccount/s:BankAccountNumber") == "12345678903"
    assert text(header, "s:Company/s:Contact/s:ContactPerson/s:FirstName") == "Frida"
    assert text(header, "s:DefaultCurrencyCode") == "NOK"
    assert text(header, "s:TaxAccountingBasis") == "A"
    assert text(header, "s:UserID") == user.username


def test_account_balances_follow_the_ledger(ledger, tmp_path):
    _result, _path, root = export(tmp_path)
    bank = account(root, "1920")
    assert balance(bank, "Opening") == D("200000")
    assert balance(bank, "Closing") == D("192500")
    # 2025's profit was never closed: it opens 2026 on retained earnings ...
    assert balance(account(root, "2050"), "Opening") == D("-12000")
    # ... and the profit and loss accounts start the year at zero.
    sales = account(root, "3000")
    assert balance(sales, "Opening") == D("0")
    assert balance(sales, "Closing") == D("-1000")
    assert text(sales, "s:GroupingCategory") == "salgsinntekt"
    assert text(sales, "s:GroupingCode") == "3000"
    accounts = root.findall("s:MasterFiles/s:GeneralLedgerAccounts/s:Account", Q)
    assert sum(balance(a, "Opening") for a in accounts) == 0
    assert sum(balance(a, "Closing") for a in accounts) == 0
    numbers = [text(a, "s:AccountID") for a in accounts]
    assert numbers == sorted(numbers)
    assert "1200" not in numbers  # never used, no balance


def test_customers_and_suppliers_with_balances(ledger, tmp_path):
    _result, _path, root = export(tmp_path)
    customers = {
        text(c, "s:Name"): c for c in root.iterfind("s:MasterFiles/s:Customers/s:Customer", Q)
    }
    acme = customers["Acme Bygg AS"]
    assert text(acme, "s:CustomerID") == str(ledger["customers"]["acme"].pk)
    assert text(acme, "s:BalanceAccount/s:AccountID") == "1500"
    assert balance(acme.find("s:BalanceAccount", Q), "Opening") == D("2500")
    assert balance(acme.find("s:BalanceAccount", Q), "Closing") == D("4580")
    assert text(acme, "s:Address/s:City") == "Bergen"
    # A customer with an open item from last year and no movement this year is listed.
    dormant = customers["Sovende Kunde AS"]
    assert balance(dormant.find("s:BalanceAccount", Q), "Closing") == D("12500")
    kari = customers[ledger["customers"]["kari"].name]
    assert text(kari, "s:PartyInfo/s:Type") == "Private"
    assert balance(kari.find("s:BalanceAccount", Q), "Closing") == D("0")
    suppliers = {
        text(s, "s:Name"): s for s in root.iterfind("s:MasterFiles/s:Suppliers/s:Supplier", Q)
    }
    assert set(suppliers) == {"Grossisten AS", "Cloud Services Ltd"}
    foreign = suppliers["Cloud Services Ltd"]
    assert text(foreign, "s:RegistrationNumber") is None
    assert balance(foreign.find("s:BalanceAccount", Q), "Closing") == D("-1000")
    party_ids = {text(c, "s:CustomerID") for c in customers.values()}
    line_ids = {c.text for c in root.iterfind(".//s:Line/s:CustomerID", Q)}
    assert line_ids <= party_ids


def test_tax_table_and_tax_information(ledger, tmp_path):
    _result, _path, root = export(tmp_path)
    details = root.findall("s:MasterFiles/s:TaxTable/s:TaxTableEntry/s:TaxCodeDetails", Q)
    codes = {text(d, "s:TaxCode"): d for d in details}
    assert text(codes["31"], "s:TaxPercentage") == "15.00"
    assert text(codes["86"], "s:StandardTaxCode") == "86"
    [sale] = [
        t
        for t in root.iterfind(".//s:Transaction", Q)
        if text(t, "s:TransactionDate") == "2026-01-10"
    ]
    taxed = {
        text(line, "s:TaxInformation/s:TaxCode"): line
        for line in sale.iterfind("s:Line", Q)
        if line.find("s:TaxInformation", Q) is not None
    }
    assert set(taxed) == {"3", "31", "33", "5"}
    food = taxed["31"].find("s:TaxInformation", Q)
    assert text(food, "s:TaxBase") == "2000.00"
    assert text(food, "s:CreditTaxAmount/s:Amount") == "300.00"
    assert text(taxed["5"], "s:TaxInformation/s:CreditTaxAmount/s:Amount") == "0.00"
    # Department and project as analysis on the line.
    analysis = [
        (text(a, "s:AnalysisType"), text(a, "s:AnalysisID"))
        for a in taxed["3"].iterfind("s:Analysis", Q)
    ]
    assert analysis == [("AVD", "SALG"), ("PROSJ", "P-100")]
    assert text(sale, "s:Description") == 'Faktura 3 <& "sitater">'
    # Reverse charge: the purchase line carries the VAT it computes, as a debit.
    [cloud] = [n for n in root.iterfind(".//s:Line", Q) if text(n, "s:AccountID") == "6900"]
    assert text(cloud, "s:TaxInformation/s:DebitTaxAmount/s:Amount") == "250.00"


def test_general_ledger_entries_totals_and_reversal(ledger, tmp_path):
    result, _path, root = export(tmp_path)
    entries = root.find("s:GeneralLedgerEntries", Q)
    transactions = entries.findall("s:Journal/s:Transaction", Q)
    assert (
        int(text(entries, "s:NumberOfEntries")) == len(transactions) == result.totals.entries == 7
    )
    lines = entries.findall(".//s:Line", Q)
    debit = sum(D(text(n, "s:DebitAmount/s:Amount") or 0) for n in lines)
    credit = sum(D(text(n, "s:CreditAmount/s:Amount") or 0) for n in lines)
    assert D(text(entries, "s:TotalDebit")) == debit == credit == D(text(entries, "s:TotalCredit"))
    assert [text(j, "s:JournalID") for j in entries.findall("s:Journal", Q)] == [
        "BNK",
        "PUR",
        "SAL",
    ]
    reversal = ledger["reversal"]
    [node] = [t for t in transactions if text(t, "s:TransactionID") == reversal.voucher]
    assert text(node, "s:TransactionType") == "Reversal"
    assert text(node, "s:Line/s:SourceDocumentID") == reversal.voucher
    assert text(node, "s:Period") == "2" and text(node, "s:PeriodYear") == "2026"


def test_export_is_audited_and_published(ledger, tmp_path, make_user):
    from samspill.platform.models import AuditEntry, OutboxEvent

    user = make_user("management")
    result, _path, _root = export(tmp_path, date(2026, 1, 1), date(2026, 1, 31), actor=user)
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor == user
    assert entry.changes["saft"][1]["from"] == "2026-01-01"
    assert entry.changes["saft"][1]["to"] == "2026-01-31"
    assert entry.changes["saft"][1]["file"] == result.file_name
    event = OutboxEvent.objects.get(type="localization.saft.exported")
    assert event.payload["entries"] == 2 and event.payload["fiscal_year"] == "2026"
    assert event.actor == user


@pytest.mark.parametrize(
    ("date_from", "date_to", "code"),
    [
        (date(2026, 3, 1), date(2026, 2, 1), "range_reversed"),
        (date(2025, 12, 1), date(2026, 1, 31), "range_across_fiscal_years"),
        (date(2024, 1, 1), date(2024, 1, 31), "no_fiscal_year"),
    ],
)
def test_bad_ranges_are_refused_and_nothing_is_recorded(ledger, tmp_path, date_from, date_to, code):
    from samspill.platform.models import AuditEntry, OutboxEvent

    with pytest.raises(ValidationFailed) as caught:
        export(tmp_path, date_from, date_to)
    assert caught.value.code == code
    assert not AuditEntry.objects.filter(action="export").exists()
    assert not OutboxEvent.objects.filter(type="localization.saft.exported").exists()


def test_roles_without_finance_rights_may_not_export(ledger, tmp_path, make_user):
    with pytest.raises(PermissionDenied):
        export(tmp_path, actor=make_user("sales"))


def test_company_must_be_set_up(db, tmp_path):
    from samspill.accounting import services as accounting
    from samspill.platform.errors import Conflict

    accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    with pytest.raises(Conflict) as caught:
        export(tmp_path)
    assert caught.value.code == "no_company"


def test_query_count_does_not_grow_with_vouchers(ledger, tmp_path, django_assert_max_num_queries):
    # Header, master files, totals and the streamed lines: a fixed number of queries.
    with django_assert_max_num_queries(25):
        export(tmp_path)


@pytest.mark.django_db(transaction=True)
def test_export_as_its_own_transaction(tmp_path):
    """Outside a test transaction the export opens its own (REPEATABLE READ on PostgreSQL,
    with the lines read through a server-side cursor) and commits audit and event."""
    from samspill.accounting import services as accounting
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.platform.models import AuditEntry

    organization.update_company(actor=None, **COMPANY)
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    accounting.post_entries(
        [
            {
                "journal": "GEN",
                "date": date(2026, 5, 1),
                "lines": [
                    {"account": "1920", "debit": D("100")},
                    {"account": "2000", "credit": D("100")},
                ],
            }
        ],
        actor=None,
    )
    result, path, root = export(tmp_path)
    assert result.totals.entries == 1
    assert validate(path).returncode == 0
    assert AuditEntry.objects.filter(action="export").count() == 1
    assert text(root, "s:GeneralLedgerEntries/s:TotalDebit") == "100.00"


def test_unmapped_accounts_are_refused_before_writing(ledger, tmp_path):
    from samspill.accounting import services as accounting
    from samspill.accounting.models import Account
    from samspill.platform.errors import Conflict
    from samspill.platform.models import AuditEntry

    accounting.update_account(Account.objects.get(number="3030"), actor=None, grouping_code="")
    path = tmp_path / "saft.xml"
    with path.open("wb") as handle, pytest.raises(Conflict) as caught:
        services.export(
            actor=None, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), out=handle
        )
    assert caught.value.code == "unmapped_accounts"
    assert "3030" in str(caught.value)
    assert path.read_bytes() == b""
    assert not AuditEntry.objects.filter(action="export").exists()


def test_every_reference_on_a_line_is_in_the_master_files(ledger, tmp_path):
    """The schema's keys do not reach the namespaced elements, so check them here."""
    _result, _path, root = export(tmp_path)

    def values(xpath):
        return {node.text for node in root.xpath(xpath, namespaces=Q)}

    masters = "s:MasterFiles/"
    lines = "s:GeneralLedgerEntries/s:Journal/s:Transaction/s:Line/"
    assert values(lines + "s:AccountID") <= values(
        masters + "s:GeneralLedgerAccounts/s:Account/s:AccountID"
    )
    assert values(lines + "s:CustomerID") <= values(masters + "s:Customers/s:Customer/s:CustomerID")
    assert values(lines + "s:SupplierID") <= values(masters + "s:Suppliers/s:Supplier/s:SupplierID")
    assert values(lines + "s:SupplierID")  # the suppliers' lines do carry their ID
    assert values(lines + "s:TaxInformation/s:TaxCode") <= values(
        masters + "s:TaxTable/s:TaxTableEntry/s:TaxCodeDetails/s:TaxCode"
    )
    assert (
        values(lines + "s:Analysis/s:AnalysisID")
        == values(masters + "s:AnalysisTypeTable/s:AnalysisTypeTableEntry/s:AnalysisID")
        == {"SALG", "P-100"}
    )
    balance_accounts = values(masters + "s:Customers/s:Customer/s:BalanceAccount/s:AccountID")
    assert balance_accounts == {"1500"}
