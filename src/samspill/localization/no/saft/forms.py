from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from samspill.accounting.models import FiscalYear

PERIODS = [(n, str(n)) for n in range(1, 13)]


class SaftForm(forms.Form):
    """Fiscal year and period range; the view turns them into dates through the service."""

    fiscal_year: forms.ModelChoiceField[FiscalYear] = forms.ModelChoiceField(
        label=_("Fiscal year"), queryset=FiscalYear.objects.none(), empty_label=None
    )
    period_from = forms.TypedChoiceField(
        label=_("From period"), choices=PERIODS, coerce=int, initial=1
    )
    period_to = forms.TypedChoiceField(
        label=_("To period"), choices=PERIODS, coerce=int, initial=12
    )

    def __init__(self, *args, fiscal_years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fiscal_year"].queryset = fiscal_years
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        first, last = data.get("period_from"), data.get("period_to")
        if first and last and first > last:
            self.add_error("period_to", _("The last period cannot come before the first."))
        return data
