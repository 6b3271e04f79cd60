"""/api/v1/parties: thin adapters over `services` and `queries`. Errors are DomainErrors,
turned into problem+json by the API root; every write is one service call (one
transaction), so a failed request writes nothing."""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from samspill.parties import queries, services
from samspill.parties.api.schemas import (
    AddressIn,
    AddressOut,
    AddressPatch,
    ConsentIn,
    ConsentOut,
    ContactPointIn,
    ContactPointOut,
    ContactPointPatch,
    MergeIn,
    PartyDetailOut,
    PartyFilters,
    PartyIn,
    PartyOut,
    PartyPatch,
    RelationIn,
    RelationOut,
    RelationPatch,
    TimelineOut,
)
from samspill.parties.filters import PartyFilterSet
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require
from samspill.platform.timeline import parse_cursor, timeline, timeline_domains

router = Router(tags=["parties"])

VIEW = "parties.view_party"
VIEW = "parties.view_party"


# --- Helpers -----------------------------------------------------------------------------


def _detail(request, pk) -> Party:
    return queries.party_detail(request.user, pk)


def _party(request, pk) -> Party:
    return queries.get_party(request.user, pk)


def _user(user_id: int | None):
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationFailed(errors={"owner_id": [_("There is no active user with this id.")]})
    return user


def _duplicate_problem(request, exc: services.DuplicateParty) -> JsonResponse:
    """409 problem+json that also lists the candidates (RFC 9457 extension member)."""
    body = {
        "type": "https://samspill.org/problems/" + exc.code,
        "title": str(exc.title),
        "status": exc.status,
        "detail": str(exc.message),
        "instance": request.get_full_path(),
        "code": exc.code,
        **exc.extra,
    }
    return JsonResponse(
        body,
        status=exc.status,
        content_type="application/problem+json",
        json_dumps_params={"ensure_ascii": False},
    )


# --- Parties -----------------------------------------------------------------------------


