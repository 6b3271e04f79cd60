"""Create and change parties: organisations and persons, their roles and tags."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from samspill.parties import events
from samspill.parties.models import (
    ContactPoint,
    Party,
    Relation,
    Tag,
)
from samspill.parties.queries import find_duplicates
from samspill.parties.services.common import (
    PARTY_FIELDS,
    DuplicateParty,
    _assign,
    _build_addresses,
    _build_contact_points,
    _check,
    _constraints,
    _describe_point,
    _ensure_writable,
    _full_clean,
    _lock,
    _party_snapshot,
    _raise_if,
    _resolve_tags,
    _roles_to_fields,
    _save_contact_point,
    _save_relation,
    _save_tags,
)
from samspill.platform import audit
from samspill.platform.events import publish


def _create(
    *,
    actor,
    kind: str,
    fields: dict[str, Any],
    roles: Iterable[str],
    tags: Iterable[Tag | str],
    owner,
    contact_points,
    addresses,
    force: bool,
    organization: Party | None = None,
    relation: dict[str, Any] | None = None,
) -> Party:
    _check(actor, "parties.add_party")
    errors: dict[str, list[str]] = {}
    party = Party(kind=kind, owner=owner)
    _assign(party, fields, errors)
    for field, value in _roles_to_fields(roles, errors).items():
        setattr(party, field, value)
    tag_objects = _resolve_tags(actor, tags, errors)
    _full_clean(party, errors, exclude=["orgnr"] if "orgnr" in errors else None, constraints=False)
    wanted = _build_contact_points(contact_points, errors)
    points = [point for point, _primary in wanted]
    address_rows = _build_addresses(addresses, errors)
    if organization is not None and (
        organization.kind != Party.Kind.ORGANIZATION or organization.merged_into_id
    ):
        errors.setdefault("organization", []).append(_("Choose an organization."))
    link = None
    if organization is not None and "organization" not in errors:
        link = Relation(organization=organization, **(relation or {}))
        _full_clean(link, errors, exclude=["person", "organization"], constraints=False)
    _raise_if(errors)

    if not force:
        candidates = find_duplicates(
            orgnr=party.orgnr,
            emails=[p.normalized for p in points if p.kind == ContactPoint.Kind.EMAIL],
            phones=[p.normalized for p in points if p.kind == ContactPoint.Kind.PHONE],
            name=party.name if kind == Party.Kind.ORGANIZATION else "",
        )
        if candidates:
            raise DuplicateParty(candidates)
    _constraints(party, errors)
    _raise_if(errors)

    party.save()
    _save_tags(party, tag_objects, actor)
    for point, primary in wanted:
        point.party = party
        _save_contact_point(point, primary)
    for address in address_rows:
        address.party = party
        address.save()
    changes = audit.diff({}, _party_snapshot(party))
    if points:
        changes["contact points"] = [None, [_describe_point(p) for p in points]]
    if address_rows:
        changes["addresses"] = [None, [str(a) for a in address_rows]]
    audit.record("create", party, actor=actor, changes=changes)
    publish(
        events.PartyCreated(
            party_id=party.pk,
            kind=party.kind,
            name=party.name if party.is_organization else "",
            roles=party.roles,
        ),
        actor=actor,
    )
    if link is not None:
        link.person = party
        _save_relation(link, actor)
    return party


@transaction.atomic
def create_organization(
    *,
    actor,
    name: str,
    orgnr: str = "",
    bank_account: str = "",
    website: str = "",
    language: str = Party.Language.NB,
    notes: str = "",
    roles: Iterable[str] = (),
    tags: Iterable[Tag | str] = (),
    owner=None,
    contact_points: Iterable[Mapping[str, Any]] = (),
    addresses: Iterable[Mapping[str, Any]] = (),
    force: bool = False,
) -> Party:
    """Create an organisation with its contact points and addresses. Raises DuplicateParty
    when one with the same orgnr, email, phone or name exists, unless force=True."""
    return _create(
        actor=actor,
        kind=Party.Kind.ORGANIZATION,
        fields={
            "name": name,
            "orgnr": orgnr,
            "bank_account": bank_account,
            "website": website,
            "language": language,
            "notes": notes,
        },
        roles=roles,
        tags=tags,
        owner=owner,
        contact_points=contact_points,
        addresses=addresses,
        force=force,
    )


@transaction.atomic
def create_person(
    *,
    actor,
    first_name: str,
    last_name: str = "",
    bank_account: str = "",
    website: str = "",
    language: str = Party.Language.NB,
    notes: str = "",
    roles: Iterable[str] = (),
    tags: Iterable[Tag | str] = (),
    owner=None,
    contact_points: Iterable[Mapping[str, Any]] = (),
    addresses: Iterable[Mapping[str, Any]] = (),
    organization: Party | None = None,
    title: str = "",
    department: str = "",
    is_primary_contact: bool = False,
    force: bool = False,
) -> Party:
    """Create a person; with `organization`, also link them as a contact there (one step,
    events parties.party.created and parties.contact.linked)."""
    return _create(
        actor=actor,
        kind=Party.Kind.PERSON,
        fields={
            "first_name": first_name,
            "last_name": last_name,
            "bank_account": bank_account,
            "website": website,
            "language": language,
            "notes": notes,
        },
        roles=roles,
        tags=tags,
        owner=owner,
        contact_points=contact_points,
        addresses=addresses,
        force=force,
        organization=organization,
        relation={
            "title": (title or "").strip(),
            "department": (department or "").strip(),
            "is_primary": bool(is_primary_contact),
        },
    )


@transaction.atomic
def create_tag(*, actor, name: str, colour: str = "#6c757d") -> Tag:
    _check(actor, "parties.add_tag")
    errors: dict[str, list[str]] = {}
    tag = Tag(name=(name or "").strip(), colour=(colour or "").strip())
    _full_clean(tag, errors)
    _raise_if(errors)
    tag.save()
    audit.record("create", tag, actor=actor, changes=audit.diff({}, audit.snapshot(tag)))
    return tag


_UPDATABLE = {*PARTY_FIELDS, "owner", "is_active", *Party.ROLE_FIELDS.values()}


def _update(party: Party, *, actor, changes: Mapping[str, Any]) -> Party:
    unknown = set(changes) - _UPDATABLE - {"roles", "tags"}
    if unknown:
        raise TypeError(f"update_party() got unknown fields: {sorted(unknown)}")
    _check(actor, "parties.change_party")
    party = _lock(party)
    _ensure_writable(party)
    before = _party_snapshot(party)
    errors: dict[str, list[str]] = {}
    fields = {k: v for k, v in changes.items() if k not in ("roles", "tags")}
    if party.is_organization:
        for field in ("first_name", "last_name"):
            if fields.get(field):
                errors.setdefault(field, []).append(_("Organizations have no first or last name."))
    elif "name" in fields and "first_name" not in fields and "last_name" not in fields:
        errors.setdefault("name", []).append(
            _("A person's name is made of the first and the last name.")
        )
    if party.is_person and fields.get("orgnr"):
        errors.setdefault("orgnr", []).append(_("Only organizations have an organization number."))
    fields = {k: v for k, v in fields.items() if k not in errors}
    _assign(party, fields, errors)
    if "roles" in changes:
        for field, value in _roles_to_fields(changes["roles"], errors).items():
            setattr(party, field, value)
    tag_objects = _resolve_tags(actor, changes["tags"], errors) if "tags" in changes else None
    exclude = [f for f in ("orgnr",) if f in errors]
    _full_clean(party, errors, exclude=exclude or None, constraints=False)
    if not errors:
        _constraints(party, errors)
    _raise_if(errors)

    after = audit.snapshot(party, exclude=("created_at", "updated_at"))
    after["tags"] = (
        sorted(t.name for t in tag_objects) if tag_objects is not None else before["tags"]
    )
    changed = audit.diff(before, after)
    if not changed:
        return party
    party.save()
    if tag_objects is not None and "tags" in changed:
        _save_tags(party, tag_objects, actor)
    audit.record("update", party, actor=actor, changes=changed)
    publish(events.PartyUpdated(party_id=party.pk, fields=sorted(changed)), actor=actor)
    return party


@transaction.atomic
def update_party(*, actor, party: Party, **changes) -> Party:
    """Change fields of a party: name (organisations), first_name/last_name (persons),
    orgnr, bank_account, website, language, notes, owner, is_active, roles (list of names)
    and tags.
    Publishes parties.party.updated listing the changed fields (nothing when nothing
    changed)."""
    return _update(party, actor=actor, changes=changes)


@transaction.atomic
def set_roles(*, actor, party: Party, roles: Iterable[str]) -> Party:
    """Roles are any of prospect, customer, supplier, partner."""
    return _update(party, actor=actor, changes={"roles": list(roles)})


@transaction.atomic
def set_tags(*, actor, party: Party, tags: Iterable[Tag | str]) -> Party:
    return _update(party, actor=actor, changes={"tags": list(tags)})
