"""Leads: manual entry, web forms, CSV import, scoring, qualification and conversion."""

from __future__ import annotations

import csv
import io
import time
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samspill.crm import events
from samspill.crm.models import Lead, ScoreRule, WebForm
from samspill.crm.services.common import (
    RateLimited,
    check,
    reject_unknown,
    resolve_user,
    strip,
)
from samspill.parties import queries as party_queries
from samspill.parties import services as party_services
from samspill.parties.models import Party, clean_orgnr, normalize_phone
from samspill.platform import audit
from samspill.platform.errors import Conflict, NotFound, ValidationFailed
from samspill.platform.events import publish

LEAD_FIELDS = ("name", "company_name", "email", "phone", "orgnr", "source", "message", "owner")
AUDIT_EXCLUDE = ("created_at", "updated_at")

# Web form spam protection (overridable in settings.SAMSPILL).
WEB_FORM_MIN_SECONDS = 3  # a person needs at least this long to fill in the form
WEB_FORM_MAX_AGE = 24 * 3600  # a form older than this must be reloaded
WEB_LEADS_PER_WINDOW = 5  # submissions per address ...
WEB_LEADS_WINDOW_SECONDS = 600  # ... within this many seconds
SIGNING_SALT = "samspill.crm.web-form"


def _setting(name: str, default):
    return settings.SAMSPILL.get(name, default)


# --- Scoring ---------------------------------------------------------------------------------


def active_rules() -> list[ScoreRule]:
    return list(ScoreRule.objects.filter(is_active=True).order_by("id"))


def score_of(lead: Lead, rules: list[ScoreRule] | None = None) -> int:
    """The sum of the points of every active rule the lead meets."""
    return sum(
        rule.points for rule in (active_rules() if rules is None else rules) if rule.matches(lead)
    )


def rescore_open_leads() -> int:
    """Recalculate the score of every open lead (after the rules changed). Returns how many
    scores changed; written in batches."""
    rules = active_rules()
    changed = []
    batch = 2000
    queryset = Lead.objects.filter(status__in=[Lead.Status.NEW, Lead.Status.QUALIFIED])
    for lead in queryset.only(*[f for f in LEAD_FIELDS if f != "owner"], "score").iterator(batch):
        score = score_of(lead, rules)
        if score != lead.score:
            lead.score = score
            changed.append(lead)
    Lead.objects.bulk_update(changed, ["score"], batch_size=batch)
    return len(changed)


# --- Validation ------------------------------------------------------------------------------


def _normalise(lead: Lead, errors: dict[str, list[str]]) -> None:
    for name in ("name", "company_name", "email", "phone", "orgnr", "message"):
        setattr(lead, name, strip(getattr(lead, name)) or "")
    lead.email = lead.email.lower()
    try:
        lead.orgnr = clean_orgnr(lead.orgnr)
    except ValidationError as exc:
        errors.setdefault("orgnr", []).extend(exc.messages)
    if lead.phone:
        try:
            lead.phone = normalize_phone(lead.phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    if not (lead.email or lead.phone):
        errors.setdefault("email", []).append(_("Give an email address or a phone number."))


def _validate(lead: Lead) -> None:
    errors: dict[str, list[str]] = {}
    _normalise(lead, errors)
    try:
        lead.full_clean(exclude=[name for name in ("orgnr", "phone") if name in errors])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def _build(data: dict[str, Any]) -> Lead:
    reject_unknown(data, LEAD_FIELDS)
    owner = resolve_user(data.get("owner"), "owner")
    lead = Lead(**{k: v if v is not None else "" for k, v in data.items() if k != "owner"})
    lead.owner = owner
    if not lead.source:
        lead.source = Lead.Source.MANUAL
    return lead


def _created(lead: Lead, actor) -> Lead:
    audit.record(
        "create",
        lead,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(lead, exclude=AUDIT_EXCLUDE)),
    )
    publish(
        events.LeadCreated(
            lead_id=lead.pk,
            name=lead.name,
            company_name=lead.company_name,
            source=lead.source,
            score=lead.score,
            owner_id=lead.owner_id,
        ),
        actor=actor,
    )
    return lead


# --- Commands --------------------------------------------------------------------------------


@transaction.atomic
def create_lead(*, actor, web_form: WebForm | None = None, **data) -> Lead:
    """A new lead, scored by the active rules."""
    check(actor, "crm.add_lead")
    lead = _build(data)
    lead.web_form = web_form
    _validate(lead)
    lead.score = score_of(lead)
    lead.save()
    return _created(lead, actor)


