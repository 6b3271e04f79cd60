"""The event of the SAF-T export."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class SaftExported(Event):
    type = "localization.saft.exported"
    description = _("A SAF-T Financial file was exported")

    fiscal_year: str
    date_from: str
    date_to: str
    file_name: str
    entries: int
    lines: int
    total_debit: str

    @classmethod
    def summarize(cls, payload):
        return gettext("SAF-T exported for %(date_from)s to %(date_to)s (%(entries)s vouchers)") % (
            payload
        )
