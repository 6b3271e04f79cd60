# ruff: noqa: E501  (data tables: one record a line reads best)
"""The Samspill chart of accounts for Norwegian companies, after NS 4102 classes 1-8.

The account names are our own. Each account carries its SAF-T mapping: the standard
account (Regnskap Norge's General Ledger Standard Accounts, used here only for SAF-T
mapping, as its copyright notice allows) and the grouping category and code of SAF-T
Financial 1.3 ("næringsspesifikasjon"). A test checks every mapping against the official
code lists in `shared/data/saft`.

Classes: 1 assets, 2 equity and liabilities, 3 operating income, 4 cost of goods,
5 payroll, 6-7 other operating expenses, 8 financial items, tax and the year's result.
"""

from __future__ import annotations

from dataclasses import dataclass

ASSET, LIABILITY, EQUITY, INCOME, EXPENSE = "asset", "liability", "equity", "income", "expense"
SALES, PURCHASE, NO_VAT = "sales", "purchase", "none"

# Grouping categories of SAF-T Financial 1.3 (næringsspesifikasjon)
FIXED = "balanseverdiForAnleggsmiddel"
CURRENT = "balanseverdiForOmloepsmiddel"
EQ = "egenkapital"
LONG = "langsiktigGjeld"
SHORT = "kortsiktigGjeld"
SALES_INCOME = "salgsinntekt"
OTHER_INCOME = "annenDriftsinntekt"
GOODS = "varekostnad"
PAYROLL = "loennskostnad"
OPEX = "annenDriftskostnad"
FIN_INCOME = "finansinntekt"
FIN_COST = "finanskostnad"
TAX = "skattekostnad"
RESULT = "resultatDisponeringForSAF-T"


@dataclass(frozen=True)
class AccountSpec:
    number: str
    name_nb: str
    name_en: str
    kind: str
    standard_account: str
    grouping_category: str
    grouping_code: str
    vat_code: str = ""  # default VAT code
    vat_usage: str = NO_VAT  # which VAT codes the account accepts
    reconcilable: bool = False
    party_required: bool = False

    @property
    def normal_side(self) -> str:
        return "debit" if self.kind in (ASSET, EXPENSE) else "credit"


