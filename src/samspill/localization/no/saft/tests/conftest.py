"""A small hand-built ledger for the SAF-T tests: the demo company, the Norwegian chart and
VAT codes, fiscal years 2025 (left open) and 2026, customers and suppliers, sales at 25, 15,
12 and 0 %, purchases with deduction and with reverse charge, a department, a project,
payments and a reversal."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[6]
SHARED = REPO.parent / "shared"
VALIDATOR = SHARED / "tools" / "validate_saft.py"
D = Decimal


def validate(path: Path) -> subprocess.CompletedProcess:
    """Skatteetaten's schema and code lists, through the shared validator."""
    if not VALIDATOR.is_file():
        pytest.skip(f"SAF-T validator not found: {VALIDATOR} (../shared is absent)")
    return subprocess.run(  # noqa: S603 - our own interpreter and the shared tool
        [sys.executable, str(VALIDATOR), "--schema", "1.30", "--codes", "--strict", str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def ledger(db):
    from samspill.accounting import services as accounting
    from samspill.accounting.models import JournalEntry
    from samspill.localization.no import services as localization
    from samspill.organization import services as organization
    from samspill.organization.demo import COMPANY
    from samspill.parties.tests.factories import (
        AddressFactory,
        OrganizationFactory,
        PersonFactory,
    )

    organization.update_company(actor=None, **COMPANY)
    department = organization.create_department(
        actor=None, name="Salg", code="SALG", function="sales"
    )
    project = accounting.create_project(actor=None, code="P-100", name="Nettbutikk")
    localization.load_vat_codes(actor=None)
    accounting.load_chart(actor=None)
    accounting.open_fiscal_year(actor=None, start=date(2025, 1, 1))
    accounting.open_fiscal_year(actor=None, start=date(2026, 1, 1))
    acme = OrganizationFactory(name="Acme Bygg AS", is_customer=True)
    AddressFactory(party=acme, kind="postal", line1="Postboks 7", postal_code="5003", city="Bergen")
    kari = PersonFactory(is_customer=True)
    dormant = OrganizationFactory(name="Sovende Kunde AS", is_customer=True)
    supplier = OrganizationFactory(name="Grossisten AS", is_supplier=True)
    foreign = OrganizationFactory(name="Cloud Services Ltd", orgnr="", is_supplier=True)
    entries = [
        # 2025, never closed: a profit and open items carried into 2026.
        {"journal": "GEN", "date": date(2025, 1, 1), "description": "Åpningsbalanse",
         "lines": [{"account": "1920", "debit": D("200000")},
                   {"account": "2000", "credit": D("200000")}]},
        {"journal": "SAL", "date": date(2025, 11, 3), "description": "Faktura 1",
         "lines": [{"account": "1500", "debit": D("12500"), "party": dormant.pk},
                   {"account": "3000", "credit": D("10000"), "vat_code": "3"}]},
        {"journal": "SAL", "date": date(2025, 12, 1), "description": "Faktura 2",
         "lines": [{"account": "1500", "debit": D("2500"), "party": acme.pk},
                   {"account": "3000", "credit": D("2000"), "vat_code": "3"}]},
        # 2026
        {"journal": "SAL", "date": date(2026, 1, 10), "description": "Faktura 3 <& \"sitater\">",
         "lines": [{"account": "1500", "debit": D("4580"), "party": acme.pk},
                   {"account": "3000", "credit": D("1000"), "vat_code": "3",
                    "department": department.pk, "project": "P-100"},
                   {"account": "3030", "credit": D("2000"), "vat_code": "31"},
                   {"account": "3050", "credit": D("500"), "vat_code": "33"},
                   {"account": "3100", "credit": D("470"), "vat_code": "5"}]},
        {"journal": "SAL", "date": date(2026, 2, 14), "description": "Kontantsalg privat",
         "lines": [{"account": "1500", "debit": D("1250"), "party": kari.pk},
                   {"account": "3020", "credit": D("1000"), "vat_code": "3"}]},
        {"journal": "PUR", "date": date(2026, 1, 20), "description": "Varekjøp",
         "lines": [{"account": "4300", "debit": D("8000"), "vat_code": "1"},
                   {"account": "2400", "credit": D("10000"), "party": supplier.pk}]},
        {"journal": "PUR", "date": date(2026, 2, 2), "description": "Skytjenester fra utlandet",
         "lines": [{"account": "6900", "debit": D("1000"), "vat_code": "86"},
                   {"account": "2400", "credit": D("1000"), "party": foreign.pk}]},
        {"journal": "BNK", "date": date(2026, 2, 10), "description": "Innbetaling",
         "lines": [{"account": "1920", "debit": D("2500")},
                   {"account": "1500", "credit": D("2500"), "party": acme.pk}]},
        {"journal": "BNK", "date": date(2026, 3, 1), "description": "Betaling leverandør",
         "lines": [{"account": "2400", "debit": D("10000"), "party": supplier.pk},
                   {"account": "1920", "credit": D("10000")}]},
    ]  # fmt: skip
    posted = accounting.post_entries(entries, actor=None)
    wrong = next(e for e in posted if e.description == "Kontantsalg privat")
    reversal = accounting.reverse_entry(
        JournalEntry.objects.get(pk=wrong.pk), actor=None, date=date(2026, 2, 20)
    )
    return {
        "customers": {"acme": acme, "kari": kari, "dormant": dormant},
        "suppliers": {"supplier": supplier, "foreign": foreign},
        "reversal": reversal,
        "department": department,
        "project": project,
    }