def _lock(lead: Lead) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead.pk)


@transaction.atomic
def update_lead(lead: Lead, *, actor, **changes) -> Lead:
    """Change an open lead; its score is recalculated."""
    check(actor, "crm.change_lead")
    reject_unknown(changes, LEAD_FIELDS)
    lead = _lock(lead)
    if not lead.is_open:
        raise Conflict(_("A converted or disqualified lead cannot be changed."), code="lead_closed")
    before = audit.snapshot(lead, exclude=AUDIT_EXCLUDE)
    for name, value in changes.items():
        if name == "owner":
            lead.owner = resolve_user(value, "owner")
        else:
            setattr(lead, name, value if value is not None else "")
    _validate(lead)
    lead.score = score_of(lead)
    diff = audit.diff(before, audit.snapshot(lead, exclude=AUDIT_EXCLUDE))
    if not diff:
        return lead
    lead.save()
    audit.record("update", lead, actor=actor, changes=diff)
    publish(events.LeadUpdated(lead_id=lead.pk, name=lead.name, changed=sorted(diff)), actor=actor)
    return lead


@transaction.atomic
def qualify_lead(lead: Lead, *, actor) -> Lead:
    check(actor, "crm.change_lead")
    lead = _lock(lead)
    if lead.status != Lead.Status.NEW:
        raise Conflict(_("Only a new lead can be qualified."), code="lead_not_new")
    lead.status = Lead.Status.QUALIFIED
    lead.save(update_fields=["status", "updated_at"])
    audit.record("update", lead, actor=actor, changes={"status": ["new", "qualified"]})
    publish(events.LeadQualified(lead_id=lead.pk, name=lead.name), actor=actor)
    return lead


@transaction.atomic
def disqualify_lead(lead: Lead, *, actor, reason: str) -> Lead:
    check(actor, "crm.change_lead")
    reason = (reason or "").strip()
    if not reason:
        message = _("Give a reason for disqualifying the lead.")
        raise ValidationFailed(message, errors={"reason": [message]})
    lead = _lock(lead)
    if not lead.is_open:
        raise Conflict(_("This lead is already closed."), code="lead_closed")
    before = lead.status
    lead.status = Lead.Status.DISQUALIFIED
    lead.disqualify_reason = reason[:300]
    lead.save(update_fields=["status", "disqualify_reason", "updated_at"])
    audit.record(
        "update",
        lead,
        actor=actor,
        changes={
            "status": [before, lead.status],
            "disqualify_reason": ["", lead.disqualify_reason],
        },
    )
    publish(
        events.LeadDisqualified(lead_id=lead.pk, name=lead.name, reason=lead.disqualify_reason),
        actor=actor,
    )
    return lead


def _split_name(name: str) -> tuple[str, str]:
    parts = name.strip().rsplit(" ", 1)
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], "")


def _contact_points(lead: Lead) -> list[dict[str, Any]]:
    points: list[dict[str, Any]] = []
    if lead.email:
        points.append({"kind": "email", "value": lead.email, "is_primary": True})
    if lead.phone:
        points.append({"kind": "phone", "value": lead.phone, "is_primary": True})
    return points


@dataclass
class Conversion:
    lead: Lead
    party: Party
    contact: Party | None
    opportunity: Any


