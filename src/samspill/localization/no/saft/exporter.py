"""The SAF-T Financial 1.30 writer: Header, MasterFiles (general ledger accounts,
customers, suppliers, tax table, analysis types) and GeneralLedgerEntries.

The file is streamed with lxml's incremental writer (`etree.xmlfile`): the master files
are small and written whole; the journal lines come from one streamed query and each
voucher is written as soon as its lines are read, so a year with a million lines never
sits in memory. Elements are written without a namespace inside the namespaced root,
so they inherit its default namespace `urn:StandardAuditFile-Taxation-Financial:NO`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from importlib import metadata
from itertools import groupby
from operator import itemgetter

from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from samspill.localization.no.saft import queries
from samspill.localization.no.saft.queries import ZERO, Selection, Totals
from samspill.platform.errors import Conflict

NS = "urn:StandardAuditFile-Taxation-Financial:NO"
AUDIT_FILE_VERSION = "1.30"
SOFTWARE = "Samspill"
TAX_TYPE = "MVA"
ANALYSIS_TYPES = {"department": ("AVD", "Avdeling"), "project": ("PROSJ", "Prosjekt")}
TRANSACTION_TYPES = {
    "normal": "Normal",
    "opening": "Opening",
    "closing": "Closing",
}
# Characters XML 1.0 does not allow (control characters other than tab, LF, CR).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Progress = Callable[[int], None]  # called with the number of lines written since last call


def software_version() -> str:
    try:
        return metadata.version("samspill")[:18]
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "dev"


def file_name(orgnr: str, created: datetime) -> str:
    """Skatteetaten's recommended name: SAF-T Financial_<orgnr>_<YYYYMMDDhhmmss>.xml."""
    return f"SAF-T Financial_{orgnr}_{timezone.localtime(created):%Y%m%d%H%M%S}.xml"


def _text(value, limit: int) -> str:
    return _ILLEGAL.sub("", str(value or "")).strip()[:limit]


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _local_date(value: datetime | None, fallback: date) -> str:
    return (timezone.localdate(value) if value else fallback).isoformat()


def _sub(parent, tag: str, text=None):
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = text
    return child


def _leaf(tag: str, text: str):
    element = etree.Element(tag)
    element.text = text
    return element


def _amount(parent, tag: str, value: Decimal) -> None:
    _sub(_sub(parent, tag), "Amount", _money(value))


def _balance(parent, prefix: str, balance: Decimal) -> None:
    """OpeningDebitBalance / OpeningCreditBalance (or Closing...) for a debit - credit."""
    side = "Debit" if balance >= 0 else "Credit"
    _sub(parent, f"{prefix}{side}Balance", _money(abs(balance)))


# --- Header --------------------------------------------------------------------------------


def _contact_person(user) -> tuple[str, str]:
    """The user who exports; without one, the lead of the finance team; without one,
    the software (SAF-T requires a first and a last name)."""
    if user is None or not getattr(user, "is_authenticated", False):
        user = queries.finance_contact()
    if user is not None:
        first = (user.first_name or "").strip()
        last = (user.last_name or "").strip()
        if first and last:
            return first, last
        return first or user.get_username(), last or user.get_username()
    return SOFTWARE, "System"


def _address(parent, street: str, code: str, city: str, country: str, kind: str) -> None:
    if not (street or city or code):
        return
    address = _sub(parent, "Address")
    lines = [line.strip() for line in street.splitlines() if line.strip()]
    if lines:
        _sub(address, "StreetName", _text(lines[0], 256))
    if len(lines) > 1:
        _sub(address, "AdditionalAddressDetail", _text(" ".join(lines[1:]), 256))
    if city:
        _sub(address, "City", _text(city, 256))
    if code:
        _sub(address, "PostalCode", _text(code, 70))
    if country:
        _sub(address, "Country", country[:2].upper())
    _sub(address, "AddressType", kind)


