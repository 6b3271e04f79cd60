"""Validation and bookkeeping shared by the parties commands."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.parties import events
from samspill.parties.models import (
    ORGNR_TAKEN,
    Address,
    ContactPoint,
    Party,
    Relation,
    Tag,
    clean_bank_account,
    clean_orgnr,
)
from samspill.platform import audit
from samspill.platform.errors import Conflict, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.permissions import require

PARTY_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "orgnr",
    "bank_account",
    "website",
    "language",
    "notes",
)
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
        elif field == "bank_account":
            try:
                value = clean_bank_account(value or "")
            except ValidationError as exc:
                errors.setdefault("bank_account", []).extend(exc.messages)
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


def _build_contact_points(
    items, errors, prefix="contact_points"
) -> list[tuple[ContactPoint, bool | None]]:
    """Validated (unsaved) contact points with the primary flag asked for."""
    points = []
    seen = set()
    for index, item in enumerate(items or ()):
        data = dict(item)
        point = ContactPoint(
            kind=data.get("kind", ""),
            value=data.get("value", "") or "",
            label=(data.get("label") or "").strip(),
        )
        _full_clean(
            point, errors, prefix=f"{prefix}.{index}.", exclude=["party"], constraints=False
        )
        key = (point.kind, point.normalized)
        if point.normalized and key in seen:
            errors.setdefault(f"{prefix}.{index}.value", []).append(
                _("The same email or phone number is given twice.")
            )
        seen.add(key)
        points.append((point, data.get("is_primary")))
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


def _child_changed(party: Party, actor, field: str, before, after) -> None:
    """Audit and publish a change to a row that belongs to the party."""
    audit.record("update", party, actor=actor, changes={field: [before, after]})
    Party.objects.filter(pk=party.pk).update(updated_at=timezone.now())
    publish(events.PartyUpdated(party_id=party.pk, fields=[field]), actor=actor)


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
