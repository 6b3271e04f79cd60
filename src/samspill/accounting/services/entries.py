"""Journal entries (vouchers): drafts, posting, bulk posting and reversal.

A line is given as a dict: `account` (number or Account), `debit` / `credit` (one of
them, non-negative, rounded to the øre), and optionally `description`, `party` (id or
Party), `vat_code` (code or VatCode), `department` (id or Department), `project` (code or
Project) and `due_date` (an open item's due date, on receivable and payable lines). A line
with a VAT code that computes VAT gets its VAT line(s) added on the code's account(s): the
amount entered is the base without VAT.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import (
    ZERO,
    Account,
    FiscalYear,
    Journal,
    JournalEntry,
    JournalLine,
    Period,
    Project,
    VoucherCounter,
)
from samspill.accounting.services import documentation, matching
from samspill.accounting.services.common import CENT, fail, money
from samspill.accounting.services.setup import vat_allowed
from samspill.localization.no.models import VatCode
from samspill.organization.models import Department
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

MAX_LINES = 500


class _Refs:
    """Every account, VAT code, party, department and project a batch of lines names,
    fetched with one query per kind."""

    def __init__(self, accounts, vat_codes, parties, departments, projects) -> None:
        self.accounts: dict[str, Account] = accounts
        self.vat_codes: dict[str, VatCode] = vat_codes
        self.parties: dict[int, Party] = parties
        self.departments: dict[int, Department] = departments
        self.projects: dict[str, Project] = projects

    @classmethod
    def load(cls, line_sets: list[list[dict]]) -> _Refs:
        keys: dict[str, set] = defaultdict(set)
        for lines in line_sets:
            for line in lines:
                for name in ("account", "vat_code", "party", "department", "project"):
                    value = line.get(name)
                    if value not in (None, "") and not hasattr(value, "pk"):
                        keys[name].add(str(value).strip())
                    elif hasattr(value, "pk"):
                        keys[f"{name}_obj"].add(value)
        codes = {}
        if keys["vat_code"]:
            codes = {c.code: c for c in VatCode.objects.filter(code__in=keys["vat_code"])}
        codes.update({c.code: c for c in keys["vat_code_obj"]})
        vat_numbers = {n for c in codes.values() for n in (c.account, c.deduction_account) if n}
        wanted = keys["account"] | vat_numbers
        accounts = {a.number: a for a in Account.objects.filter(number__in=wanted)}
        accounts.update({a.number: a for a in keys["account_obj"]})
        ids = {int(v) for v in keys["party"] if v.isdigit()}
        parties = {p.pk: p for p in Party.objects.filter(pk__in=ids)} if ids else {}
        parties.update({p.pk: p for p in keys["party_obj"]})
        dept_ids = {int(v) for v in keys["department"] if v.isdigit()}
        departments = (
            {d.pk: d for d in Department.objects.filter(pk__in=dept_ids)} if dept_ids else {}
        )
        departments.update({d.pk: d for d in keys["department_obj"]})
        projects = (
            {p.code: p for p in Project.objects.filter(code__in=keys["project"])}
            if keys["project"]
            else {}
        )
        projects.update({p.code: p for p in keys["project_obj"]})
        return cls(accounts, codes, parties, departments, projects)

    def get(self, kind: str, value, field: str, message: str):
        if value in (None, ""):
            return None
        if hasattr(value, "pk"):
            return value
        table = getattr(self, kind)
        key = str(value).strip()
        found = table.get(int(key) if kind in ("parties", "departments") and key.isdigit() else key)
        if found is None:
            raise fail(message, field)
        return found


def _vat_amount(base: Decimal, rate: Decimal) -> Decimal:
    return (base * rate / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def _build_lines(entry_date: date, raw_lines: list[dict], refs: _Refs) -> list[JournalLine]:
    """Unsaved lines (VAT lines included, their `vat_of` set to the base line object)."""
    if not isinstance(raw_lines, list | tuple) or not raw_lines:
        raise fail(_("An entry needs at least one line."), "lines")
    if len(raw_lines) > MAX_LINES:
        raise fail(_("An entry can have at most %(max)d lines.") % {"max": MAX_LINES}, "lines")
    result: list[JournalLine] = []
    for index, raw in enumerate(raw_lines, start=1):
        if not isinstance(raw, dict):
            raise fail(_("Line %(n)d is not a line.") % {"n": index}, "lines")
        prefix = f"lines.{index - 1}."
        debit = money(raw.get("debit"), prefix + "debit")
        credit = money(raw.get("credit"), prefix + "credit")
        if (debit > 0) == (credit > 0):
            raise fail(
                _("Line %(n)d: enter either a debit or a credit amount.") % {"n": index},
                prefix + "debit",
            )
        account = refs.get(
            "accounts",
            raw.get("account"),
            prefix + "account",
            _("Line %(n)d: choose an existing account.") % {"n": index},
        )
        if account is None:
            raise fail(_("Line %(n)d: choose an account.") % {"n": index}, prefix + "account")
        vat_code = refs.get(
            "vat_codes",
            raw.get("vat_code"),
            prefix + "vat_code",
            _("Line %(n)d: choose an existing VAT code.") % {"n": index},
        )
        line = JournalLine(
            account=account,
            debit=debit,
            credit=credit,
            description=str(raw.get("description") or "")[:200],
            party=refs.get(
                "parties",
                raw.get("party"),
                prefix + "party",
                _("Line %(n)d: choose an existing party.") % {"n": index},
            ),
            vat_code=vat_code,
            department=refs.get(
                "departments",
                raw.get("department"),
                prefix + "department",
                _("Line %(n)d: choose an existing department.") % {"n": index},
            ),
            project=refs.get(
                "projects",
                raw.get("project"),
                prefix + "project",
                _("Line %(n)d: choose an existing project.") % {"n": index},
            ),
            date=entry_date,
            due_date=_optional_date(raw.get("due_date"), prefix + "due_date"),
        )
        result.append(line)
        if vat_code is not None and vat_code.computes_vat:
            result.extend(_vat_lines(line, vat_code, refs, index))
    for number, line in enumerate(result, start=1):
        line.line_no = number
    return result


def _vat_lines(base: JournalLine, code: VatCode, refs: _Refs, index: int) -> list[JournalLine]:
    amount = _vat_amount(base.debit or base.credit, code.rate)
    if amount == 0:
        return []

    def on(number: str, same_side: bool) -> JournalLine:
        account = refs.accounts.get(number)
        if account is None:
            raise fail(
                _("Line %(n)d: VAT account %(account)s of code %(code)s does not exist.")
                % {"n": index, "account": number, "code": code.code},
                f"lines.{index - 1}.vat_code",
            )
        base_debit = base.debit > 0
        debit_side = base_debit if same_side else not base_debit
        return JournalLine(
            account=account,
            debit=amount if debit_side else ZERO,
            credit=ZERO if debit_side else amount,
            description=_("VAT %(code)s %(rate)s %%") % {"code": code.code, "rate": code.rate},
            vat_code=code,
            vat_of=base,
            department=base.department,
            project=base.project,
            date=base.date,
        )

    if code.treatment == VatCode.Treatment.STANDARD:
        return [on(code.account, same_side=True)]
    # Reverse charge and import: the buyer computes output VAT and deducts it as input VAT.
    lines = [on(code.account, same_side=False)]
    if code.deduction_account:
        lines.append(on(code.deduction_account, same_side=True))
    return lines


def _period_for(day: date) -> Period:
    period = (
        Period.objects.select_related("fiscal_year").filter(start__lte=day, end__gte=day).first()
    )
    if period is None:
        raise fail(
            _("No fiscal year covers %(date)s. Open the fiscal year first.") % {"date": day},
            "date",
        )
    return period


def _journal(value) -> Journal:
    if isinstance(value, Journal):
        return value
    journal = Journal.objects.filter(code=str(value or "").strip().upper()).first()
    if journal is None:
        raise fail(_("Choose an existing journal."), "journal")
    if not journal.active:
        raise fail(_("Journal %(code)s is not active.") % {"code": journal.code}, "journal")
    return journal


def _date(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise fail(_("Enter a valid date."), "date") from exc


def _optional_date(value, field: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise fail(_("Enter a valid date."), field) from exc


def _check_postable(entry: JournalEntry, lines: list[JournalLine], *, allow_closed: bool) -> None:
    """The rules a voucher must meet to be posted. Raises before anything is written."""
    errors: list[str] = []
    if not lines:
        errors.append(_("The entry has no lines."))
    debit = sum((line.debit for line in lines), ZERO)
    credit = sum((line.credit for line in lines), ZERO)
    if debit != credit:
        errors.append(
            _(
                "The entry does not balance: debit %(debit)s, credit %(credit)s "
                "(difference %(diff)s)."
            )
            % {"debit": debit, "credit": credit, "diff": debit - credit}
        )
    if not allow_closed and (entry.period.closed or entry.fiscal_year.closed):
        raise Conflict(
            _("Period %(period)s is closed. Choose a date in an open period.")
            % {"period": entry.period},
            code="period_closed",
        )
    # Year-end entries move whole account balances, not one party's items.
    year_end = entry.kind in (JournalEntry.Kind.CLOSING, JournalEntry.Kind.CARRY_FORWARD)
    for line in lines:
        account = line.account
        if not account.active:
            errors.append(_("Account %(account)s is not active.") % {"account": account})
        if account.party_required and not year_end and line.party_id is None and line.party is None:
            errors.append(
                _("Account %(account)s needs a customer or supplier on the line.")
                % {"account": account}
            )
        if line.vat_code is not None and line.vat_of is None and line.vat_of_id is None:
            if not vat_allowed(account, line.vat_code):
                errors.append(
                    _("VAT code %(code)s is not allowed on account %(account)s.")
                    % {"code": line.vat_code.code, "account": account}
                )
            elif not line.vat_code.active:
                errors.append(_("VAT code %(code)s is not active.") % {"code": line.vat_code.code})
    if errors:
        raise ValidationFailed(
            errors[0], errors={"lines": [str(e) for e in errors]}, code="not_postable"
        )


def _lock_periods(periods) -> None:
    """Lock the periods a posting writes into (by id, always in the same order), so a
    month cannot be closed between the check that it is open and the commit. Locks are
    taken periods first, then voucher counters, so concurrent postings never deadlock."""
    ids = sorted({period.pk for period in periods})
    closed = dict(
        Period.objects.select_for_update()
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "closed")
    )
    for period in periods:
        period.closed = closed.get(period.pk, period.closed)


def _next_numbers(journal: Journal, fiscal_year: FiscalYear, count: int) -> int:
    """Reserve `count` voucher numbers; return the first. The counter row stays locked
    until the posting transaction ends, so concurrent postings queue here."""
    counter = (
        VoucherCounter.objects.select_for_update()
        .filter(journal=journal, fiscal_year=fiscal_year)
        .first()
    )
    if counter is None:
        counter = VoucherCounter.objects.create(journal=journal, fiscal_year=fiscal_year)
        counter = VoucherCounter.objects.select_for_update().get(pk=counter.pk)
    first = counter.last_number + 1
    VoucherCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + count)
    return first


def _save_lines(entry: JournalEntry, lines: list[JournalLine]) -> None:
    """bulk_create the base lines, then the VAT lines that point to them."""
    for line in lines:
        line.entry = entry
    base = [line for line in lines if line.vat_of is None]
    JournalLine.objects.bulk_create(base)
    vat = [line for line in lines if line.vat_of is not None]
    for line in vat:
        base_line = line.vat_of
        assert base_line is not None
        line.vat_of_id = base_line.pk
    JournalLine.objects.bulk_create(vat)


def _party_ids(lines) -> list[int]:
    return sorted({line.party_id for line in lines if line.party_id})


def _total(lines) -> Decimal:
    return sum((line.debit for line in lines), ZERO)


def _posted_event(entry: JournalEntry, lines) -> events.EntryPosted:
    return events.EntryPosted(
        entry_id=entry.pk,
        voucher=entry.voucher,
        journal=entry.journal.code,
        date=entry.date.isoformat(),
        text=entry.description,
        total=_total(lines),
        party_ids=_party_ids(lines),
    )


def _entry_snapshot(entry: JournalEntry, lines) -> dict:
    data = audit.snapshot(entry, exclude=("created_at", "posted_at"))
    data["lines"] = [
        [line.account.number, str(line.debit), str(line.credit), line.party_id, line.vat_code_id]
        for line in lines
    ]
    return data


def preview_lines(*, date, lines: list[dict]) -> list[JournalLine]:
    """The lines a voucher would have, VAT lines included, without writing anything:
    for the form's live preview. Raises ValidationFailed like create_entry."""
    day = _date(date)
    return _build_lines(day, list(lines or []), _Refs.load([list(lines or [])]))


