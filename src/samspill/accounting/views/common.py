"""What the ledger and report pages share."""

from __future__ import annotations

from datetime import date

from django.http import Http404

from samspill.accounting.forms import DateRangeForm
from samspill.platform.errors import NotFound
from samspill.platform.views import style_form


def found(query, *args):
    try:
        return query(*args)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def date_range(request) -> DateRangeForm:
    """The ?date_from=&date_to= of a report; this year to date when absent."""
    today = date.today()
    data = {
        "date_from": request.GET.get("date_from") or today.replace(month=1, day=1).isoformat(),
        "date_to": request.GET.get("date_to") or today.isoformat(),
    }
    form = DateRangeForm(data)
    style_form(form)
    return form