@transaction.atomic
def convert_lead(
    lead: Lead,
    *,
    actor,
    opportunity_name: str = "",
    expected_revenue: Decimal | str | int = Decimal("0"),
    close_date: date | None = None,
    stage=None,
    owner=None,
    team=None,
    organization: Party | None = None,
    contact: Party | None = None,
    force: bool = False,
) -> Conversion:
    """In one step: the lead's company becomes an organisation (or `organization`, an
    existing one, is used), the lead's person its contact person (or `contact`), and an
    opportunity is opened for them. The parties are created through the parties services;
    their duplicate check applies unless `force`. Everything or nothing is written."""
    from samspill.crm.services import pipeline

    check(actor, "crm.convert_lead")
    check(actor, "crm.add_opportunity")
    lead = _lock(lead)
    if not lead.is_open:
        raise Conflict(_("This lead is already converted or disqualified."), code="lead_closed")
    owner = resolve_user(owner, "owner") if owner not in (None, "") else (lead.owner or actor)
    if owner is not None and not getattr(owner, "is_authenticated", False):
        owner = None
    first, last = _split_name(lead.name)
    if organization is None and lead.company_name:
        organization = party_services.create_organization(
            actor=actor,
            name=lead.company_name,
            orgnr=lead.orgnr,
            roles=["prospect"],
            owner=owner,
            force=force,
        )
    if contact is None:
        contact = party_services.create_person(
            actor=actor,
            first_name=first,
            last_name=last,
            roles=[] if organization is not None else ["prospect"],
            owner=owner,
            contact_points=_contact_points(lead),
            organization=organization,
            is_primary_contact=organization is not None,
            notes=lead.message,
            force=force,
        )
    elif organization is not None and contact.kind != Party.Kind.PERSON:
        message = _("The contact person must be a person.")
        raise ValidationFailed(message, errors={"contact": [message]})
    party = organization if organization is not None else contact
    opportunity = pipeline.open_opportunity(
        actor=actor,
        name=(opportunity_name or "").strip() or (lead.company_name or lead.name),
        party=party,
        contact=contact if contact is not party else None,
        lead=lead,
        stage=stage,
        expected_revenue=expected_revenue,
        close_date=close_date or (timezone.localdate() + _days(30)),
        owner=owner,
        team=team,
    )
    before = audit.snapshot(lead, exclude=AUDIT_EXCLUDE)
    lead.status = Lead.Status.CONVERTED
    lead.party = party
    lead.contact = contact
    lead.converted_at = timezone.now()
    lead.save(update_fields=["status", "party", "contact", "converted_at", "updated_at"])
    audit.record(
        "update",
        lead,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(lead, exclude=AUDIT_EXCLUDE)),
    )
    publish(
        events.LeadConverted(
            lead_id=lead.pk,
            name=lead.name,
            party_id=party.pk,
            contact_id=contact.pk if contact is not None else None,
            opportunity_id=opportunity.pk,
        ),
        actor=actor,
    )
    return Conversion(lead=lead, party=party, contact=contact, opportunity=opportunity)


def _days(n: int):
    from datetime import timedelta

    return timedelta(days=n)


def duplicates_of(lead: Lead, limit: int = 10) -> list[Party]:
    """Parties with the lead's organisation number, email or phone, or its company's name."""
    return party_queries.find_duplicates(
        orgnr=lead.orgnr,
        emails=[lead.email] if lead.email else [],
        phones=[lead.phone] if lead.phone else [],
        name=lead.company_name,
        limit=limit,
    )


# --- Web forms -------------------------------------------------------------------------------


def form_token(form_key: str) -> str:
    """A signed token with the time the form was shown, put in a hidden field."""
    return signing.dumps({"k": form_key, "t": time.time()}, salt=SIGNING_SALT, compress=True)


def _check_rate(ip: str) -> None:
    limit = int(_setting("CRM_WEB_LEADS_PER_WINDOW", WEB_LEADS_PER_WINDOW))
    window = int(_setting("CRM_WEB_LEADS_WINDOW_SECONDS", WEB_LEADS_WINDOW_SECONDS))
    key = f"crm:web-leads:{ip or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    if count > limit:
        raise RateLimited(
            _("Too many submissions from your address. Try again in a few minutes."),
            retry_after=window,
            limit=limit,
        )


def _check_token(form_key: str, token: str) -> None:
    invalid = _("The form has expired or was tampered with. Reload the page and try again.")
    try:
        data = signing.loads(
            token or "",
            salt=SIGNING_SALT,
            max_age=_setting("CRM_WEB_FORM_MAX_AGE", WEB_FORM_MAX_AGE),
        )
    except signing.BadSignature:
        raise ValidationFailed(
            invalid, code="form_token_invalid", errors={"token": [invalid]}
        ) from None
    if not isinstance(data, dict) or data.get("k") != form_key:
        raise ValidationFailed(invalid, code="form_token_invalid", errors={"token": [invalid]})
    minimum = _setting("CRM_WEB_FORM_MIN_SECONDS", WEB_FORM_MIN_SECONDS)
    if time.time() - float(data.get("t", 0)) < minimum:
        message = _("The form was sent too fast. Please check your details and send it again.")
        raise ValidationFailed(message, code="too_fast", errors={"token": [message]})


def active_web_form(form_key: str) -> WebForm:
    form = WebForm.objects.filter(key=form_key or "", is_active=True).first()
    if form is None:
        raise NotFound(_("There is no active web form with this key."), code="unknown_form")
    return form


