"""The rows that belong to a party: addresses, contact points, contact-person relations
and consents."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.parties import events
from samspill.parties.models import (
    Address,
    Consent,
    ContactPoint,
    Party,
    Relation,
)
from samspill.parties.services.common import (
    _build_addresses,
    _check,
    _child_changed,
    _describe_point,
    _ensure_writable,
    _full_clean,
    _lock,
    _on_value,
    _raise_if,
    _save_contact_point,
    _save_relation,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish

# --- Addresses -------------------------------------------------------------------------


@transaction.atomic
def add_address(*, actor, party: Party, **data) -> Address:
    _check(actor, "parties.change_party")
    party = _lock(party)
    _ensure_writable(party)
    errors: dict[str, list[str]] = {}
    (address,) = _build_addresses([data], errors, prefix="_")
    _raise_if({k.removeprefix("_.0."): v for k, v in errors.items()})
    address.party = party
    address.save()
    _child_changed(party, actor, "addresses", None, str(address))
    return address


@transaction.atomic
def update_address(*, actor, address: Address, **data) -> Address:
    _check(actor, "parties.change_party")
    party = _lock(address.party)
    _ensure_writable(party)
    address = Address.objects.get(pk=address.pk)
    before = (address.get_kind_display(), str(address))
    errors: dict[str, list[str]] = {}
    for field in ("kind", "line1", "line2", "postal_code", "city", "country"):
        if field in data:
            value = data[field]
            value = (value or "").strip() if isinstance(value, str) or value is None else value
            setattr(address, field, value.upper() if field == "country" else value)
    _full_clean(address, errors)
    _raise_if(errors)
    after = (address.get_kind_display(), str(address))
    if before == after:
        return address
    address.save()
    _child_changed(party, actor, "addresses", ": ".join(before), ": ".join(after))
    return address


@transaction.atomic
def remove_address(*, actor, address: Address) -> None:
    _check(actor, "parties.change_party")
    party = _lock(address.party)
    _ensure_writable(party)
    description = str(address)
    Address.objects.filter(pk=address.pk).delete()
    _child_changed(party, actor, "addresses", description, None)


# --- Contact points --------------------------------------------------------------------


@transaction.atomic
def add_contact_point(
    *, actor, party: Party, kind: str, value: str, label: str = "", is_primary: bool | None = None
) -> ContactPoint:
    """Add an email address or phone number. The first of its kind becomes primary."""
    _check(actor, "parties.change_party")
    party = _lock(party)
    _ensure_writable(party)
    errors: dict[str, list[str]] = {}
    point = ContactPoint(party=party, kind=kind, value=value or "", label=(label or "").strip())
    _full_clean(point, errors)
    _raise_if(_on_value(errors))
    _save_contact_point(point, is_primary)
    _child_changed(party, actor, "contact points", None, _describe_point(point))
    return point


@transaction.atomic
def update_contact_point(*, actor, point: ContactPoint, **data) -> ContactPoint:
    _check(actor, "parties.change_party")
    party = _lock(point.party)
    _ensure_writable(party)
    point = ContactPoint.objects.get(pk=point.pk)
    before = (_describe_point(point), point.label, point.is_primary)
    errors: dict[str, list[str]] = {}
    for field in ("kind", "value", "label"):
        if field in data:
            setattr(point, field, (data[field] or "").strip())
    _full_clean(point, errors)
    _raise_if(_on_value(errors))
    wants_primary = data.get("is_primary")
    if wants_primary and not point.is_primary:
        ContactPoint.objects.filter(party=party, kind=point.kind, is_primary=True).exclude(
            pk=point.pk
        ).update(is_primary=False)
        point.is_primary = True
    elif wants_primary is False and point.is_primary:
        point.is_primary = False
    kind_changed = "kind" in data and before[0] != _describe_point(point)
    if kind_changed and point.is_primary:
        # A primary of the new kind may exist already: the moved point yields to it.
        point.is_primary = (
            not ContactPoint.objects.filter(party=party, kind=point.kind, is_primary=True)
            .exclude(pk=point.pk)
            .exists()
        )
    after = (_describe_point(point), point.label, point.is_primary)
    if before == after:
        return point
    point.save()
    _promote_primary(party)
    _child_changed(party, actor, "contact points", before[0], after[0])
    return point


def _promote_primary(party: Party) -> None:
    """Make the oldest contact point of each kind primary when none of that kind is."""
    for kind in ContactPoint.Kind.values:
        points = ContactPoint.objects.filter(party=party, kind=kind)
        if not points.filter(is_primary=True).exists():
            first = points.order_by("id").first()
            if first is not None:
                points.filter(pk=first.pk).update(is_primary=True)


@transaction.atomic
def remove_contact_point(*, actor, point: ContactPoint) -> None:
    _check(actor, "parties.change_party")
    party = _lock(point.party)
    _ensure_writable(party)
    description = _describe_point(point)
    ContactPoint.objects.filter(pk=point.pk).delete()
    _promote_primary(party)
    _child_changed(party, actor, "contact points", description, None)


# --- Contact persons (relations) -------------------------------------------------------


@transaction.atomic
def link_contact(
    *,
    actor,
    person: Party,
    organization: Party,
    title: str = "",
    department: str = "",
    is_primary: bool = False,
) -> Relation:
    """Make a person a contact at an organisation."""
    _check(actor, "parties.change_party")
    errors: dict[str, list[str]] = {}
    if person.kind != Party.Kind.PERSON:
        errors["person"] = [_("Choose a person.")]
    if organization.kind != Party.Kind.ORGANIZATION:
        errors["organization"] = [_("Choose an organization.")]
    _raise_if(errors)
    person = _lock(person)
    organization = _lock(organization)
    _ensure_writable(person)
    _ensure_writable(organization)
    relation = Relation(
        person=person,
        organization=organization,
        title=(title or "").strip(),
        department=(department or "").strip(),
        is_primary=bool(is_primary),
    )
    _full_clean(relation, errors, constraints=False)
    _raise_if(errors)
    if Relation.objects.filter(person=person, organization=organization).exists():
        raise Conflict(
            _("This person is already a contact at this organization."), code="already_linked"
        )
    return _save_relation(relation, actor)


@transaction.atomic
def update_relation(
    *, actor, relation: Relation, title=None, department=None, is_primary=None
) -> Relation:
    _check(actor, "parties.change_party")
    relation = Relation.objects.select_related("person", "organization").get(pk=relation.pk)
    _ensure_writable(relation.organization)
    before = audit.snapshot(relation)
    if title is not None:
        relation.title = title.strip()
    if department is not None:
        relation.department = department.strip()
    if is_primary is not None:
        relation.is_primary = bool(is_primary)
    errors: dict[str, list[str]] = {}
    _full_clean(relation, errors, constraints=False)
    _raise_if(errors)
    changes = audit.diff(before, audit.snapshot(relation))
    if not changes:
        return relation
    if relation.is_primary:
        Relation.objects.filter(organization=relation.organization, is_primary=True).exclude(
            pk=relation.pk
        ).update(is_primary=False)
    relation.save()
    audit.record("update", relation, actor=actor, changes=changes)
    audit.record(
        "update",
        relation.organization,
        actor=actor,
        changes={
            "contact persons": [None, f"{relation.person.name}: {', '.join(sorted(changes))}"]
        },
    )
    publish(
        events.PartyUpdated(party_id=relation.organization_id, fields=["contact persons"]),
        actor=actor,
    )
    return relation


@transaction.atomic
def unlink_contact(*, actor, relation: Relation) -> None:
    _check(actor, "parties.change_party")
    relation = Relation.objects.select_related("person", "organization").get(pk=relation.pk)
    description = f"{relation.person.name} – {relation.organization.name}"
    person_id, organization_id = relation.person_id, relation.organization_id
    audit.record("delete", relation, actor=actor, changes={"relation": [description, None]})
    Relation.objects.filter(pk=relation.pk).delete()
    publish(
        events.ContactUnlinked(person_id=person_id, organization_id=organization_id), actor=actor
    )


# --- Consents --------------------------------------------------------------------------


@transaction.atomic
def record_consent(
    *, actor, party: Party, channel: str, granted: bool, source: str, recorded_at=None
) -> Consent:
    """Append a consent (or its withdrawal) for a channel. The latest row is current."""
    _check(actor, "parties.add_consent")
    party = _lock(party)
    _ensure_writable(party)
    consent = Consent(
        party=party,
        channel=channel,
        granted=bool(granted),
        source=(source or "").strip(),
        recorded_at=recorded_at or timezone.now(),
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    errors: dict[str, list[str]] = {}
    if granted is None:
        errors["granted"] = [_("Say whether consent is granted or withdrawn.")]
    _full_clean(consent, errors, exclude=["granted"] if granted is None else None)
    _raise_if(errors)
    consent.save()
    audit.record(
        "update",
        party,
        actor=actor,
        changes={f"consent ({consent.channel})": [None, f"{consent} – {consent.source}"]},
    )
    publish(
        events.ConsentRecorded(
            party_id=party.pk,
            consent_id=consent.pk,
            channel=consent.channel,
            granted=consent.granted,
            source=consent.source,
        ),
        actor=actor,
    )
    return consent
