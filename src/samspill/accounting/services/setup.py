"""Setting up the ledger: the chart of accounts, journals, fiscal years with their
periods, projects, and changes to accounts."""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import Account, FiscalYear, Journal, Period, Project, VoucherCounter
from samspill.accounting.services.common import clean, fail
from samspill.localization.no import queries as vat_queries
from samspill.localization.no.chart import CHART
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

JOURNALS = (
    ("SAL", "Salg", Journal.Kind.SALES),
    ("PUR", "Innkjøp", Journal.Kind.PURCHASE),
    ("BNK", "Bank", Journal.Kind.BANK),
    ("CSH", "Kasse", Journal.Kind.CASH),
    ("GEN", "Diverse", Journal.Kind.GENERAL),
)
ACCOUNT_FIELDS = (
    "name",
    "name_en",
    "default_vat_code",
    "vat_usage",
    "reconcilable",
    "party_required",
    "active",
    "standard_account",
    "grouping_category",
    "grouping_code",
)


@transaction.atomic
def load_chart(*, actor) -> int:
    """Create the accounts of the Norwegian chart and the journals that are missing (the
    VAT codes must be loaded first). Existing accounts are left as the user edited them.
    Returns the number of accounts created."""
    if actor is not None:
        require(actor, "accounting.add_account")
    codes = {code.code: code for code in vat_queries.vat_codes()}
    existing = set(Account.objects.values_list("number", flat=True))
    accounts = [
        Account(
            number=spec.number,
            name=spec.name_nb,
            name_en=spec.name_en,
            kind=spec.kind,
            normal_side=spec.normal_side,
            default_vat_code=codes.get(spec.vat_code) if spec.vat_code else None,
            vat_usage=spec.vat_usage,
            reconcilable=spec.reconcilable,
            party_required=spec.party_required,
            standard_account=spec.standard_account,
            grouping_category=spec.grouping_category,
            grouping_code=spec.grouping_code,
        )
        for spec in CHART
        if spec.number not in existing
    ]
    created = Account.objects.bulk_create(accounts)
    have = set(Journal.objects.values_list("code", flat=True))
    journals = Journal.objects.bulk_create(
        Journal(code=code, name=name, kind=kind)
        for code, name, kind in JOURNALS
        if code not in have
    )
    for row in [*created, *journals]:
        audit.record("create", row, actor=actor, changes=audit.diff({}, audit.snapshot(row)))
    if journals:
        years = list(FiscalYear.objects.all())
        VoucherCounter.objects.bulk_create(
            VoucherCounter(journal=j, fiscal_year=y) for j in journals for y in years
        )
    return len(created)


@transaction.atomic
def create_journal(*, actor, code: str, name: str, kind: str) -> Journal:
    if actor is not None:
        require(actor, "accounting.add_journal")
    journal = Journal(code=(code or "").strip().upper(), name=(name or "").strip(), kind=kind)
    clean(journal)
    journal.save()
    VoucherCounter.objects.bulk_create(
        VoucherCounter(journal=journal, fiscal_year=y) for y in FiscalYear.objects.all()
    )
    audit.record("create", journal, actor=actor, changes=audit.diff({}, audit.snapshot(journal)))
    return journal


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@transaction.atomic
def open_fiscal_year(*, actor, start: date) -> FiscalYear:
    """A fiscal year of twelve monthly periods from `start` (the first of a month)."""
    if actor is not None:
        require(actor, "accounting.add_fiscalyear")
    if start.day != 1:
        raise fail(_("A fiscal year starts on the first day of a month."), "start")
    end = _add_months(start, 12).replace(day=1)
    end = date.fromordinal(end.toordinal() - 1)
    if FiscalYear.objects.filter(start__lte=end, end__gte=start).exists():
        raise Conflict(
            _("A fiscal year already covers part of %(start)s to %(end)s.")
            % {"start": start, "end": end},
            code="fiscal_year_overlaps",
        )
    name = str(start.year) if start.month == 1 else f"{start.year}/{str(end.year)[-2:]}"
    year = FiscalYear.objects.create(name=name, start=start, end=end)
    periods = []
    for number in range(1, 13):
        first = _add_months(start, number - 1)
        last = date.fromordinal(_add_months(start, number).toordinal() - 1)
        periods.append(Period(fiscal_year=year, number=number, start=first, end=last))
    Period.objects.bulk_create(periods)
    VoucherCounter.objects.bulk_create(
        VoucherCounter(journal=j, fiscal_year=year) for j in Journal.objects.all()
    )
    audit.record("create", year, actor=actor, changes=audit.diff({}, audit.snapshot(year)))
    publish(
        events.FiscalYearOpened(
            fiscal_year_id=year.pk, name=year.name, start=start.isoformat(), end=end.isoformat()
        ),
        actor=actor,
    )
    return year