A = AccountSpec
CHART: tuple[AccountSpec, ...] = (
    # 1 Assets
    A("1200", "Maskiner og produksjonsutstyr", "Machinery and equipment", ASSET, "1200", FIXED, "1205", "1", PURCHASE),
    A("1250", "Inventar og møbler", "Furniture and fittings", ASSET, "1250", FIXED, "1205", "1", PURCHASE),
    A("1280", "Kontormaskiner og datautstyr", "Office machines and computers", ASSET, "1280", FIXED, "1280", "1", PURCHASE),
    A("1460", "Varelager, handelsvarer", "Stock of goods for resale", ASSET, "1460", CURRENT, "1400"),
    A("1500", "Kunder", "Customers (receivables)", ASSET, "1500", CURRENT, "1500", reconcilable=True, party_required=True),
    A("1570", "Forskudd til ansatte", "Advances to employees", ASSET, "1570", CURRENT, "1570", party_required=True),
    A("1700", "Forskuddsbetalte kostnader", "Prepaid expenses", ASSET, "1700", CURRENT, "1570"),
    A("1900", "Kasse", "Cash", ASSET, "1900", CURRENT, "1900"),
    A("1920", "Driftskonto i bank", "Operating bank account", ASSET, "1920", CURRENT, "1920", reconcilable=True),
    A("1950", "Skattetrekkskonto", "Tax withholding bank account", ASSET, "1950", CURRENT, "1950", reconcilable=True),
    # 2 Equity and liabilities
    A("2000", "Aksjekapital", "Share capital", EQUITY, "2000", EQ, "2000"),
    A("2050", "Opptjent egenkapital", "Retained earnings", EQUITY, "2050", EQ, "2050"),
    A("2080", "Udekket tap", "Uncovered loss", EQUITY, "2080", EQ, "2080"),
    A("2400", "Leverandører", "Suppliers (payables)", LIABILITY, "2400", SHORT, "2400", reconcilable=True, party_required=True),
    A("2500", "Skatt å betale", "Tax payable", LIABILITY, "2500", SHORT, "2500"),
    A("2600", "Trukket forskuddsskatt", "Tax withheld from pay", LIABILITY, "2600", SHORT, "2600"),
    A("2700", "Utgående mva 25 %", "Output VAT 25 %", LIABILITY, "2700", SHORT, "2740"),
    A("2701", "Utgående mva 15 %", "Output VAT 15 %", LIABILITY, "2701", SHORT, "2740"),
    A("2703", "Utgående mva 12 %", "Output VAT 12 %", LIABILITY, "2703", SHORT, "2740"),
    A("2704", "Beregnet mva, tjenester fra utlandet", "VAT computed, services from abroad", LIABILITY, "2704", SHORT, "2740"),
    A("2705", "Beregnet mva, innførsel av varer", "VAT computed, import of goods", LIABILITY, "2705", SHORT, "2740"),
    A("2707", "Beregnet mva, innenlands omvendt avgiftsplikt", "VAT computed, domestic reverse charge", LIABILITY, "2707", SHORT, "2740"),
    A("2709", "Beregnet mva 12 %, tjenester fra utlandet", "VAT computed 12 %, services from abroad", LIABILITY, "2709", SHORT, "2740"),
    A("2710", "Inngående mva 25 %", "Input VAT 25 %", LIABILITY, "2710", SHORT, "2740"),
    A("2711", "Inngående mva 15 %", "Input VAT 15 %", LIABILITY, "2711", SHORT, "2740"),
    A("2713", "Inngående mva 12 %", "Input VAT 12 %", LIABILITY, "2713", SHORT, "2740"),
    A("2714", "Fradrag mva, tjenester fra utlandet", "VAT deduction, services from abroad", LIABILITY, "2714", SHORT, "2740"),
    A("2715", "Fradrag mva, innførsel av varer", "VAT deduction, import of goods", LIABILITY, "2715", SHORT, "2740"),
    A("2717", "Fradrag mva, innenlands omvendt avgiftsplikt", "VAT deduction, domestic reverse charge", LIABILITY, "2717", SHORT, "2740"),
    A("2718", "Fradrag mva 12 %, tjenester fra utlandet", "VAT deduction 12 %, services from abroad", LIABILITY, "2718", SHORT, "2740"),
    A("2740", "Mva-oppgjør", "VAT settlement", LIABILITY, "2740", SHORT, "2740"),
    A("2770", "Arbeidsgiveravgift å betale", "Employer's contribution payable", LIABILITY, "2770", SHORT, "2770"),
    A("2780", "Påløpt arbeidsgiveravgift", "Accrued employer's contribution", LIABILITY, "2780", SHORT, "2770"),
    A("2930", "Lønn å betale", "Wages payable", LIABILITY, "2930", SHORT, "2949"),
    A("2940", "Feriepenger å betale", "Holiday pay payable", LIABILITY, "2940", SHORT, "2949"),
    A("2900", "Forskudd fra kunder", "Prepayments from customers", LIABILITY, "2900", SHORT, "2900"),
    A("2990", "Øvrig kortsiktig gjeld", "Other current liabilities", LIABILITY, "2990", SHORT, "2990"),
    # 3 Operating income
    A("3000", "Varesalg 25 %", "Sales of goods 25 %", INCOME, "3000", SALES_INCOME, "3000", "3", SALES),
    A("3020", "Tjenestesalg 25 %", "Sales of services 25 %", INCOME, "3020", SALES_INCOME, "3000", "3", SALES),
    A("3030", "Varesalg 15 % (næringsmidler)", "Sales of food 15 %", INCOME, "3030", SALES_INCOME, "3000", "31", SALES),
    A("3050", "Tjenestesalg 12 %", "Sales of services 12 %", INCOME, "3050", SALES_INCOME, "3000", "33", SALES),
    A("3100", "Salg fritatt for mva", "Zero-rated sales", INCOME, "3100", SALES_INCOME, "3100", "5", SALES),
    A("3105", "Eksportsalg", "Export sales", INCOME, "3105", SALES_INCOME, "3100", "52", SALES),
    A("3200", "Salg utenfor mva-loven", "Sales outside the VAT act", INCOME, "3200", SALES_INCOME, "3200", "6", SALES),
    A("3900", "Andre driftsinntekter", "Other operating income", INCOME, "3900", OTHER_INCOME, "3900", "", SALES),
    # 4 Cost of goods
    A("4000", "Innkjøp av råvarer", "Purchase of raw materials", EXPENSE, "4000", GOODS, "4005", "1", PURCHASE),
    A("4300", "Innkjøp av handelsvarer", "Purchase of goods for resale", EXPENSE, "4300", GOODS, "4005", "1", PURCHASE),
    A("4500", "Innleid arbeid og underleverandører", "Subcontractors", EXPENSE, "4500", GOODS, "4500", "1", PURCHASE),
    # 5 Payroll
    A("5000", "Lønn", "Salaries", EXPENSE, "5000", PAYROLL, "5000"),
    A("5090", "Påløpt lønn", "Accrued salaries", EXPENSE, "5090", PAYROLL, "5000"),
    A("5400", "Arbeidsgiveravgift", "Employer's national insurance contribution", EXPENSE, "5400", PAYROLL, "5400"),
    A("5950", "Tjenestepensjon", "Occupational pension", EXPENSE, "5950", PAYROLL, "5950"),
    A("5990", "Andre personalkostnader", "Other staff costs", EXPENSE, "5990", PAYROLL, "5900", "1", PURCHASE),
    # 6-7 Other operating expenses
    A("6015", "Avskrivning maskiner", "Depreciation of machinery", EXPENSE, "6015", OPEX, "6000"),
    A("6017", "Avskrivning inventar", "Depreciation of furniture", EXPENSE, "6017", OPEX, "6000"),
    A("6300", "Husleie", "Rent of premises", EXPENSE, "6300", OPEX, "6300", "0", PURCHASE),
    A("6340", "Strøm og oppvarming", "Electricity and heating", EXPENSE, "6340", OPEX, "6340", "1", PURCHASE),
    A("6540", "Småanskaffelser inventar", "Minor furniture purchases", EXPENSE, "6540", OPEX, "6500", "1", PURCHASE),
    A("6700", "Revisor", "Auditor", EXPENSE, "6700", OPEX, "6700", "1", PURCHASE),
    A("6705", "Regnskapsfører", "Accountant", EXPENSE, "6705", OPEX, "6700", "1", PURCHASE),
    A("6800", "Kontorrekvisita", "Office supplies", EXPENSE, "6800", OPEX, "6995", "1", PURCHASE),
    A("6900", "Telefon og internett", "Telephone and internet", EXPENSE, "6900", OPEX, "6995", "1", PURCHASE),
    A("7000", "Drivstoff", "Fuel", EXPENSE, "7000", OPEX, "7000", "1", PURCHASE),
    A("7140", "Reiser", "Travel", EXPENSE, "7140", OPEX, "7165", "13", PURCHASE),
    A("7320", "Annonser og reklame", "Advertising", EXPENSE, "7320", OPEX, "7330", "1", PURCHASE),
    A("7500", "Forsikringer", "Insurance", EXPENSE, "7500", OPEX, "7500", "0", PURCHASE),
    A("7770", "Bankgebyrer", "Bank charges", EXPENSE, "7770", OPEX, "7700"),
    A("7798", "Diverse kostnader", "Sundry expenses", EXPENSE, "7798", OPEX, "7700", "1", PURCHASE),
    A("7830", "Tap på kunder", "Bad debts", EXPENSE, "7830", OPEX, "7830"),
    # 8 Financial items, tax, result
    A("8050", "Renteinntekter", "Interest income", INCOME, "8050", FIN_INCOME, "8050"),
    A("8060", "Valutagevinst", "Currency gain", INCOME, "8060", FIN_INCOME, "8060"),
    A("8150", "Rentekostnader", "Interest expense", EXPENSE, "8150", FIN_COST, "8150"),
    A("8160", "Valutatap", "Currency loss", EXPENSE, "8160", FIN_COST, "8160"),
    A("8300", "Skattekostnad", "Income tax expense", EXPENSE, "8300", TAX, "8300"),
    A("8800", "Årets resultat", "Result of the year", EQUITY, "8800", RESULT, "8800"),
    # Stock valuation (inventory): goods received from suppliers before their bill is booked
    # wait on 2985 (a sub-account of 2990); the supplier bill clears it against 2400.
    # Shrinkage and count differences go to 4390, a cost of goods account.
    A("2985", "Varer mottatt, ikke fakturert", "Goods received not invoiced", LIABILITY, "2990", SHORT, "2990"),
    A("4390", "Varesvinn og telleforskjeller", "Stock shrinkage and count differences", EXPENSE, "4300", GOODS, "4005"),
)  # fmt: skip

# Where the year-end close puts the year's result, and the result account it goes through.
RETAINED_EARNINGS = "2050"
YEAR_RESULT = "8800"
RECEIVABLE = "1500"
# Customer payments beyond what their invoices ask (prepayments, over-payments).
CUSTOMER_PREPAYMENTS = "2900"
BANK = "1920"
PAYABLE = "2400"
# Realised exchange differences when a foreign-currency invoice is settled in NOK.
CURRENCY_GAIN = "8060"
CURRENCY_LOSS = "8160"


def is_profit_and_loss(number: str) -> bool:
    """Classes 3-8 are the profit and loss; 1-2 the balance sheet."""
    return number[:1] in "345678"
