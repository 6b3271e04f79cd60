"""Merge a duplicate party into the one that survives."""

from __future__ import annotations

from django.db import transaction
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
    _check,
    _ensure_writable,
    _party_snapshot,
)
from samspill.parties.services.hooks import _merge_handlers
from samspill.platform import audit
from samspill.platform.errors import ValidationFailed
from samspill.platform.events import publish

_FILLABLE = ("first_name", "last_name", "orgnr", "bank_account", "website", "notes", "owner_id")


@transaction.atomic
def merge_parties(*, actor, survivor: Party, duplicate: Party) -> Party:
    """Merge `duplicate` into `survivor`: every reference moves to the survivor, its empty
    fields are filled from the duplicate, and the duplicate stays as an inactive tombstone
    pointing at the survivor. Returns the updated survivor."""
    _check(actor, "parties.merge_party")
    if survivor.pk == duplicate.pk:
        raise ValidationFailed(
            _("A party cannot be merged with itself."),
            errors={"duplicate_id": [_("Choose another party.")]},
        )
    first, second = sorted([survivor.pk, duplicate.pk])
    locked = {p.pk: p for p in Party.objects.select_for_update().filter(pk__in=[first, second])}
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    for party in (survivor, duplicate):
        _ensure_writable(party)
    if survivor.kind != duplicate.kind:
        raise ValidationFailed(
            _("An organization and a person cannot be merged."),
            errors={"duplicate_id": [_("Choose a party of the same kind.")]},
        )
    before_survivor = _party_snapshot(survivor)
    before_duplicate = _party_snapshot(duplicate)

    # The tombstone first: the orgnr uniqueness only counts current parties.
    duplicate.merged_into = survivor
    duplicate.is_active = False
    duplicate.save(update_fields=["merged_into", "is_active", "updated_at"])

    for field in _FILLABLE:
        if not getattr(survivor, field) and getattr(duplicate, field):
            setattr(survivor, field, getattr(duplicate, field))
    if survivor.is_person:
        survivor.name = survivor.compose_name()
    for field in Party.ROLE_FIELDS.values():
        setattr(survivor, field, getattr(survivor, field) or getattr(duplicate, field))
    survivor.save()
    survivor.tags.add(*duplicate.tags.all())

    moved = {
        "contact points": _merge_contact_points(survivor, duplicate),
        "addresses": _merge_addresses(survivor, duplicate),
        "contact persons": _merge_relations(survivor, duplicate),
        "consents": Consent.objects.filter(party=duplicate).update(party=survivor),
    }
    Party.objects.filter(merged_into=duplicate).update(merged_into=survivor)

    for _label, handler in _merge_handlers:
        handler(survivor, duplicate, actor)

    changes = audit.diff(before_survivor, _party_snapshot(survivor))
    changes["merged from"] = [None, f"{duplicate.name} (#{duplicate.pk})"]
    changes.update({f"moved {key}": [None, count] for key, count in moved.items() if count})
    audit.record("merge", survivor, actor=actor, changes=changes)
    audit.record(
        "merge",
        duplicate,
        actor=actor,
        changes={
            **audit.diff(before_duplicate, _party_snapshot(duplicate)),
            "merged into": [None, f"{survivor.name} (#{survivor.pk})"],
        },
    )
    publish(events.PartyMerged(survivor_id=survivor.pk, duplicate_id=duplicate.pk), actor=actor)
    return survivor


def _merge_contact_points(survivor: Party, duplicate: Party) -> int:
    existing = set(survivor.contact_points.values_list("kind", "normalized"))
    primary_kinds = set(
        survivor.contact_points.filter(is_primary=True).values_list("kind", flat=True)
    )
    drop, keep_flag, clear_flag = [], [], []
    for point in duplicate.contact_points.all():
        if (point.kind, point.normalized) in existing:
            drop.append(point.pk)
        elif point.is_primary and point.kind in primary_kinds:
            clear_flag.append(point.pk)
        else:
            keep_flag.append(point.pk)
    ContactPoint.objects.filter(pk__in=drop).delete()
    ContactPoint.objects.filter(pk__in=clear_flag).update(party=survivor, is_primary=False)
    ContactPoint.objects.filter(pk__in=keep_flag).update(party=survivor)
    return len(clear_flag) + len(keep_flag)


def _address_key(address: Address) -> tuple:
    return (
        address.kind,
        address.line1.casefold(),
        address.line2.casefold(),
        address.postal_code,
        address.city.casefold(),
        address.country,
    )


def _merge_addresses(survivor: Party, duplicate: Party) -> int:
    existing = {_address_key(a) for a in survivor.addresses.all()}
    drop: list[int] = []
    move: list[int] = []
    for address in duplicate.addresses.all():
        (drop if _address_key(address) in existing else move).append(address.pk)
    Address.objects.filter(pk__in=drop).delete()
    return Address.objects.filter(pk__in=move).update(party=survivor)


def _merge_relations(survivor: Party, duplicate: Party) -> int:
    moved = 0
    # The duplicate as a person: its organisations.
    known = set(Relation.objects.filter(person=survivor).values_list("organization_id", flat=True))
    rows = list(Relation.objects.filter(person=duplicate))
    Relation.objects.filter(pk__in=[r.pk for r in rows if r.organization_id in known]).delete()
    moved += Relation.objects.filter(
        pk__in=[r.pk for r in rows if r.organization_id not in known]
    ).update(person=survivor)
    # The duplicate as an organisation: its contact persons.
    known = set(Relation.objects.filter(organization=survivor).values_list("person_id", flat=True))
    has_primary = Relation.objects.filter(organization=survivor, is_primary=True).exists()
    rows = list(Relation.objects.filter(organization=duplicate))
    Relation.objects.filter(pk__in=[r.pk for r in rows if r.person_id in known]).delete()
    movable = [r for r in rows if r.person_id not in known]
    if has_primary:
        Relation.objects.filter(pk__in=[r.pk for r in movable]).update(is_primary=False)
    moved += Relation.objects.filter(pk__in=[r.pk for r in movable]).update(organization=survivor)
    return moved
