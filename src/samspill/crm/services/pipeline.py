"""The sales pipeline: its stages and the opportunities that move through them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.crm import events
from samspill.crm.models import Opportunity, Stage
from samspill.crm.services.common import (
    check,
    full_clean,
    reject_unknown,
    resolve,
    resolve_user,
    strip,
)
from samspill.organization.models import Team
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.events import publish

CENT = Decimal("0.01")
STAGE_FIELDS = ("name", "position", "probability", "is_won", "is_lost")
OPPORTUNITY_FIELDS = ("name", "party", "contact", "expected_revenue", "close_date", "owner", "team")
AUDIT_EXCLUDE = ("created_at", "updated_at")


def money(value, field: str = "expected_revenue") -> Decimal:
    """A non-negative amount in NOK, rounded half up to øre."""
    try:
        amount = Decimal(
            str(value if value not in (None, "") else "0").replace(" ", "").replace(",", ".")
        )
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        message = _("Enter an amount of zero or more.")
        raise ValidationFailed(message, errors={field: [message]})
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


# --- Stages ----------------------------------------------------------------------------------


def _stage_snapshot(stage: Stage) -> dict:
    return audit.snapshot(stage)


@transaction.atomic
def create_stage(
    *,
    actor,
    name: str,
    probability: int,
    position: int | None = None,
    is_won: bool = False,
    is_lost: bool = False,
) -> Stage:
    check(actor, "crm.add_stage")
    if position is None:
        position = (Stage.objects.aggregate(m=Max("position"))["m"] or 0) + 10
    stage = Stage(
        name=strip(name) or "",
        probability=probability,
        position=position,
        is_won=bool(is_won),
        is_lost=bool(is_lost),
    )
    full_clean(stage)
    stage.save()
    audit.record("create", stage, actor=actor, changes=audit.diff({}, _stage_snapshot(stage)))
    return stage


@transaction.atomic
def update_stage(stage: Stage, *, actor, **changes) -> Stage:
    """Rename a stage or change its order, probability or won/lost flag. A stage that holds
    opportunities keeps its won/lost flags (their status depends on them)."""
    check(actor, "crm.change_stage")
    reject_unknown(changes, STAGE_FIELDS)
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    before = _stage_snapshot(stage)
    for name, value in changes.items():
        setattr(stage, name, strip(value))
    full_clean(stage)
    diff = audit.diff(before, _stage_snapshot(stage))
    if not diff:
        return stage
    if ({"is_won", "is_lost"} & diff.keys()) and stage.opportunities.exists():
        raise Conflict(
            _("This stage holds opportunities; move them before changing won or lost."),
            code="stage_in_use",
        )
    stage.save()
    audit.record("update", stage, actor=actor, changes=diff)
    return stage


@transaction.atomic
def delete_stage(stage: Stage, *, actor) -> None:
    check(actor, "crm.delete_stage")
    stage = Stage.objects.select_for_update().get(pk=stage.pk)
    if stage.opportunities.exists():
        raise Conflict(
            _("This stage holds opportunities; move them to another stage first."),
            code="stage_in_use",
        )
    if stage.is_won and Stage.objects.filter(is_won=True).count() == 1:
        raise Conflict(_("The pipeline needs a won stage."), code="last_won_stage")
    if stage.is_lost and Stage.objects.filter(is_lost=True).count() == 1:
        raise Conflict(_("The pipeline needs a lost stage."), code="last_lost_stage")
    if not stage.is_closed and Stage.objects.filter(is_won=False, is_lost=False).count() == 1:
        raise Conflict(_("The pipeline needs an open stage."), code="last_open_stage")
    audit.record("delete", stage, actor=actor, changes=audit.diff(_stage_snapshot(stage), {}))
    stage.delete()


DEFAULT_STAGES = [
    # (English, Norwegian Bokmål, probability, won, lost); migration 0002 seeds the same.
    ("Prospecting", "Prospektering", 10, False, False),
    ("Qualification", "Kvalifisering", 25, False, False),
    ("Proposal", "Tilbud", 50, False, False),
    ("Negotiation", "Forhandling", 75, False, False),
    ("Won", "Vunnet", 100, True, False),
    ("Lost", "Tapt", 0, False, True),
]


def ensure_default_stages() -> int:
    """Create the default stages when the pipeline has none at all (a database emptied
    after migrating); named in the installation's language. Returns how many were made."""
    if Stage.objects.exists():
        return 0
    norwegian = settings.LANGUAGE_CODE.split("-")[0] in ("nb", "no", "nn")
    rows = Stage.objects.bulk_create(
        Stage(
            name=nb if norwegian else en, position=(i + 1) * 10, probability=p, is_won=w, is_lost=lo
        )
        for i, (en, nb, p, w, lo) in enumerate(DEFAULT_STAGES)
    )
    for stage in rows:
        audit.record("create", stage, actor=None, changes=audit.diff({}, _stage_snapshot(stage)))
    return len(rows)


