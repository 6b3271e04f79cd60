import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from samspill.organization.models import Company, currency_choices

pytestmark = pytest.mark.django_db


def test_identifiers_are_normalised_and_displayed():
    company = Company(
        legal_name="X AS",
        org_number="NO 998 877 660 MVA",
        mva_registered=True,
        phone="22 12 34 56",
        iban="no71 1234 5678 903",
        bank_account="1234.56.78903",
    )
    company.full_clean()
    assert company.org_number == "998877660"
    assert company.org_number_display == "NO 998 877 660 MVA"
    assert company.phone == "+4722123456"
    assert company.phone_display == "+47 22 12 34 56"
    assert company.iban == "NO7112345678903"
    assert company.iban_display == "NO71 1234 5678 903"
    assert company.bank_account == "12345678903"
    assert company.bank_account_display == "1234.56.78903"
    company.mva_registered = False
    assert company.org_number_display == "998 877 660"


def test_bad_check_digits_are_field_errors():
    company = Company(
        legal_name="X",
        org_number="998877661",
        iban="NO7212345678903",
        bank_account="12345678904",
        phone="123",
    )
    with pytest.raises(ValidationError) as excinfo:
        company.full_clean()
    assert set(excinfo.value.message_dict) == {"org_number", "iban", "bank_account", "phone"}


def test_currency_choices_are_iso_4217_and_translated():
    codes = [code for code, _ in currency_choices()]
    assert "NOK" in codes and "EUR" in codes and "SEK" in codes
    assert len(codes) > 100
    with translation.override("nb"):
        assert dict(currency_choices())["NOK"] == "NOK – norske kroner"
    with translation.override("en"):
        assert dict(currency_choices())["NOK"] == "NOK – Norwegian Krone"