@transaction.atomic
def create_entry(
    *, actor, journal, date, lines: list[dict], description: str = "", post: bool = False
) -> JournalEntry:
    """A draft voucher. It may be incomplete or unbalanced; posting checks the rules.
    With `post=True` it is checked and posted in the same transaction (one commit, the
    lines checked from memory): what "Save and post" in the UI and the API use."""
    if actor is not None:
        require(actor, "accounting.add_journalentry")
        if post:
            require(actor, "accounting.post_journalentry")
    if post:
        # The bulk path with one voucher: checked, numbered and written already posted.
        data = {"journal": journal, "date": date, "lines": lines, "description": description}
        try:
            [entry] = _post_entries([data], actor=actor, kind=JournalEntry.Kind.NORMAL)
        except ValidationFailed as exc:
            cause = exc.__cause__
            raise (cause if isinstance(cause, ValidationFailed) else exc) from None
        return entry
    journal = _journal(journal)
    day = _date(date)
    period = _period_for(day)
    built = _build_lines(day, list(lines or []), _Refs.load([list(lines or [])]))
    entry = JournalEntry.objects.create(
        journal=journal,
        fiscal_year=period.fiscal_year,
        period=period,
        date=day,
        description=(description or "").strip()[:200],
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _save_lines(entry, built)
    audit.record(
        "create", entry, actor=actor, changes=audit.diff({}, _entry_snapshot(entry, built))
    )
    return entry


@transaction.atomic
def update_entry(
    entry: JournalEntry, *, actor, journal=None, date=None, lines=None, description=None
) -> JournalEntry:
    """Change a draft: its journal, date, description or (all of) its lines."""
    if actor is not None:
        require(actor, "accounting.change_journalentry")
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != JournalEntry.State.DRAFT:
        raise Conflict(_("A posted entry cannot be changed; reverse it instead."), code="posted")
    old_lines = list(entry.lines.select_related("account"))
    before = _entry_snapshot(entry, old_lines)
    if journal is not None:
        entry.journal = _journal(journal)
    if date is not None:
        entry.date = _date(date)
        entry.period = _period_for(entry.date)
        entry.fiscal_year = entry.period.fiscal_year
    if description is not None:
        entry.description = description.strip()[:200]
    if lines is not None:
        new_lines = _build_lines(entry.date, list(lines), _Refs.load([list(lines)]))
        entry.lines.all().delete()
        _save_lines(entry, new_lines)
    else:
        new_lines = old_lines
        entry.lines.update(date=entry.date)
    entry.save()
    diff = audit.diff(before, _entry_snapshot(entry, new_lines))
    if diff:
        audit.record("update", entry, actor=actor, changes=diff)
    return entry


@transaction.atomic
def delete_entry(entry: JournalEntry, *, actor) -> None:
    """Delete a draft. Posted entries stay forever."""
    if actor is not None:
        require(actor, "accounting.delete_journalentry")
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.state != JournalEntry.State.DRAFT:
        raise Conflict(_("A posted entry cannot be deleted; reverse it instead."), code="posted")
    lines = list(entry.lines.select_related("account"))
    audit.record(
        "delete", entry, actor=actor, changes=audit.diff(_entry_snapshot(entry, lines), {})
    )
    documentation.remove(entry)  # a draft's attached files go with it
    entry.delete()


@transaction.atomic
def post_entry(entry: JournalEntry, *, actor) -> JournalEntry:
    """Post a draft: check it, give it the next voucher number of its journal and fiscal
    year, and make it immutable."""
    if actor is not None:
        require(actor, "accounting.post_journalentry")
    entry = (
        JournalEntry.objects.select_for_update(of=("self",))
        .select_related("journal", "fiscal_year", "period")
        .get(pk=entry.pk)
    )
    if entry.state != JournalEntry.State.DRAFT:
        raise Conflict(_("The entry is already posted."), code="already_posted")
    _lock_periods([entry.period])
    lines = list(entry.lines.select_related("account", "vat_code"))
    _check_postable(entry, lines, allow_closed=False)
    return _post(entry, lines, actor=actor)


def _post(entry: JournalEntry, lines, *, actor) -> JournalEntry:
    entry.number = _next_numbers(entry.journal, entry.fiscal_year, 1)
    entry.state = JournalEntry.State.POSTED
    entry.posted_at = timezone.now()
    entry.posted_by = actor if actor is not None and actor.is_authenticated else None
    entry.save(update_fields=["number", "state", "posted_at", "posted_by"])
    JournalLine.objects.filter(entry=entry).update(
        posted=True, carry_forward=entry.kind == JournalEntry.Kind.CARRY_FORWARD
    )
    audit.record(
        "update",
        entry,
        actor=actor,
        changes={"state": ["draft", "posted"], "number": [None, entry.number]},
        object_repr=entry.voucher,
    )
    publish(_posted_event(entry, lines), actor=actor)
    return entry


@transaction.atomic
def post_entries(
    entries: list[dict], *, actor, kind: str = JournalEntry.Kind.NORMAL
) -> list[JournalEntry]:
    """Post many vouchers at once (importers, the demo, benchmarks): each dict has
    `journal`, `date`, `lines` and optionally `description`. All are checked before any is
    written; entries and lines are written with bulk inserts, numbers reserved once per
    journal and fiscal year. All or nothing."""
    if actor is not None:
        require(actor, "accounting.post_journalentry")
    return _post_entries(entries, actor=actor, kind=kind)


def _post_entries(entries: list[dict], *, actor, kind: str) -> list[JournalEntry]:
    if not entries:
        return []
    refs = _Refs.load([list(e.get("lines") or []) for e in entries])
    journals = {j.code: j for j in Journal.objects.all()}
    periods = list(Period.objects.select_related("fiscal_year"))
    days = set()
    for data in entries:
        try:
            days.add(_date(data.get("date")))
        except ValidationFailed:
            continue  # reported with the entry's number below
    _lock_periods([p for p in periods if any(p.start <= day <= p.end for day in days)])
    prepared = []
    for index, data in enumerate(entries):
        try:
            code = (
                str(data.get("journal") or "").upper()
                if not isinstance(data.get("journal"), Journal)
                else data["journal"].code
            )
            journal = journals.get(code)
            if journal is None or not journal.active:
                raise fail(_("Choose an existing journal."), "journal")
            day = _date(data.get("date"))
            period = next((p for p in periods if p.start <= day <= p.end), None)
            if period is None:
                raise fail(
                    _("No fiscal year covers %(date)s. Open the fiscal year first.")
                    % {"date": day},
                    "date",
                )
            entry = JournalEntry(
                journal=journal,
                fiscal_year=period.fiscal_year,
                period=period,
                date=day,
                kind=kind,
                description=str(data.get("description") or "").strip()[:200],
                state=JournalEntry.State.POSTED,
                created_by=actor if actor is not None and actor.is_authenticated else None,
                posted_by=actor if actor is not None and actor.is_authenticated else None,
                posted_at=timezone.now(),
            )
            lines = _build_lines(day, list(data.get("lines") or []), refs)
            _check_postable(entry, lines, allow_closed=False)
        except ValidationFailed as exc:
            message = _("Entry %(n)d: %(error)s") % {"n": index + 1, "error": exc.message}
            raise ValidationFailed(
                message, errors={f"entries.{index}": [message]}, code=exc.code
            ) from exc
        prepared.append((entry, lines))
    by_counter: dict[tuple[int, int], list[JournalEntry]] = defaultdict(list)
    for entry, _lines in prepared:
        by_counter[(entry.journal_id, entry.fiscal_year_id)].append(entry)
    for _key, group in sorted(by_counter.items()):
        first = _next_numbers(group[0].journal, group[0].fiscal_year, len(group))
        for offset, entry in enumerate(sorted(group, key=lambda e: e.date)):
            entry.number = first + offset
    created = JournalEntry.objects.bulk_create([entry for entry, _lines in prepared])
    all_lines = []
    carry = kind == JournalEntry.Kind.CARRY_FORWARD
    for entry, lines in prepared:
        for line in lines:
            line.entry = entry
            line.posted = True
            line.carry_forward = carry
        all_lines.extend(lines)
    _save_lines_bulk(all_lines)
    for entry, lines in prepared:
        audit.record(
            "create",
            entry,
            actor=actor,
            changes=audit.diff({}, _entry_snapshot(entry, lines)),
            object_repr=entry.voucher,
        )
        publish(_posted_event(entry, lines), actor=actor)
    return created


def _save_lines_bulk(lines: list[JournalLine]) -> None:
    base = [line for line in lines if line.vat_of is None]
    JournalLine.objects.bulk_create(base, batch_size=2000)
    vat = [line for line in lines if line.vat_of is not None]
    for line in vat:
        base_line = line.vat_of
        assert base_line is not None
        line.vat_of_id = base_line.pk
    JournalLine.objects.bulk_create(vat, batch_size=2000)


@transaction.atomic
def reverse_entry(
    entry: JournalEntry, *, actor, date=None, description: str | None = None
) -> JournalEntry:
    """Correct a posted entry: a new posted entry with every line on the other side,
    linked to the original. By default dated like the original; give a date in an open
    period when the original's period is closed."""
    if actor is not None:
        require(actor, "accounting.post_journalentry")
    entry = (
        JournalEntry.objects.select_for_update(of=("self",))
        .select_related("journal", "fiscal_year", "period")
        .get(pk=entry.pk)
    )
    if entry.state != JournalEntry.State.POSTED:
        raise Conflict(
            _("Only a posted entry can be reversed; delete the draft instead."), code="not_posted"
        )
    if entry.reversal_of_id is not None:
        raise Conflict(_("This entry is itself a reversal."), code="is_reversal")
    if JournalEntry.objects.filter(reversal_of=entry).exists():
        raise Conflict(_("This entry has already been reversed."), code="already_reversed")
    if entry.kind != JournalEntry.Kind.NORMAL:
        raise Conflict(_("Year-end entries cannot be reversed one by one."), code="year_end_entry")
    day = _date(date) if date else entry.date
    period = _period_for(day)
    _lock_periods([period])
    reversal = JournalEntry(
        journal=entry.journal,
        fiscal_year=period.fiscal_year,
        period=period,
        date=day,
        description=(description or _("Reversal of %(voucher)s") % {"voucher": entry.voucher})[
            :200
        ],
        reversal_of=entry,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    originals = list(entry.lines.select_related("account", "vat_code").order_by("line_no"))
    copies: dict[int, JournalLine] = {}
    lines = []
    for line in originals:
        copy = JournalLine(
            account=line.account,
            debit=line.credit,
            credit=line.debit,
            description=line.description,
            party_id=line.party_id,
            vat_code=line.vat_code,
            department_id=line.department_id,
            project_id=line.project_id,
            line_no=line.line_no,
            date=day,
            due_date=line.due_date,
        )
        copies[line.pk] = copy
        lines.append(copy)
    for line, copy in zip(originals, lines, strict=True):
        if line.vat_of_id:
            copy.vat_of = copies[line.vat_of_id]
    _check_postable(reversal, lines, allow_closed=False)
    reversal.save()
    _save_lines(reversal, lines)
    audit.record(
        "create", reversal, actor=actor, changes=audit.diff({}, _entry_snapshot(reversal, lines))
    )
    _post(reversal, lines, actor=actor)
    # A reversed invoice is no longer an open item: each open-item line is matched with
    # its reversal (joining whatever the original was already matched with).
    for line in originals:
        copy = copies[line.pk]
        if line.account.reconcilable and line.party_id:
            line.posted = copy.posted = True
            matching.match([line, copy], actor=actor)
    publish(
        events.EntryReversed(
            entry_id=entry.pk,
            voucher=entry.voucher,
            reversal_id=reversal.pk,
            reversal_voucher=reversal.voucher,
            date=day.isoformat(),
            party_ids=_party_ids(lines),
        ),
        actor=actor,
    )
    return reversal
