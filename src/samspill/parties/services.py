"""Commands of the parties domain: the only code that writes its tables.

Each command is one transaction, checks the actor's permission (when an actor is given),
validates before it writes, records the change in the audit trail and publishes its
event(s). Bad input raises ValidationFailed with field-keyed errors and writes nothing.

Other domains plug in through three hook registries, so this upstream domain never
imports them:
- `register_merge_handler(fn)`: fn(survivor, duplicate, actor) moves their rows that
  refer to the duplicate onto the survivor, inside the merge transaction;
- `register_erasure_handler(fn)`: fn(party, actor) anonymises their copies of a person's
  data inside the erase transaction (it may raise a DomainError to refuse the erasure);
- `register_personal_data_provider(key, fn)`: fn(party) -> JSON-able data for the GDPR
  export.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.parties import events
from samspill.parties.models import (
    ERASED_NAME,
    ORGNR_TAKEN,
    Address,
    Consent,
    ContactPoint,
    Party,
    Relation,
    Tag,
    clean_orgnr,
)
from samspill.parties.queries import current_consents, find_duplicates
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require
from samspill.platform.timeline import timeline

__all__ = [
    "DuplicateParty",
    "add_address",
    "add_contact_point",
    "create_organization",
    "create_person",
    "create_tag",
    "erase_person",
    "export_personal_data",
    "find_duplicates",
    "link_contact",
    "merge_parties",
    "record_consent",
    "register_erasure_handler",
    "register_merge_handler",
    "register_personal_data_provider",
    "remove_address",
    "remove_contact_point",
    "set_roles",
    "set_tags",
    "unlink_contact",
    "update_address",
    "update_contact_point",
    "update_party",
    "update_relation",
]

PARTY_FIELDS = ("name", "first_name", "last_name", "orgnr", "website", "language", "notes")
ROLE_NAMES = tuple(Party.ROLE_FIELDS)


class DuplicateParty(Conflict):
    """The party to create looks like one that exists. `candidates` lists them."""

    code = "duplicate_party"
    title = gettext_lazy("This party may already exist")

    def __init__(self, candidates: Iterable[Party], message=None):
        self.candidates = list(candidates)
        super().__init__(
            message
            or _(
                "A party with the same organization number, email, phone or name already "
                "exists. Check the candidates, or create it anyway."
            )
        )

    @property
    def extra(self) -> dict[str, Any]:
        return {
            "candidates": [
                {
                    "id": party.pk,
                    "kind": party.kind,
                    "name": party.display_name,
                    "orgnr": party.orgnr,
                    "url": reverse("parties:detail", args=[party.pk]),
                }
                for party in self.candidates
            ]
        }


# --- Hook registries -------------------------------------------------------------------

MergeHandler = Callable[[Party, Party, Any], None]
ErasureHandler = Callable[[Party, Any], None]

_merge_handlers: list[tuple[str, MergeHandler]] = []
_erasure_handlers: list[tuple[str, ErasureHandler]] = []
_personal_data_providers: dict[str, Callable[[Party], Any]] = {}


def _app_label_of(fn) -> str:
    config = apps.get_containing_app_config(fn.__module__)
    if config is None:
        raise ValueError(f"{fn!r} is not defined inside an installed app")
    return config.label


def register_merge_handler(fn: MergeHandler, *, app_label: str | None = None) -> MergeHandler:
    """Register fn(survivor, duplicate, actor), run inside the merge transaction. A domain
    with a ForeignKey to Party registers one in its AppConfig.ready() (a meta-test checks
    it) and moves its rows there, e.g.
    `Order.objects.filter(customer=duplicate).update(customer=survivor)`."""
    label = app_label or _app_label_of(fn)
    if all(existing is not fn for _label, existing in _merge_handlers):
        _merge_handlers.append((label, fn))
    return fn


def merge_handler_apps() -> set[str]:
    """App labels that registered a merge handler."""
    return {label for label, _fn in _merge_handlers}


def register_erasure_handler(fn: ErasureHandler, *, app_label: str | None = None) -> ErasureHandler:
    label = app_label or _app_label_of(fn)
    if all(existing is not fn for _label, existing in _erasure_handlers):
        _erasure_handlers.append((label, fn))
    return fn


def register_personal_data_provider(key: str, fn: Callable[[Party], Any]) -> None:
    _personal_data_providers[key] = fn


# --- Helpers ---------------------------------------------------------------------------


def _check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def _messages(exc: ValidationError, default_field: str = "__all__") -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
    return {default_field: [str(m) for m in exc.messages]}


def _merge_errors(target: dict[str, list[str]], new: Mapping[str, list[str]], prefix: str = ""):
    """Add errors under their field names; nested rows use "contact_points.0.value"."""
    for field, msgs in new.items():
        key = field
        if prefix:
            key = prefix.rstrip(".") if field == "__all__" else prefix + field
        target.setdefault(key, []).extend(msgs)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def _full_clean(instance, errors, *, prefix="", exclude=None, constraints=True) -> None:
    try:
        instance.full_clean(exclude=exclude, validate_constraints=constraints)
    except ValidationError as exc:
        _merge_errors(errors, _messages(exc), prefix)


def _constraints(instance, errors, *, prefix="", exclude=None) -> None:
    try:
        instance.validate_constraints(exclude=exclude)
    except ValidationError as exc:
        found = _messages(exc)
        # The orgnr uniqueness is a table constraint; show it on the field.
        taken = str(ORGNR_TAKEN)
        if isinstance(instance, Party) and taken in found.get("__all__", []):
            found["__all__"].remove(taken)
            found.setdefault("orgnr", []).append(taken)
            if not found["__all__"]:
                del found["__all__"]
        _merge_errors(errors, found, prefix)


def _assign(party: Party, data: Mapping[str, Any], errors: dict[str, list[str]]) -> None:
    """Set party fields from input, normalising identifiers first."""
    for field, value in data.items():
        if field == "orgnr":
            try:
                value = clean_orgnr(value or "")
            except ValidationError as exc:
                errors.setdefault("orgnr", []).extend(exc.messages)
                value = ""
        elif field == "website":
            value = (value or "").strip()
            if value and "://" not in value:
                value = "https://" + value
        elif isinstance(value, str):
            value = value.strip()
        elif value is None and field in PARTY_FIELDS:
            value = ""
        setattr(party, field, value)


def _roles_to_fields(roles: Iterable[str], errors: dict[str, list[str]]) -> dict[str, bool]:
    roles = list(roles)
    unknown = sorted(set(roles) - set(ROLE_NAMES))
    if unknown:
        errors.setdefault("roles", []).append(
            _("Unknown role(s): %(roles)s. Choose from %(choices)s.")
            % {"roles": ", ".join(unknown), "choices": ", ".join(ROLE_NAMES)}
        )
    return {field: role in roles for role, field in Party.ROLE_FIELDS.items()}


def _resolve_tags(actor, tags: Iterable[Tag | str], errors: dict[str, list[str]]) -> list[Tag]:
    """Tags by object or by name; unknown names become new tags (needs add_tag)."""
    result: dict[str, Tag] = {}
    names = []
    for tag in tags:
        if isinstance(tag, Tag):
            result[tag.name.lower()] = tag
        else:
            name = str(tag).strip()
            if not name:
                continue
            if len(name) > 50:
                errors.setdefault("tags", []).append(
                    _("A tag name has at most 50 characters: “%(name)s”.") % {"name": name[:50]}
                )
                continue
            names.append(name)
    if names:
        existing = {t.name.lower(): t for t in Tag.objects.filter(name__in=names)}
        # name__in is case-sensitive on PostgreSQL; catch other spellings too.
        lookup = {n.lower() for n in names} - existing.keys()
        if lookup:
            for tag in Tag.objects.all().only("id", "name", "colour"):
                if tag.name.lower() in lookup:
                    existing[tag.name.lower()] = tag
        for name in names:
            key = name.lower()
            if key in existing:
                result[key] = existing[key]
            elif key not in result:
                result[key] = Tag(name=name)
    if any(t.pk is None for t in result.values()):
        _check(actor, "parties.add_tag")
    return list(result.values())


def _save_tags(party: Party, tags: list[Tag], actor) -> None:
    for tag in tags:
        if tag.pk is None:
            tag.save()
            audit.record("create", tag, actor=actor, changes={"name": [None, tag.name]})
    party.tags.set(tags)


def _tag_names(party: Party) -> list[str]:
    return sorted(party.tags.values_list("name", flat=True))


def _ensure_writable(party: Party) -> None:
    if party.merged_into_id:
        raise Conflict(
            _("This party was merged into another one and can no longer be changed."),
            code="party_merged",
        )
    if party.erased_at:
        raise Conflict(
            _("The personal data of this person was erased; the record can no longer be changed."),
            code="party_erased",
        )


def _lock(party: Party) -> Party:
    """Re-read the party, locking its row until the transaction ends (PostgreSQL)."""
    return Party.objects.select_for_update().get(pk=party.pk)


def _build_contact_points(items, errors, prefix="contact_points") -> list[ContactPoint]:
    points = []
    seen = set()
    for index, item in enumerate(items or ()):
        data = dict(item)
        point = ContactPoint(
            kind=data.get("kind", ""),
            value=data.get("value", "") or "",
            label=(data.get("label") or "").strip(),
        )
        point._wants_primary = data.get("is_primary")
        _full_clean(
            point, errors, prefix=f"{prefix}.{index}.", exclude=["party"], constraints=False
        )
        key = (point.kind, point.normalized)
        if point.normalized and key in seen:
            errors.setdefault(f"{prefix}.{index}.value", []).append(
                _("The same email or phone number is given twice.")
            )
        seen.add(key)
        points.append(point)
    return points


def _build_addresses(items, errors, prefix="addresses") -> list[Address]:
    result = []
    for index, item in enumerate(items or ()):
        data = {k: (v.strip() if isinstance(v, str) else v) for k, v in dict(item).items()}
        address = Address(
            kind=data.get("kind") or Address.Kind.POSTAL,
            line1=data.get("line1") or "",
            line2=data.get("line2") or "",
            postal_code=data.get("postal_code") or "",
            city=data.get("city") or "",
            country=(data.get("country") or "NO").upper(),
        )
        _full_clean(address, errors, prefix=f"{prefix}.{index}.", exclude=["party"])
        result.append(address)
    return result


def _on_value(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The "already has this email/phone" constraint is about the value field."""
    if "__all__" in errors:
        errors.setdefault("value", []).extend(errors.pop("__all__"))
    return errors