def first_open_stage() -> Stage:
    ensure_default_stages()
    stage = Stage.objects.filter(is_won=False, is_lost=False).order_by("position", "id").first()
    if stage is None:
        raise Conflict(_("The pipeline has no open stage. Add one first."), code="no_open_stage")
    return stage


def _stage(value) -> Stage:
    if value in (None, ""):
        return first_open_stage()
    return resolve(Stage, value, "stage", _("Choose an existing stage."))


# --- Opportunities ---------------------------------------------------------------------------


def _party(value, field: str, message: str) -> Party | None:
    party = resolve(Party, value, field, message, Party.objects.current())
    if party is not None and (party.merged_into_id or party.erased_at):
        raise ValidationFailed(message, errors={field: [message]})
    return party


def _assign(opportunity: Opportunity, data: dict) -> None:
    for name, value in data.items():
        if name == "party":
            opportunity.party = _party(value, "party", _("Choose an existing customer."))  # type: ignore[assignment]
        elif name == "contact":
            contact = _party(value, "contact", _("Choose an existing person."))
            if contact is not None and contact.kind != Party.Kind.PERSON:
                message = _("The contact person must be a person.")
                raise ValidationFailed(message, errors={"contact": [message]})
            opportunity.contact = contact
        elif name == "owner":
            opportunity.owner = resolve_user(value, "owner")
        elif name == "team":
            opportunity.team = resolve(Team, value, "team", _("Choose an existing team."))
        elif name == "expected_revenue":
            opportunity.expected_revenue = money(value)
        else:
            setattr(opportunity, name, strip(value))


def _snapshot(opportunity: Opportunity) -> dict:
    return audit.snapshot(opportunity, exclude=AUDIT_EXCLUDE)


def open_opportunity(*, actor, stage=None, lead=None, **data) -> Opportunity:
    """Create an opportunity inside the caller's transaction (create_opportunity and the
    lead conversion)."""
    reject_unknown(data, OPPORTUNITY_FIELDS)
    if data.get("party") in (None, ""):
        message = _("Choose a customer.")
        raise ValidationFailed(message, errors={"party": [message]})
    opportunity = Opportunity(lead=lead)
    _assign(opportunity, data)
    opportunity.stage = _stage(stage)
    if opportunity.stage.is_closed:
        message = _("A new opportunity starts in an open stage.")
        raise ValidationFailed(message, errors={"stage": [message]})
    full_clean(opportunity)
    opportunity.save()
    audit.record("create", opportunity, actor=actor, changes=audit.diff({}, _snapshot(opportunity)))
    publish(
        events.OpportunityCreated(
            opportunity_id=opportunity.pk,
            name=opportunity.name,
            party_id=opportunity.party_id,
            stage=opportunity.stage.name,
            expected_revenue=str(opportunity.expected_revenue),
            close_date=opportunity.close_date.isoformat(),
            owner_id=opportunity.owner_id,
        ),
        actor=actor,
    )
    return opportunity


@transaction.atomic
def create_opportunity(*, actor, stage=None, **data) -> Opportunity:
    check(actor, "crm.add_opportunity")
    return open_opportunity(actor=actor, stage=stage, **data)


