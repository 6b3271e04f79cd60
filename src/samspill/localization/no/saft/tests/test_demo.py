"""The demo company's bookkeeping (`samspill demo`) exports to valid SAF-T files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from samspill.localization.no.saft import services
from samspill.localization.no.saft.exporter import NS
from samspill.localization.no.saft.tests.conftest import validate

Q = {"s": NS}


@pytest.fixture
def demo(db):
    call_command("demo", stdout=StringIO())


def balances(root, moment: str) -> Decimal:
    total = Decimal(0)
    for account in root.iterfind("s:MasterFiles/s:GeneralLedgerAccounts/s:Account", Q):
        debit = account.findtext(f"s:{moment}DebitBalance", namespaces=Q)
        credit = account.findtext(f"s:{moment}CreditBalance", namespaces=Q)
        total += Decimal(debit) if debit is not None else -Decimal(credit)
    return total


@pytest.mark.parametrize("year", ["previous", "current"])
def test_demo_year_exports_a_valid_file(demo, tmp_path, year):
    today = date.today()
    if year == "previous":
        start, end = date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    else:
        start, end = date(today.year, 1, 1), today
    path = tmp_path / "demo.xml"
    with path.open("wb") as handle:
        result = services.export(actor=None, date_from=start, date_to=end, out=handle)
    check = validate(path)
    assert check.returncode == 0, check.stdout + check.stderr
    root = etree.parse(str(path)).getroot()
    assert result.totals.entries > 50  # a year of sales, purchases, salaries, VAT, bank
    assert root.find("s:MasterFiles/s:Customers", Q) is not None
    assert root.find("s:MasterFiles/s:Suppliers", Q) is not None
    assert balances(root, "Opening") == 0
    assert balances(root, "Closing") == 0
    assert result.totals.debit == result.totals.credit > 0