def _save_contact_point(point: ContactPoint, wants_primary: bool | None) -> None:
    """Save a new contact point; the first of its kind becomes primary unless told."""
    others = ContactPoint.objects.filter(party=point.party, kind=point.kind)
    if wants_primary is None:
        wants_primary = not others.filter(is_primary=True).exists()
    if wants_primary:
        others.filter(is_primary=True).update(is_primary=False)
    point.is_primary = bool(wants_primary)
    point.save()


def _describe_point(point: ContactPoint) -> str:
    return f"{point.get_kind_display()}: {point.value}"


def _party_snapshot(party: Party) -> dict[str, Any]:
    data = audit.snapshot(party, exclude=("created_at", "updated_at"))
    data["tags"] = _tag_names(party) if party.pk else []
    return data


# --- Create ----------------------------------------------------------------------------


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
    points = _build_contact_points(contact_points, errors)
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
    for point in points:
        point.party = party
        _save_contact_point(point, point._wants_primary)
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


# --- Update ----------------------------------------------------------------------------

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
    orgnr, website, language, notes, owner, is_active, roles (list of names) and tags.
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


def _child_changed(party: Party, actor, field: str, before, after) -> None:
    """Audit and publish a change to a row that belongs to the party."""
    audit.record("update", party, actor=actor, changes={field: [before, after]})
    Party.objects.filter(pk=party.pk).update(updated_at=timezone.now())
    publish(events.PartyUpdated(party_id=party.pk, fields=[field]), actor=actor)


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