def header(selection: Selection, company, *, created: datetime, user=None):
    root = etree.Element("Header")
    _sub(root, "AuditFileVersion", AUDIT_FILE_VERSION)
    _sub(root, "AuditFileCountry", "NO")
    _sub(root, "AuditFileDateCreated", timezone.localdate(created).isoformat())
    _sub(root, "SoftwareCompanyName", SOFTWARE)
    _sub(root, "SoftwareID", SOFTWARE)
    _sub(root, "SoftwareVersion", software_version())
    node = _sub(root, "Company")
    _sub(node, "RegistrationNumber", company.org_number)
    _sub(node, "Name", _text(company.legal_name, 256))
    _address(
        node,
        company.visiting_street,
        company.visiting_code,
        company.visiting_city,
        company.visiting_country,
        "StreetAddress",
    )
    _address(
        node,
        company.postal_street,
        company.postal_code,
        company.postal_city,
        company.postal_country,
        "PostalAddress",
    )
    contact = _sub(node, "Contact")
    person = _sub(contact, "ContactPerson")
    first, last = _contact_person(user)
    _sub(person, "FirstName", _text(first, 35))
    _sub(person, "LastName", _text(last, 70))
    if company.phone:
        _sub(contact, "Telephone", _text(company.phone, 18))
    if company.email:
        _sub(contact, "Email", _text(company.email, 70))
    if company.website:
        _sub(contact, "Website", company.website)
    if company.mva_registered:
        tax = _sub(node, "TaxRegistration")
        _sub(tax, "TaxRegistrationNumber", f"{company.org_number}MVA")
        _sub(tax, "TaxAuthority", "Skatteetaten")
    currency = company.base_currency or "NOK"
    if company.bank_account:
        bank = _sub(node, "BankAccount")
        _sub(bank, "BankAccountNumber", company.bank_account)
        _sub(bank, "CurrencyCode", currency)
    elif company.iban:
        bank = _sub(node, "BankAccount")
        _sub(bank, "IBANNumber", company.iban)
        _sub(bank, "CurrencyCode", currency)
    _sub(root, "DefaultCurrencyCode", currency)
    criteria = _sub(root, "SelectionCriteria")
    if selection.whole_periods:
        _sub(criteria, "PeriodStart", str(selection.first_period.number))
        _sub(criteria, "PeriodStartYear", str(selection.period_year))
        _sub(criteria, "PeriodEnd", str(selection.last_period.number))
        _sub(criteria, "PeriodEndYear", str(selection.period_year))
    else:
        _sub(criteria, "SelectionStartDate", selection.date_from.isoformat())
        _sub(criteria, "SelectionEndDate", selection.date_to.isoformat())
    _sub(
        root,
        "HeaderComment",
        _text(f"{company.legal_name} {selection.fiscal_year.name}: {selection}", 256),
    )
    _sub(root, "TaxAccountingBasis", "A")
    if user is not None and getattr(user, "is_authenticated", False):
        _sub(root, "UserID", _text(user.get_username(), 256))
    return root


# --- Master files --------------------------------------------------------------------------


def general_ledger_accounts(balances: Iterable[queries.AccountBalance]):
    root = etree.Element("GeneralLedgerAccounts")
    for row in balances:
        account = row.account
        node = _sub(root, "Account")
        _sub(node, "AccountID", _text(account.number, 70))
        _sub(node, "AccountDescription", _text(account.name, 256))
        # 1.30 maps every account to the business statement (næringsspesifikasjon).
        _sub(node, "GroupingCategory", _text(account.grouping_category, 256))
        _sub(node, "GroupingCode", _text(account.grouping_code, 35))
        _sub(node, "AccountType", "GL")
        _balance(node, "Opening", row.opening)
        _balance(node, "Closing", row.closing)
    return root


def _party(tag: str, master: queries.PartyMaster):
    party = master.party
    node = etree.Element(tag)
    if getattr(party, "orgnr", ""):
        _sub(node, "RegistrationNumber", _text(party.orgnr, 35))
    _sub(node, "Name", _text(party.name or f"#{party.pk}", 256))
    kinds = {"visiting": "StreetAddress", "postal": "PostalAddress", "invoice": "BillingAddress"}
    for address in party.addresses.all():
        if address.kind not in kinds:
            continue
        street = "\n".join(line for line in (address.line1, address.line2) if line)
        _address(
            node, street, address.postal_code, address.city, address.country, kinds[address.kind]
        )
    _sub(node, "CustomerID" if tag == "Customer" else "SupplierID", str(party.pk))
    for balance in master.balances:
        account = _sub(node, "BalanceAccount")
        _sub(account, "AccountID", balance.account_number)
        _balance(account, "Opening", balance.opening)
        _balance(account, "Closing", balance.closing)
    info = _sub(node, "PartyInfo")
    _sub(info, "Type", "Private" if party.kind == "person" else "Company")
    _sub(info, "Status", "Active" if getattr(party, "is_active", True) else "Passive")
    return node


