"""Demo ledger of Nordlys Handel AS: the chart, VAT codes, journals, the previous and the
current fiscal year and a year of posted vouchers (sales, purchases, salaries, VAT
settlement, bank), written with the bulk posting path. Idempotent: it adds vouchers only
to a ledger that has none."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from samspill.accounting import services
from samspill.accounting.models import Account, FiscalYear, JournalEntry
from samspill.localization.no import services as localization

D = Decimal


def _parties(role: str, limit: int = 12) -> list[int]:
    from samspill.parties import queries as parties

    rows = parties.visible_parties(None).filter(**{f"is_{role}": True}).order_by("pk")
    return list(rows.values_list("pk", flat=True)[:limit])


def vouchers(year: int, customers: list[int], suppliers: list[int], until: date) -> list[dict]:
    """A realistic year: weekly sales, monthly purchases, rent, salaries with employer's
    contribution and tax withholding, bank payments and the bimonthly VAT settlement."""
    rng = random.Random(year)
    habits = random.Random(year + 1)  # who pays late or not at all (open items)
    entries: list[dict] = []
    output_25 = output_15 = input_25 = D("0")  # VAT of the current two-month term
    for month in range(1, 13):
        first = date(year, month, 1)
        if first > until:
            break
        for week in range(4):
            day = first + timedelta(days=week * 7 + 2)
            if day > until:
                break
            net = D(rng.randrange(8_000, 60_000))
            food = D(rng.randrange(0, 6_000))
            vat_25 = (net * D("0.25")).quantize(D("0.01"))
            vat_15 = (food * D("0.15")).quantize(D("0.01"))
            output_25 += vat_25
            output_15 += vat_15
            vat = vat_25 + vat_15
            customer = rng.choice(customers) if customers else None
            gross = net + food + vat
            lines = [
                {
                    "account": "1500",
                    "debit": gross,
                    "party": customer,
                    "description": "Faktura",
                    "due_date": day + timedelta(days=14),
                },
                {"account": "3000", "credit": net, "vat_code": "3"},
            ]
            if food:
                lines.append({"account": "3030", "credit": food, "vat_code": "31"})
            entries.append(
                {"journal": "SAL", "date": day, "description": "Varesalg", "lines": lines}
            )
            habit = habits.random()
            paid = day + timedelta(days=14 if habit < 0.75 else 40 if habit < 0.92 else 9999)
            if paid <= until:
                entries.append(
                    {
                        "journal": "BNK",
                        "date": paid,
                        "description": "Innbetaling fra kunde",
                        "lines": [
                            {"account": "1920", "debit": gross},
                            {"account": "1500", "credit": gross, "party": customer},
                        ],
                    }
                )
        purchase_day = first + timedelta(days=5)
        if purchase_day <= until:
            net = D(rng.randrange(20_000, 90_000))
            supplier = rng.choice(suppliers) if suppliers else None
            gross = net * D("1.25")
            input_25 += net * D("0.25")
            entries.append(
                {
                    "journal": "PUR",
                    "date": purchase_day,
                    "description": "Innkjøp av handelsvarer",
                    "lines": [
                        {"account": "4300", "debit": net, "vat_code": "1"},
                        {
                            "account": "2400",
                            "credit": gross,
                            "party": supplier,
                            "due_date": purchase_day + timedelta(days=30),
                        },
                    ],
                }
            )
            entries.append(
                {
                    "journal": "BNK",
                    "date": purchase_day + timedelta(days=10),
                    "description": "Betaling til leverandør",
                    "lines": [
                        {"account": "2400", "debit": gross, "party": supplier},
                        {"account": "1920", "credit": gross},
                    ],
                }
            )
            entries.append(
                {
                    "journal": "BNK",
                    "date": first,
                    "description": "Husleie",
                    "lines": [
                        {"account": "6300", "debit": D("18500")},
                        {"account": "1920", "credit": D("18500")},
                    ],
                }
            )
        pay_day = date(year, month, 20)
        if pay_day <= until:
            gross_pay = D("62000")
            tax = D("19000")
            aga = (gross_pay * D("0.141")).quantize(D("0.01"))
            entries.append(
                {
                    "journal": "GEN",
                    "date": pay_day,
                    "description": "Lønn",
                    "lines": [
                        {"account": "5000", "debit": gross_pay},
                        {"account": "5400", "debit": aga},
                        {"account": "2600", "credit": tax},
                        {"account": "2770", "credit": aga},
                        {"account": "1920", "credit": gross_pay - tax},
                    ],
                }
            )
            settle_day = pay_day + timedelta(days=25)
            if settle_day <= until:
                entries.append(
                    {
                        "journal": "BNK",
                        "date": settle_day,
                        "description": "Skattetrekk og arbeidsgiveravgift",
                        "lines": [
                            {"account": "2600", "debit": tax},
                            {"account": "2770", "debit": aga},
                            {"account": "1920", "credit": tax + aga},
                        ],
                    }
                )
        term_end = date(year, month, 28)
        if month % 2 == 0 and term_end <= until:
            # The VAT return of the two months: output and input VAT move to the settlement
            # account, and the net is paid to the tax office from the bank.
            net_vat = output_25 + output_15 - input_25
            lines = [
                {"account": "2700", "debit": output_25},
                {"account": "2710", "credit": input_25},
                {"account": "2740", "credit" if net_vat > 0 else "debit": abs(net_vat)},
            ]
            if output_15:
                lines.insert(1, {"account": "2701", "debit": output_15})
            entries.append(
                {"journal": "GEN", "date": term_end, "description": "Mva-oppgjør", "lines": lines}
            )
            if net_vat > 0:
                entries.append(
                    {
                        "journal": "BNK",
                        "date": term_end,
                        "description": "Betalt merverdiavgift",
                        "lines": [
                            {"account": "2740", "debit": net_vat},
                            {"account": "1920", "credit": net_vat},
                        ],
                    }
                )
            output_25 = output_15 = input_25 = D("0")
    return entries


def load(*, actor) -> None:
    localization.load_vat_codes(actor=actor)
    services.load_chart(actor=actor)
    today = date.today()
    for start in (date(today.year - 1, 1, 1), date(today.year, 1, 1)):
        if not FiscalYear.objects.filter(start=start).exists():
            services.open_fiscal_year(actor=actor, start=start)
    if JournalEntry.objects.exists():
        return
    customers, suppliers = _parties("customer"), _parties("supplier")
    services.post_entries(
        [
            {
                "journal": "GEN",
                "date": date(today.year - 1, 1, 1),
                "description": "Åpningsbalanse",
                "lines": [
                    {"account": "1920", "debit": D("500000")},
                    {"account": "2000", "credit": D("100000")},
                    {"account": "2050", "credit": D("400000")},
                ],
            },
        ],
        actor=actor,
        kind=JournalEntry.Kind.OPENING,
    )
    services.post_entries(
        vouchers(today.year - 1, customers, suppliers, date(today.year - 1, 12, 31)), actor=actor
    )
    services.post_entries(vouchers(today.year, customers, suppliers, today), actor=actor)
    # Payments settle their invoices, so open items show what is really unpaid.
    for number in ("1500", "2400"):
        services.auto_match(Account.objects.get(number=number), actor=actor)