def capture_web_lead(
    *, form_key: str, token: str, honeypot: str = "", ip: str = "", **data
) -> Lead:
    """A lead from a public web form. Spam protection without third parties: a per-address
    rate limit (429), a hidden field people leave empty, and a signed timestamp showing the
    form was on screen long enough and was issued for this form. Nothing is written when a
    check fails."""
    _check_rate(ip)
    form = active_web_form(form_key)
    if (honeypot or "").strip():
        message = _("The form could not be accepted.")
        raise ValidationFailed(message, code="spam_suspected", errors={"__all__": [message]})
    _check_token(form.key, token)
    allowed = ("name", "company_name", "email", "phone", "orgnr", "message")
    fields = {k: (v or "") for k, v in data.items() if k in allowed}
    return create_lead(
        actor=None, web_form=form, source=Lead.Source.WEB_FORM, owner=form.default_owner, **fields
    )


# --- CSV import ------------------------------------------------------------------------------

IMPORT_COLUMNS = ("name", "company_name", "email", "phone", "orgnr", "source", "message")
HEADER_ALIASES = {
    "navn": "name",
    "kontaktperson": "name",
    "firma": "company_name",
    "firmanavn": "company_name",
    "company": "company_name",
    "e-post": "email",
    "epost": "email",
    "e-mail": "email",
    "telefon": "phone",
    "orgnr": "orgnr",
    "organisasjonsnummer": "orgnr",
    "kilde": "source",
    "melding": "message",
}


@dataclass
class ImportReport:
    created: list[Lead] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (row, why)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, field, message)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _read_csv(content: bytes | str) -> list[dict[str, str]]:
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("cp1252")
    else:
        text = content
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        message = _("The file is empty.")
        raise ValidationFailed(message, errors={"file": [message]})
    headers = {
        raw: HEADER_ALIASES.get(raw.strip().lower(), raw.strip().lower())
        for raw in reader.fieldnames
    }
    if "name" not in headers.values():
        message = _("The file needs a column “name”.")
        raise ValidationFailed(message, errors={"file": [message]})
    return [
        {
            headers[k]: (v or "").strip()
            for k, v in row.items()
            if k in headers and headers[k] in IMPORT_COLUMNS
        }
        for row in reader
    ]


def _source_words() -> dict[str, str]:
    """Source values by their value, English label and label in the active language."""
    words = {value: value for value in Lead.Source.values}
    with translation.override("en"):
        words |= {str(label).lower(): value for value, label in Lead.Source.choices}
    words |= {str(label).lower(): value for value, label in Lead.Source.choices}
    return words


@transaction.atomic
def import_leads(
    *, actor, content: bytes | str, all_or_nothing: bool = False, owner=None
) -> ImportReport:
    """Leads from a CSV file (comma, semicolon or tab separated; UTF-8 or Windows-1252).
    Every bad row is reported with its row number; bad rows are never written. Rows whose
    email (or name and company) matches an open lead are skipped, so a file can be
    imported again safely. With `all_or_nothing`, one bad row stops the whole import."""
    check(actor, "crm.import_lead")
    owner = resolve_user(owner, "owner") if owner else None
    rows = _read_csv(content)
    report = ImportReport(rows=len(rows))
    rules = active_rules()
    open_leads = Lead.objects.filter(status__in=[Lead.Status.NEW, Lead.Status.QUALIFIED])
    emails = {e.lower() for e in open_leads.exclude(email="").values_list("email", flat=True)}
    names = {(n.lower(), c.lower()) for n, c in open_leads.values_list("name", "company_name")}
    valid: list[Lead] = []
    source_words = _source_words()
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        source = row.get("source", "").strip()
        row["source"] = source_words.get(source.lower(), source.lower()) or Lead.Source.IMPORT
        lead = Lead(**row)
        lead.owner = owner
        try:
            _validate(lead)
        except ValidationFailed as exc:
            for name, messages in exc.errors.items():
                for message in messages:
                    report.errors.append((number, name, message))
            continue
        email_key = lead.email.lower()
        name_key = (lead.name.lower(), lead.company_name.lower())
        if (email_key and email_key in emails) or (not email_key and name_key in names):
            report.skipped.append((number, _("An open lead with this email or name exists.")))
            continue
        emails.add(email_key)
        names.add(name_key)
        lead.score = score_of(lead, rules)
        valid.append(lead)
    if all_or_nothing and report.errors:
        return report
    Lead.objects.bulk_create(valid, batch_size=1000)
    for lead in valid:
        _created(lead, actor)
    report.created = valid
    return report
