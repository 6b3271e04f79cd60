import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from samspill.localization.no.models import VatCode


class VatCodeTable(tables.Table):
    code = tables.LinkColumn(
        "localization_no:vat_code_edit", args=[tables.A("code")], verbose_name=_("Code")
    )
    name = tables.Column(verbose_name=_("Name"))
    standard_code = tables.Column(verbose_name=_("SAF-T code"))
    direction = tables.Column(verbose_name=_("Direction"))
    treatment = tables.Column(verbose_name=_("Treatment"))
    rate = tables.Column(verbose_name=_("Rate (%)"), attrs={"td": {"class": "text-end"}})
    account = tables.Column(verbose_name=_("VAT account"))
    deduction_account = tables.Column(verbose_name=_("Deduction account"))
    active = tables.BooleanColumn(verbose_name=_("Active"))

    class Meta:
        model = VatCode
        fields = (
            "code",
            "name",
            "standard_code",
            "direction",
            "treatment",
            "rate",
            "account",
            "deduction_account",
            "active",
        )
        attrs = {"class": "table table-hover align-middle"}