def tax_table(codes):
    root = etree.Element("TaxTable")
    entry = _sub(root, "TaxTableEntry")
    _sub(entry, "TaxType", TAX_TYPE)
    _sub(entry, "Description", "Merverdiavgift")
    for code in codes:
        details = _sub(entry, "TaxCodeDetails")
        _sub(details, "TaxCode", _text(code.code, 70))
        _sub(details, "Description", _text(code.name, 256))
        _sub(details, "TaxPercentage", f"{code.rate:.2f}")
        _sub(details, "Country", "NO")
        _sub(details, "StandardTaxCode", code.standard_code)
        _sub(details, "BaseRate", "100")
    return root


def analysis_type_table(codes: dict[str, list[tuple[str, str]]]):
    if not any(codes.values()):
        return None
    root = etree.Element("AnalysisTypeTable")
    for kind, rows in codes.items():
        analysis_type, description = ANALYSIS_TYPES[kind]
        for code, name in rows:
            entry = _sub(root, "AnalysisTypeTableEntry")
            _sub(entry, "AnalysisType", analysis_type)
            _sub(entry, "AnalysisTypeDescription", description)
            _sub(entry, "AnalysisID", _text(code, 35))
            _sub(entry, "AnalysisIDDescription", _text(name, 256))
    return root


# --- General ledger entries ---------------------------------------------------------------


def _voucher(entry: dict) -> str:
    return f"{entry['journal__code']} {entry['fiscal_year__name']}-{entry['number']}"


def transaction(entry: dict, rows: list[dict], selection: Selection, roles: dict[int, str]):
    """One voucher with its lines. TaxInformation goes on the line that carries the base
    (as in Skatteetaten's example files): its VAT code, rate, base and the VAT computed
    from it; the lines on the VAT accounts point to it (`vat_of`)."""
    voucher = _voucher(entry)
    description = _text(entry["description"] or voucher, 256)
    node = etree.Element("Transaction")
    _sub(node, "TransactionID", _text(voucher, 70))
    _sub(node, "Period", str(entry["period__number"]))
    _sub(node, "PeriodYear", str(selection.period_year))
    _sub(node, "TransactionDate", entry["date"].isoformat())
    _sub(node, "SourceID", _text(entry["posted_by__username"] or SOFTWARE, 35))
    _sub(node, "VoucherType", _text(entry["journal__code"], 70))
    kind = entry["kind"]
    if entry["reversal_of_id"]:
        transaction_type = "Reversal"
    else:
        transaction_type = TRANSACTION_TYPES.get(kind, "Normal")
    _sub(node, "TransactionType", transaction_type)
    _sub(node, "Description", description)
    _sub(node, "SystemEntryDate", _local_date(entry["created_at"], entry["date"]))
    _sub(node, "GLPostingDate", _local_date(entry["posted_at"], entry["date"]))
    vat_amounts: dict[int, Decimal] = {}
    for row in rows:
        base = row["vat_of_id"]
        if base is not None and base not in vat_amounts:
            vat_amounts[base] = row["debit"] or row["credit"]
    for row in rows:
        line = _sub(node, "Line")
        _sub(line, "RecordID", str(row["line_no"]))
        _sub(line, "AccountID", _text(row["account__number"], 70))
        for kind_key, code_field in (
            ("department", "department__code"),
            ("project", "project__code"),
        ):
            if row[code_field]:
                analysis = _sub(line, "Analysis")
                _sub(analysis, "AnalysisType", ANALYSIS_TYPES[kind_key][0])
                _sub(analysis, "AnalysisID", _text(row[code_field], 256))
        _sub(line, "SourceDocumentID", _text(voucher, 35))
        role = roles.get(row["account_id"])
        if role and row["party_id"]:
            _sub(line, "CustomerID" if role == "customer" else "SupplierID", str(row["party_id"]))
        _sub(line, "Description", _text(row["description"] or description, 256))
        debit = row["debit"] > 0
        _amount(line, "DebitAmount" if debit else "CreditAmount", row["debit"] or row["credit"])
        if row["vat_code__code"] and row["vat_of_id"] is None:
            tax = _sub(line, "TaxInformation")
            _sub(tax, "TaxType", TAX_TYPE)
            _sub(tax, "TaxCode", _text(row["vat_code__code"], 70))
            _sub(tax, "TaxPercentage", f"{row['vat_code__rate']:.2f}")
            _sub(tax, "Country", "NO")
            _sub(tax, "TaxBase", _money(row["debit"] or row["credit"]))
            _amount(
                tax,
                "DebitTaxAmount" if debit else "CreditTaxAmount",
                vat_amounts.get(row["id"], ZERO),
            )
    return node


