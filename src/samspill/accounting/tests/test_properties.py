"""Property: whatever valid vouchers are posted (with VAT codes, in any journal, reversed
or not), every trial balance sums to zero and each entry's debits equal its credits."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samspill.accounting import queries, services

ACCOUNTS = ["1920", "1900", "2050", "3000", "4300", "6800", "3030", "7140", "6705"]
VAT = {"3000": "3", "4300": "1", "6800": "1", "3030": "31", "7140": "13", "6705": "86"}

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


@st.composite
def vouchers(draw):
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        account = draw(st.sampled_from(ACCOUNTS))
        side = draw(st.sampled_from(["debit", "credit"]))
        line = {"account": account, side: draw(amounts)}
        if account in VAT and draw(st.booleans()):
            line["vat_code"] = VAT[account]
        lines.append(line)
    return {
        "journal": draw(st.sampled_from(["GEN", "BNK", "CSH"])),
        "date": date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 364))),
        "lines": lines,
        "reverse": draw(st.booleans()),
    }


def balanced(voucher) -> dict:
    """Add the balancing bank line, counting the VAT lines the codes will add."""
    from samspill.localization.no.models import VatCode

    rates = dict(VatCode.objects.values_list("code", "rate"))
    total = Decimal("0")
    for line in voucher["lines"]:
        amount = line.get("debit") or -line.get("credit")
        code = line.get("vat_code")
        vat = Decimal("0")
        if code and code != "86":
            vat = (abs(amount) * rates[code] / 100).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        total += amount + (vat if amount > 0 else -vat)
    if total:
        side = "credit" if total > 0 else "debit"
        voucher["lines"].append({"account": "1920", side: abs(total)})
    return voucher


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(vouchers(), min_size=1, max_size=6))
def test_trial_balance_stays_at_zero(ledger, batch):
    for voucher in batch:
        reverse = voucher.pop("reverse")
        voucher = balanced(voucher)
        if not voucher["lines"] or all(
            (line.get("debit") or line.get("credit")) == 0 for line in voucher["lines"]
        ):
            continue
        entry = services.create_entry(actor=None, **voucher)
        services.post_entry(entry, actor=None)
        if reverse:
            services.reverse_entry(entry, actor=None)
        lines = list(entry.lines.values_list("debit", "credit"))
        assert sum(d for d, _c in lines) == sum(c for _d, c in lines)
    for start, end in (
        (date(2026, 1, 1), date(2026, 12, 31)),
        (date(2026, 3, 1), date(2026, 6, 30)),
    ):
        rows = queries.trial_balance(start, end)
        assert sum(r.closing for r in rows) == 0
        assert sum(r.opening for r in rows) == 0
        assert sum(r.debit for r in rows) == sum(r.credit for r in rows)
