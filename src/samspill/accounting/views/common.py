"""What the ledger and report pages share."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import formats, timezone

from samspill.accounting.forms import DateRangeForm
from samspill.platform.errors import NotFound
from samspill.platform.views import EXPORT_FORMATS, SpreadsheetExport, style_form


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


REPORT_FORMATS = (*EXPORT_FORMATS, "pdf")


def export_query(request) -> str:
    """The report's query string without page and format (for export links)."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("_export", None)
    return query.urlencode()


def report_export(request, table, *, title, period: str, filename: str, footer=None):
    """The one way a report is downloaded: `?_export=csv|xlsx|pdf` of the table's rows
    (the values its exports use). The PDF is a print layout (WeasyPrint) with the company,
    the title, the range and page numbers; `footer` rows are totals. None when no export is
    asked for."""
    fmt = request.GET.get("_export")
    if fmt in EXPORT_FORMATS:
        return SpreadsheetExport(fmt, table).response(f"{filename}.{fmt}")
    if fmt != "pdf":
        return None
    from weasyprint import HTML

    from samspill.organization import queries as organization

    values = list(table.as_values())
    headers, rows = values[0], values[1:]
    numeric = [
        "text-end" in str(column.column.attrs.get("td", {}).get("class", ""))
        for column in table.columns.iterall()
        if not column.column.exclude_from_export
    ]
    html = render_to_string(
        "accounting/pdf/report.html",
        {
            "company": organization.company(),
            "title": title,
            "period": period,
            "headers": list(zip(headers, numeric, strict=False)),
            "rows": [list(zip(row, numeric, strict=False)) for row in rows],
            "footer": [list(zip(row, numeric, strict=False)) for row in footer or []],
            "printed": timezone.localtime(),
        },
        request=request,
    )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def range_text(date_from, date_to) -> str:
    return f"{formats.date_format(date_from, 'SHORT_DATE_FORMAT')} – " + formats.date_format(
        date_to, "SHORT_DATE_FORMAT"
    )