def _save_relation(relation: Relation, actor) -> Relation:
    if relation.is_primary:
        Relation.objects.filter(organization=relation.organization, is_primary=True).exclude(
            pk=relation.pk
        ).update(is_primary=False)
    relation.save()
    description = f"{relation.person.name} – {relation.organization.name}"
    audit.record("create", relation, actor=actor, changes={"relation": [None, description]})
    publish(
        events.ContactLinked(
            relation_id=relation.pk,
            person_id=relation.person_id,
            organization_id=relation.organization_id,
        ),
        actor=actor,
    )
    return relation


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


# --- Merge -----------------------------------------------------------------------------

_FILLABLE = ("first_name", "last_name", "orgnr", "website", "notes", "owner_id")


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
    drop, move = [], []
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


# --- GDPR ------------------------------------------------------------------------------


def _plain_party(party: Party) -> dict[str, Any]:
    data = {"id": party.pk, **audit.snapshot(party)}
    data["tags"] = _tag_names(party)
    return data


@transaction.atomic
def export_personal_data(*, actor, party: Party) -> dict[str, Any]:
    """Everything held about a party, as JSON-able data (GDPR art. 15 and 20). The export
    itself is recorded in the audit trail."""
    _check(actor, "parties.export_party")
    party = Party.objects.select_related("owner").get(pk=party.pk)
    tombstones = list(Party.objects.filter(merged_into=party).order_by("id"))
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "party": _plain_party(party),
        "merged_parties": [_plain_party(p) for p in tombstones],
        "addresses": [
            {"id": a.pk, **audit.snapshot(a, exclude=("party",))} for a in party.addresses.all()
        ],
        "contact_points": [
            {"id": c.pk, **audit.snapshot(c, exclude=("party",))}
            for c in party.contact_points.all()
        ],
        "relations": [
            {
                "id": r.pk,
                "person": r.person.name,
                "organization": r.organization.name,
                "title": r.title,
                "department": r.department,
                "is_primary": r.is_primary,
            }
            for r in Relation.objects.filter(_person_or_organization(party)).select_related(
                "person", "organization"
            )
        ],
        "consents": [
            {
                "channel": c.channel,
                "granted": c.granted,
                "source": c.source,
                "recorded_at": c.recorded_at.isoformat(),
            }
            for c in Consent.objects.filter(party=party).order_by("recorded_at", "id")
        ],
        "history": [
            {
                "at": entry.at.isoformat(),
                "who": entry.actor_repr,
                "channel": entry.channel,
                "action": entry.action,
                "changes": entry.changes,
            }
            for entry in audit.history(party)
        ],
        "timeline": [
            {
                "type": entry.event.type,
                "occurred_at": entry.event.occurred_at.isoformat(),
                "summary": entry.summary,
                "payload": entry.event.payload,
            }
            for entry in timeline("party", party.pk, limit=10_000)
        ],
    }
    for key, provider in sorted(_personal_data_providers.items()):
        data[key] = provider(party)
    audit.record(
        "export",
        party,
        actor=actor,
        changes={"exported": [None, sorted(k for k in data if k != "exported_at")]},
    )
    return data