@router.get("", response=list[PartyOut], summary="List parties")
@paginate
def list_parties(request, filters: Query[PartyFilters]):
    require(request.user, VIEW)
    data = {k: v for k, v in filters.dict().items() if v is not None}
    if "active" in data:
        data["active"] = "true" if data["active"] else "false"
    filterset = PartyFilterSet(data, queryset=queries.party_list(request.user))
    if not filterset.is_valid():
        raise ValidationFailed(errors={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.order_by("name", "id")


@router.post("", response={201: PartyDetailOut}, summary="Create an organisation or a person")
def create_party(request, payload: PartyIn):
    common = {
        "actor": request.user,
        "website": payload.website,
        "bank_account": payload.bank_account,
        "language": payload.language,
        "notes": payload.notes,
        "roles": payload.roles,
        "tags": payload.tags,
        "owner": _user(payload.owner_id),
        "contact_points": [p.dict() for p in payload.contact_points],
        "addresses": [a.dict() for a in payload.addresses],
        "force": payload.force,
    }
    try:
        if payload.kind == Party.Kind.ORGANIZATION:
            party = services.create_organization(name=payload.name, orgnr=payload.orgnr, **common)
        else:
            organization = None
            if payload.organization_id is not None:
                try:
                    organization = _party(request, payload.organization_id)
                except NotFound as exc:
                    raise ValidationFailed(
                        errors={"organization_id": [_("There is no organization with this id.")]}
                    ) from exc
            if payload.orgnr:
                raise ValidationFailed(
                    errors={"orgnr": [_("Only organizations have an organization number.")]}
                )
            party = services.create_person(
                first_name=payload.first_name,
                last_name=payload.last_name,
                organization=organization,
                title=payload.title,
                department=payload.department,
                is_primary_contact=payload.is_primary_contact,
                **common,
            )
    except services.DuplicateParty as exc:
        return _duplicate_problem(request, exc)
    return Status(201, _detail(request, party.pk))


@router.get("/search", response=list[PartyOut], summary="Search parties")
def search_parties(request, q: str, limit: int = Query(10, ge=1, le=50)):
    require(request.user, VIEW)
    return queries.search(request.user, q, limit)


@router.get("/{int:party_id}", response=PartyDetailOut, summary="Get a party")
def get_party(request, party_id: int):
    require(request.user, VIEW)
    party = _detail(request, party_id)
    audit.record_read(party, actor=request.user)
    return party


@router.patch("/{int:party_id}", response=PartyDetailOut, summary="Change a party")
def patch_party(request, party_id: int, payload: PartyPatch):
    require(request.user, VIEW)
    party = _party(request, party_id)
    changes = payload.dict(exclude_unset=True)
    if "owner_id" in changes:
        changes["owner"] = _user(changes.pop("owner_id"))
    services.update_party(actor=request.user, party=party, **changes)
    return _detail(request, party_id)


@router.post(
    "/{int:party_id}/merge", response=PartyDetailOut, summary="Merge a duplicate into this party"
)
def merge_party(request, party_id: int, payload: MergeIn):
    require(request.user, VIEW)
    survivor = _party(request, party_id)
    try:
        duplicate = _party(request, payload.duplicate_id)
    except NotFound as exc:
        raise ValidationFailed(
            errors={"duplicate_id": [_("There is no party with this id.")]}
        ) from exc
    survivor = services.merge_parties(actor=request.user, survivor=survivor, duplicate=duplicate)
    return _detail(request, survivor.pk)


@router.get("/{int:party_id}/timeline", response=list[TimelineOut], summary="Events about a party")
def party_timeline(
    request,
    party_id: int,
    domain: str | None = None,
    limit: int = Query(50, ge=1, le=200),
    before: str | None = Query(
        None,
        description="The `cursor` of the last entry of the previous page: the entries older "
        "than it (keyset pagination, stable while new events arrive).",
    ),
):
    require(request.user, VIEW)
    party = _party(request, party_id)
    if before:
        try:
            parse_cursor(before)
        except ValueError:
            raise ValidationFailed(
                errors={"before": [_("Not a timeline cursor. Use the cursor of an entry.")]}
            ) from None
    if domain and domain not in timeline_domains():
        raise ValidationFailed(
            errors={
                "domain": [
                    _("Unknown domain. Choose one of: %(domains)s")
                    % {"domains": ", ".join(timeline_domains())}
                ]
            }
        )
    # The same timeline as the party page: with the events of the parties merged into it.
    merged = list(party.merged_parties.values_list("pk", flat=True))
    entries = timeline(
        "party",
        party.pk,
        limit=limit,
        domains=[domain] if domain else None,
        before=before,
        also=merged,
    )
    return [
        {
            "id": str(entry.event.pk),
            "cursor": entry.cursor,
            "type": entry.event.type,
            "domain": entry.domain,
            "occurred_at": entry.event.occurred_at,
            "summary": entry.summary,
            "actor": entry.event.actor.get_username() if entry.event.actor else None,
            "channel": entry.event.channel,
            "payload": entry.event.payload,
        }
        for entry in entries
    ]


@router.get("/{int:party_id}/personal-data", response=dict[str, Any], summary="GDPR export")
def personal_data(request, party_id: int):
    require(request.user, VIEW)
    party = _party(request, party_id)
    return services.export_personal_data(actor=request.user, party=party)


@router.post("/{int:party_id}/erase", response=PartyDetailOut, summary="GDPR erasure of a person")
def erase(request, party_id: int):
    require(request.user, VIEW)
    party = _party(request, party_id)
    services.erase_person(actor=request.user, party=party)
    return _detail(request, party_id)


# --- Addresses ---------------------------------------------------------------------------


def _address(request, party_id: int, address_id: int):
    address = queries.get_address(request.user, address_id)
    if address.party_id != party_id:
        raise NotFound()
    return address


@router.get("/{int:party_id}/addresses", response=list[AddressOut], summary="Addresses")
def list_addresses(request, party_id: int):
    require(request.user, VIEW)
    return list(_detail(request, party_id).addresses.all())


@router.post("/{int:party_id}/addresses", response={201: AddressOut}, summary="Add an address")
def add_address(request, party_id: int, payload: AddressIn):
    require(request.user, VIEW)
    party = _party(request, party_id)
    return Status(201, services.add_address(actor=request.user, party=party, **payload.dict()))


@router.patch(
    "/{int:party_id}/addresses/{int:address_id}", response=AddressOut, summary="Change an address"
)
def patch_address(request, party_id: int, address_id: int, payload: AddressPatch):
    require(request.user, VIEW)
    address = _address(request, party_id, address_id)
    return services.update_address(
        actor=request.user, address=address, **payload.dict(exclude_unset=True)
    )


@router.delete(
    "/{int:party_id}/addresses/{int:address_id}", response={204: None}, summary="Remove an address"
)
def delete_address(request, party_id: int, address_id: int):
    require(request.user, VIEW)
    services.remove_address(actor=request.user, address=_address(request, party_id, address_id))
    return Status(204, None)


# --- Contact points ----------------------------------------------------------------------


def _point(request, party_id: int, point_id: int):
    point = queries.get_contact_point(request.user, point_id)
    if point.party_id != party_id:
        raise NotFound()
    return point


@router.get(
    "/{int:party_id}/contact-points", response=list[ContactPointOut], summary="Emails and phones"
)
def list_contact_points(request, party_id: int):
    require(request.user, VIEW)
    return list(_detail(request, party_id).contact_points.all())


@router.post(
    "/{int:party_id}/contact-points",
    response={201: ContactPointOut},
    summary="Add an email or phone",
)
def add_contact_point(request, party_id: int, payload: ContactPointIn):
    require(request.user, VIEW)
    party = _party(request, party_id)
    return Status(
        201, services.add_contact_point(actor=request.user, party=party, **payload.dict())
    )


@router.patch(
    "/{int:party_id}/contact-points/{int:point_id}",
    response=ContactPointOut,
    summary="Change an email or phone",
)
def patch_contact_point(request, party_id: int, point_id: int, payload: ContactPointPatch):
    require(request.user, VIEW)
    point = _point(request, party_id, point_id)
    return services.update_contact_point(
        actor=request.user, point=point, **payload.dict(exclude_unset=True)
    )


@router.delete(
    "/{int:party_id}/contact-points/{int:point_id}",
    response={204: None},
    summary="Remove an email or phone",
)
def delete_contact_point(request, party_id: int, point_id: int):
    require(request.user, VIEW)
    services.remove_contact_point(actor=request.user, point=_point(request, party_id, point_id))
    return Status(204, None)


# --- Relations (contact persons) ---------------------------------------------------------


def _relation(request, party_id: int, relation_id: int):
    relation = queries.get_relation(request.user, relation_id)
    if party_id not in (relation.person_id, relation.organization_id):
        raise NotFound()
    return relation


@router.get(
    "/{int:party_id}/relations",
    response=list[RelationOut],
    summary="Contact persons / organisations",
)
def list_relations(request, party_id: int):
    require(request.user, VIEW)
    return PartyDetailOut.resolve_relations(_detail(request, party_id))


@router.post(
    "/{int:party_id}/relations", response={201: RelationOut}, summary="Link a contact person"
)
def add_relation(request, party_id: int, payload: RelationIn):
    require(request.user, VIEW)
    party = _party(request, party_id)
    other_field = "person_id" if party.is_organization else "organization_id"
    other_id = getattr(payload, other_field)
    if other_id is None:
        raise ValidationFailed(errors={other_field: [_("This field is required.")]})
    try:
        other = _party(request, other_id)
    except NotFound as exc:
        raise ValidationFailed(
            errors={other_field: [_("There is no party with this id.")]}
        ) from exc
    person, organization = (other, party) if party.is_organization else (party, other)
    relation = services.link_contact(
        actor=request.user,
        person=person,
        organization=organization,
        title=payload.title,
        department=payload.department,
        is_primary=payload.is_primary,
    )
    return Status(201, relation)


@router.patch(
    "/{int:party_id}/relations/{int:relation_id}",
    response=RelationOut,
    summary="Change a contact person link",
)
def patch_relation(request, party_id: int, relation_id: int, payload: RelationPatch):
    require(request.user, VIEW)
    relation = _relation(request, party_id, relation_id)
    return services.update_relation(
        actor=request.user, relation=relation, **payload.dict(exclude_unset=True)
    )


@router.delete(
    "/{int:party_id}/relations/{int:relation_id}",
    response={204: None},
    summary="Unlink a contact person",
)
def delete_relation(request, party_id: int, relation_id: int):
    require(request.user, VIEW)
    services.unlink_contact(actor=request.user, relation=_relation(request, party_id, relation_id))
    return Status(204, None)


# --- Consents ----------------------------------------------------------------------------


@router.get(
    "/{int:party_id}/consents", response=list[ConsentOut], summary="Consent history, newest first"
)
def list_consents(request, party_id: int):
    require(request.user, VIEW)
    return list(queries.consent_history(_party(request, party_id)))


@router.post(
    "/{int:party_id}/consents", response={201: ConsentOut}, summary="Record a consent or withdrawal"
)
def add_consent(request, party_id: int, payload: ConsentIn):
    require(request.user, VIEW)
    party = _party(request, party_id)
    return Status(201, services.record_consent(actor=request.user, party=party, **payload.dict()))