def _lines_of(entry_id: int, groups) -> list[dict]:
    """The lines of one voucher from the line stream, which follows the voucher stream."""
    for group_id, rows in groups:
        if group_id == entry_id:
            return list(rows)
        raise RuntimeError(f"SAF-T: lines of voucher {group_id} came before voucher {entry_id}")
    raise RuntimeError(f"SAF-T: voucher {entry_id} has no lines")


def check_mapping(balances: Iterable[queries.AccountBalance]) -> None:
    """SAF-T 1.30 requires a grouping category and code on every account: refuse before
    writing rather than produce a file Skatteetaten rejects."""
    unmapped = [
        b.account.number
        for b in balances
        if not (b.account.grouping_category.strip() and b.account.grouping_code.strip())
    ]
    if unmapped:
        raise Conflict(
            _(
                "These accounts have no SAF-T grouping category and code: %(accounts)s. "
                "Map them in the chart of accounts first."
            )
            % {"accounts": ", ".join(unmapped)},
            code="unmapped_accounts",
        )


def company_or_fail():
    company = queries.company()
    if company is None or not company.org_number or not company.legal_name:
        raise Conflict(
            _("Set up the company (name and organisation number) before exporting SAF-T."),
            code="no_company",
        )
    return company


def write(
    selection: Selection,
    out,
    *,
    created: datetime,
    user=None,
    progress: Progress | None = None,
    totals: Totals | None = None,
) -> Totals:
    """Write the SAF-T file of `selection` to `out` (a path or a binary file object).
    Returns the counts and sums written in GeneralLedgerEntries."""
    company = company_or_fail()
    balances = queries.account_balances(selection)
    check_mapping(balances)
    totals = totals or queries.totals(selection)
    roles = queries.receivable_accounts()
    customers, suppliers = queries.party_masters(selection, roles)
    journals = {j.code: j for j in totals.journals}
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        with xf.element(f"{{{NS}}}AuditFile", nsmap={None: NS}):
            xf.write("\n", header(selection, company, created=created, user=user), "\n")
            with xf.element("MasterFiles"):
                xf.write(general_ledger_accounts(balances), "\n")
                for tag, masters in (("Customers", customers), ("Suppliers", suppliers)):
                    if masters:
                        with xf.element(tag):
                            for master in masters:
                                xf.write(_party(tag[:-1], master), "\n")
                xf.write(tax_table(queries.vat_codes()), "\n")
                analysis = analysis_type_table(queries.analysis_codes(selection))
                if analysis is not None:
                    xf.write(analysis, "\n")
            xf.write("\n")
            with xf.element("GeneralLedgerEntries"):
                xf.write(
                    _leaf("NumberOfEntries", str(totals.entries)),
                    _leaf("TotalDebit", _money(totals.debit)),
                    _leaf("TotalCredit", _money(totals.credit)),
                    "\n",
                )
                entries = queries.entries_in_order(selection)
                lines = groupby(queries.lines_in_order(selection), key=itemgetter("entry_id"))
                by_journal = groupby(entries, key=itemgetter("journal__code"))
                for code, journal_entries in by_journal:
                    summary = journals.get(code)
                    with xf.element("Journal"):
                        xf.write(
                            _leaf("JournalID", _text(code, 18)),
                            _leaf("Description", _text(summary.name if summary else code, 256)),
                            _leaf("Type", _text(summary.kind if summary else "general", 9)),
                            "\n",
                        )
                        for entry in journal_entries:
                            rows = _lines_of(entry["id"], lines)
                            xf.write(transaction(entry, rows, selection, roles), "\n")
                            if progress is not None:
                                progress(len(rows))
            xf.write("\n")
    return totals
