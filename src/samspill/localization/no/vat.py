# ruff: noqa: E501  (data tables: one record a line reads best)
"""Norwegian VAT (merverdiavgift, MVA): the codes Samspill ships, each mapped to its SAF-T
standard tax code, and the map from the catalog's VAT categories to codes.

Our codes use the same numbers as the SAF-T standard codes (Skatteetaten's list, in
`shared/data/saft/Standard Tax Codes`), which is what Norwegian accountants expect to see.

`direction` says which side of trade a code belongs to: "sales" (output VAT) or "purchase"
(input VAT). `treatment` says how it is computed:
- "standard": VAT at `rate` on the base, posted to `account` (output VAT on a sale is a
  credit, input VAT on a purchase a debit);
- "zero": a sale that is within the VAT act at 0 % (export, newspapers, domestic zero rate);
- "exempt": outside the VAT act (no VAT, but reported as such);
- "none": no VAT treatment (e.g. purchases without deduction, wages);
- "reverse_charge" and "import": the buyer computes VAT itself; the code posts output VAT
  (credit `account`) and, when deductible, the same amount as input VAT (debit
  `deduction_account`), which nets to zero for a business with full deduction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class VatCodeSpec:
    code: str
    standard_code: str
    name_nb: str
    name_en: str
    direction: str  # "sales" | "purchase"
    treatment: str  # standard | zero | exempt | none | reverse_charge | import
    rate: Decimal
    account: str = ""  # output VAT (sales, reverse charge, import) or input VAT (purchase)
    deduction_account: str = ""  # input VAT side of reverse charge / import


D = Decimal
VAT_CODES: tuple[VatCodeSpec, ...] = (
    # Sales (output VAT)
    VatCodeSpec("3", "3", "Salg, alminnelig sats", "Sales, standard rate", "sales", "standard", D("25"), "2700"),
    VatCodeSpec("31", "31", "Salg, middels sats (næringsmidler)", "Sales, middle rate (food)", "sales", "standard", D("15"), "2701"),
    VatCodeSpec("33", "33", "Salg, lav sats (transport, kino, hotell)", "Sales, low rate (transport, cinema, hotel)", "sales", "standard", D("12"), "2703"),
    VatCodeSpec("5", "5", "Salg innenlands fritatt for mva (nullsats)", "Domestic sales, zero-rated", "sales", "zero", D("0")),
    VatCodeSpec("51", "51", "Salg med omvendt avgiftsplikt", "Sales with reverse charge", "sales", "reverse_charge", D("0")),
    VatCodeSpec("52", "52", "Utførsel (eksport)", "Export of goods and services", "sales", "zero", D("0")),
    VatCodeSpec("6", "6", "Salg utenfor merverdiavgiftsloven", "Sales outside the VAT act", "sales", "exempt", D("0")),
    VatCodeSpec("7", "7", "Inntekt uten mva-behandling", "Income without VAT treatment", "sales", "none", D("0")),
    # Purchases (input VAT)
    VatCodeSpec("0", "0", "Kjøp uten mva-behandling", "Purchase without VAT treatment", "purchase", "none", D("0")),
    VatCodeSpec("1", "1", "Kjøp med fradrag, alminnelig sats", "Purchase with deduction, standard rate", "purchase", "standard", D("25"), "2710"),
    VatCodeSpec("11", "11", "Kjøp med fradrag, middels sats", "Purchase with deduction, middle rate", "purchase", "standard", D("15"), "2711"),
    VatCodeSpec("13", "13", "Kjøp med fradrag, lav sats", "Purchase with deduction, low rate", "purchase", "standard", D("12"), "2713"),
    VatCodeSpec("14", "14", "Innførselsmva betalt ved import, fradrag", "Import VAT paid at customs, deductible", "purchase", "standard", D("25"), "2715"),
    VatCodeSpec("81", "81", "Innførsel av varer med fradrag, alminnelig sats", "Import of goods with deduction, standard rate", "purchase", "import", D("25"), "2705", "2715"),
    VatCodeSpec("86", "86", "Tjenester kjøpt fra utlandet, med fradrag", "Services bought abroad, with deduction", "purchase", "reverse_charge", D("25"), "2704", "2714"),
    VatCodeSpec("88", "88", "Tjenester kjøpt fra utlandet, lav sats, med fradrag", "Services bought abroad, low rate, with deduction", "purchase", "reverse_charge", D("12"), "2709", "2718"),
    VatCodeSpec("91", "91", "Innenlands kjøp med omvendt avgiftsplikt, med fradrag", "Domestic purchase with reverse charge, with deduction", "purchase", "reverse_charge", D("25"), "2707", "2717"),
)  # fmt: skip

# The catalog's VAT categories (the catalog app uses exactly these keys) -> (sales code,
# purchase code).
VAT_CATEGORIES: dict[str, tuple[str, str]] = {
    "standard": ("3", "1"),  # 25 %
    "food": ("31", "11"),  # 15 %, food and drink
    "low": ("33", "13"),  # 12 %, passenger transport, cinema, hotel
    "zero": ("5", "0"),  # 0 %, zero-rated sale (e.g. newspapers); export uses code 52
    "exempt": ("6", "0"),  # outside the VAT act
}