def _lock(opportunity: Opportunity) -> Opportunity:
    return Opportunity.objects.select_for_update().select_related("stage").get(pk=opportunity.pk)


@transaction.atomic
def update_opportunity(opportunity: Opportunity, *, actor, **changes) -> Opportunity:
    """Change the facts of an opportunity; the stage changes only with move_opportunity."""
    check(actor, "crm.change_opportunity")
    reject_unknown(changes, OPPORTUNITY_FIELDS)
    opportunity = _lock(opportunity)
    before = _snapshot(opportunity)
    _assign(opportunity, changes)
    full_clean(opportunity)
    diff = audit.diff(before, _snapshot(opportunity))
    if not diff:
        return opportunity
    opportunity.save()
    audit.record("update", opportunity, actor=actor, changes=diff)
    publish(
        events.OpportunityUpdated(
            opportunity_id=opportunity.pk,
            name=opportunity.name,
            party_id=opportunity.party_id,
            changed=sorted(diff),
        ),
        actor=actor,
    )
    return opportunity


@transaction.atomic
def move_opportunity(opportunity: Opportunity, *, actor, stage, reason: str = "") -> Opportunity:
    """Move an opportunity to another stage (the board's drag and drop). A won stage wins
    it, a lost stage loses it (a reason is required), an open stage (re)opens it."""
    check(actor, "crm.change_opportunity")
    opportunity = _lock(opportunity)
    target = resolve(Stage, stage, "stage", _("Choose an existing stage."))
    if target is None:
        message = _("Choose an existing stage.")
        raise ValidationFailed(message, errors={"stage": [message]})
    reason = (reason or "").strip()[:300]
    if target.is_lost and not reason:
        message = _("Give a reason why the opportunity was lost.")
        raise ValidationFailed(message, code="reason_required", errors={"reason": [message]})
    source = opportunity.stage
    if source.pk == target.pk:
        return opportunity
    before = _snapshot(opportunity)
    opportunity.stage = target
    if target.is_won:
        opportunity.status = Opportunity.Status.WON
    elif target.is_lost:
        opportunity.status = Opportunity.Status.LOST
    else:
        opportunity.status = Opportunity.Status.OPEN
    if target.is_closed:
        opportunity.closed_at = timezone.now()
        opportunity.reason = reason
    else:
        opportunity.closed_at = None
        opportunity.reason = ""
    opportunity.save(update_fields=["stage", "status", "closed_at", "reason", "updated_at"])
    audit.record(
        "update", opportunity, actor=actor, changes=audit.diff(before, _snapshot(opportunity))
    )
    publish(
        events.OpportunityStageChanged(
            opportunity_id=opportunity.pk,
            name=opportunity.name,
            party_id=opportunity.party_id,
            from_stage=source.name,
            to_stage=target.name,
            probability=target.probability,
        ),
        actor=actor,
    )
    if target.is_won:
        publish(
            events.OpportunityWon(
                opportunity_id=opportunity.pk,
                name=opportunity.name,
                party_id=opportunity.party_id,
                expected_revenue=str(opportunity.expected_revenue),
                reason=reason,
            ),
            actor=actor,
        )
    elif target.is_lost:
        publish(
            events.OpportunityLost(
                opportunity_id=opportunity.pk,
                name=opportunity.name,
                party_id=opportunity.party_id,
                reason=reason,
            ),
            actor=actor,
        )
    return opportunity


def _closing_stage(won: bool) -> Stage:
    stage = Stage.objects.filter(is_won=won, is_lost=not won).order_by("position", "id").first()
    if stage is None:
        raise Conflict(
            _("The pipeline has no won stage.") if won else _("The pipeline has no lost stage."),
            code="no_closing_stage",
        )
    return stage


def mark_won(opportunity: Opportunity, *, actor, reason: str = "") -> Opportunity:
    return move_opportunity(opportunity, actor=actor, stage=_closing_stage(True), reason=reason)


def mark_lost(opportunity: Opportunity, *, actor, reason: str) -> Opportunity:
    return move_opportunity(opportunity, actor=actor, stage=_closing_stage(False), reason=reason)