def _person_or_organization(party: Party) -> Q:
    return Q(person=party) | Q(organization=party)


_ERASED_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "website",
    "notes",
    "tags",
    "contact points",
    "addresses",
    "contact persons",
)


def _anonymise(party: Party, now) -> None:
    party.name = ERASED_NAME
    party.first_name = party.last_name = party.website = party.notes = party.orgnr = ""
    party.is_active = False
    party.erased_at = now
    party.save()
    party.tags.clear()
    ContactPoint.objects.filter(party=party).delete()
    Address.objects.filter(party=party).delete()
    Relation.objects.filter(_person_or_organization(party)).delete()


@transaction.atomic
def erase_person(*, actor, party: Party) -> Party:
    """Anonymise a person (GDPR art. 17). The row stays, because accounting records that
    refer to it must be kept for 5 years (bokføringsloven § 13): the name becomes
    "Erased person"; contact points, addresses, notes, tags and contact relations are
    deleted. The consent history stays as proof of what was consented and when, no longer
    linked to anything identifying, and every consent still granted is withdrawn."""
    _check(actor, "parties.erase_party")
    party = _lock(party)
    if party.kind != Party.Kind.PERSON:
        raise Conflict(
            _(
                "Only a person's data can be erased. An organization is not personal data; "
                "deactivate it instead."
            ),
            code="not_a_person",
        )
    if party.erased_at:
        raise Conflict(
            _("The personal data of this person was erased already."), code="party_erased"
        )
    if party.merged_into_id:
        raise Conflict(
            _("This person was merged into another record: erase that one instead."),
            code="party_merged",
        )
    now = timezone.now()
    for _label, handler in _erasure_handlers:
        handler(party, actor)
    for tombstone in Party.objects.filter(merged_into=party):
        _anonymise(tombstone, now)
    withdrawals = [
        Consent(
            party=party,
            channel=channel,
            granted=False,
            source="erasure",
            recorded_at=now,
            recorded_by=actor if actor is not None and actor.is_authenticated else None,
        )
        for channel, row in current_consents(party).items()
        if row is not None and row.granted
    ]
    Consent.objects.bulk_create(withdrawals)
    _anonymise(party, now)
    audit.record(
        "erase",
        party,
        actor=actor,
        changes={"erased": [None, list(_ERASED_FIELDS)]},
        object_repr=ERASED_NAME,
    )
    publish(events.PartyErased(party_id=party.pk), actor=actor)
    return party