@transaction.atomic
def update_account(account: Account, *, actor, **changes) -> Account:
    """Change an account's name, VAT default, flags or SAF-T mapping. The number, type and
    normal side are fixed once created (posted lines depend on them)."""
    if actor is not None:
        require(actor, "accounting.change_account")
    unknown = sorted(set(changes) - set(ACCOUNT_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("This field cannot be changed.")] for f in unknown},
        )
    account = Account.objects.select_for_update().get(pk=account.pk)
    before = audit.snapshot(account)
    for name, value in changes.items():
        if name == "default_vat_code":
            value = _vat_code(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(account, name, value)
    clean(account)
    if account.default_vat_code and not vat_allowed(account, account.default_vat_code):
        raise fail(
            _("VAT code %(code)s is not allowed on this account.")
            % {"code": account.default_vat_code.code},
            "default_vat_code",
        )
    diff = audit.diff(before, audit.snapshot(account))
    if not diff:
        return account
    account.save()
    audit.record("update", account, actor=actor, changes=diff)
    publish(
        events.AccountUpdated(account_id=account.pk, number=account.number, changed=sorted(diff)),
        actor=actor,
    )
    return account


DEFAULT_VAT_USAGE: dict[str, str] = {
    Account.Kind.INCOME: Account.VatUsage.SALES,
    Account.Kind.EXPENSE: Account.VatUsage.PURCHASE,
}


@transaction.atomic
def create_account(*, actor, number: str, name: str, kind: str, **options) -> Account:
    """A new account: a number of 4 to 6 digits in classes 1-8, unique. The normal side
    follows the type (assets and expenses debit, the rest credit). `options` are the
    changeable fields (name in English, default VAT code, flags, SAF-T mapping)."""
    if actor is not None:
        require(actor, "accounting.add_account")
    number = (number or "").strip()
    if not (number.isdigit() and 4 <= len(number) <= 6 and number[0] in "12345678"):
        raise fail(_("An account number has 4 to 6 digits and starts with 1 to 8."), "number")
    if kind not in Account.Kind.values:
        raise fail(_("Choose a type."), "kind")
    if Account.objects.filter(number=number).exists():
        raise fail(_("Account %(number)s already exists.") % {"number": number}, "number")
    unknown = sorted(set(options) - set(ACCOUNT_FIELDS))
    if unknown:
        raise ValidationFailed(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(unknown)},
            errors={f: [_("This field cannot be changed.")] for f in unknown},
        )
    debit_side = kind in (Account.Kind.ASSET, Account.Kind.EXPENSE)
    account = Account(
        number=number,
        name=(name or "").strip(),
        kind=kind,
        normal_side=Account.Side.DEBIT if debit_side else Account.Side.CREDIT,
        vat_usage=DEFAULT_VAT_USAGE.get(kind, Account.VatUsage.NONE),
    )
    for field, value in options.items():
        if field == "default_vat_code":
            value = _vat_code(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(account, field, value)
    clean(account)
    if account.default_vat_code and not vat_allowed(account, account.default_vat_code):
        raise fail(
            _("VAT code %(code)s is not allowed on this account.")
            % {"code": account.default_vat_code.code},
            "default_vat_code",
        )
    account.save()
    audit.record("create", account, actor=actor, changes=audit.diff({}, audit.snapshot(account)))
    return account


def _vat_code(value):
    if value in (None, ""):
        return None
    if hasattr(value, "pk"):
        return value
    found = vat_queries.vat_codes().filter(code=value).first()
    if found is None:
        raise fail(_("Choose an existing VAT code."), "default_vat_code")
    return found


def vat_allowed(account: Account, vat_code) -> bool:
    if account.vat_usage == Account.VatUsage.ANY:
        return True
    return account.vat_usage == vat_code.direction


@transaction.atomic
def create_project(*, actor, code: str, name: str) -> Project:
    if actor is not None:
        require(actor, "accounting.add_project")
    project = Project(code=(code or "").strip().upper(), name=(name or "").strip())
    clean(project)
    project.save()
    audit.record("create", project, actor=actor, changes=audit.diff({}, audit.snapshot(project)))
    return project


def now():
    return timezone.now()
