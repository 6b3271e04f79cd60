"""/api/v1/parties: thin adapters over `services` and `queries`. Errors are DomainErrors,
turned into problem+json by the API root; every write is one service call (one
transaction), so a failed request writes nothing."""

from datetime import datetime
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from samspill.parties import queries, services
from samspill.parties.filters import PartyFilterSet
from samspill.parties.models import Party
from samspill.platform.errors import NotFound, ValidationFailed
from samspill.platform.permissions import require
from samspill.platform.timeline import timeline, timeline_domains

router = Router(tags=["parties"])

VIEW = "parties.view_party"
Role = Literal["prospect", "customer", "supplier", "partner"]
ContactKind = Literal["email", "phone"]
AddressKind = Literal["postal", "visiting", "delivery", "invoice"]
Channel = Literal["email", "sms", "phone", "post"]
Language = Literal["nb", "en"]


# --- Schemas -----------------------------------------------------------------------------


class ContactPointIn(Schema):
    kind: ContactKind
    value: str = Field(..., max_length=254)
    label: str = Field("", max_length=50)
    is_primary: bool | None = None


class ContactPointPatch(Schema):
    kind: ContactKind | None = None
    value: str | None = Field(None, max_length=254)
    label: str | None = Field(None, max_length=50)
    is_primary: bool | None = None


class ContactPointOut(Schema):
    id: int
    kind: str
    value: str
    normalized: str
    label: str
    is_primary: bool


class AddressIn(Schema):
    kind: AddressKind = "postal"
    line1: str = Field(..., max_length=200)
    line2: str = Field("", max_length=200)
    postal_code: str = Field("", max_length=20)
    city: str = Field("", max_length=100)
    country: str = Field("NO", max_length=2, description="ISO 3166-1 alpha-2")


class AddressPatch(Schema):
    kind: AddressKind | None = None
    line1: str | None = Field(None, max_length=200)
    line2: str | None = Field(None, max_length=200)
    postal_code: str | None = Field(None, max_length=20)
    city: str | None = Field(None, max_length=100)
    country: str | None = Field(None, max_length=2)


class AddressOut(Schema):
    id: int
    kind: str
    line1: str
    line2: str
    postal_code: str
    city: str
    country: str


class RelationIn(Schema):
    """Give the other side: `person_id` on an organisation, `organization_id` on a person."""

    person_id: int | None = None
    organization_id: int | None = None
    title: str = Field("", max_length=100)
    department: str = Field("", max_length=100)
    is_primary: bool = False


class RelationPatch(Schema):
    title: str | None = Field(None, max_length=100)
    department: str | None = Field(None, max_length=100)
    is_primary: bool | None = None


class RelationOut(Schema):
    id: int
    person_id: int
    person_name: str
    organization_id: int
    organization_name: str
    title: str
    department: str
    is_primary: bool

    @staticmethod
    def resolve_person_name(obj) -> str:
        return obj.person.display_name

    @staticmethod
    def resolve_organization_name(obj) -> str:
        return obj.organization.display_name


class ConsentIn(Schema):
    channel: Channel
    granted: bool
    source: str = Field(..., max_length=100, examples=["web form"])


class ConsentOut(Schema):
    id: int
    channel: str
    granted: bool
    source: str
    recorded_at: datetime
    recorded_by: str | None

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return obj.recorded_by.get_username() if obj.recorded_by_id else None


class PartyIn(Schema):
    kind: Literal["organization", "person"]
    name: str = Field("", max_length=200, description="Organisations only")
    first_name: str = Field("", max_length=100, description="Persons only")
    last_name: str = Field("", max_length=100, description="Persons only")
    orgnr: str = Field("", max_length=20, description="Norwegian organisation number")
    website: str = Field("", max_length=200)
    language: Language = "nb"
    notes: str = ""
    roles: list[Role] = []
    tags: list[str] = []
    owner_id: int | None = None
    organization_id: int | None = Field(None, description="Persons: link as contact there")
    title: str = Field("", max_length=100)
    department: str = Field("", max_length=100)
    is_primary_contact: bool = False
    contact_points: list[ContactPointIn] = []
    addresses: list[AddressIn] = []
    force: bool = Field(False, description="Create even when similar parties exist")


class PartyPatch(Schema):
    name: str | None = Field(None, max_length=200)
    first_name: str | None = Field(None, max_length=100)
    last_name: str | None = Field(None, max_length=100)
    orgnr: str | None = Field(None, max_length=20)
    website: str | None = Field(None, max_length=200)
    language: Language | None = None
    notes: str | None = None
    roles: list[Role] | None = None
    tags: list[str] | None = None
    owner_id: int | None = None
    is_active: bool | None = None


class PartyOut(Schema):
    id: int
    kind: str
    name: str
    first_name: str
    last_name: str
    orgnr: str
    website: str
    language: str
    notes: str
    roles: list[str]
    tags: list[str]
    owner_id: int | None
    is_active: bool
    merged_into_id: int | None
    erased_at: datetime | None
    created_at: datetime
    updated_at: datetime
    primary_email: str | None = None
    primary_phone: str | None = None
    city: str | None = None
    url: str

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.display_name

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        return [tag.name for tag in obj.tags.all()]

    @staticmethod
    def resolve_url(obj) -> str:
        return reverse("parties:detail", args=[obj.pk])

    @staticmethod
    def resolve_primary_email(obj) -> str | None:
        return _annotated_or_primary(obj, "primary_email", "email")

    @staticmethod
    def resolve_primary_phone(obj) -> str | None:
        return _annotated_or_primary(obj, "primary_phone", "phone")

    @staticmethod
    def resolve_city(obj) -> str | None:
        if "city" in obj.__dict__:
            return obj.city
        addresses = list(obj.addresses.all())
        return addresses[0].city if addresses else None


class PartyDetailOut(PartyOut):
    contact_points: list[ContactPointOut]
    addresses: list[AddressOut]
    relations: list[RelationOut]

    @staticmethod
    def resolve_contact_points(obj):
        return list(obj.contact_points.all())

    @staticmethod
    def resolve_addresses(obj):
        return list(obj.addresses.all())

    @staticmethod
    def resolve_relations(obj):
        if obj.is_organization:
            return list(obj.contact_relations.all())
        return list(obj.organization_relations.all())


class MergeIn(Schema):
    duplicate_id: int


class PartyFilters(Schema):
    q: str | None = Field(None, description="Name, organisation number, email or phone")
    kind: Literal["organization", "person"] | None = None
    role: Role | None = None
    tag: str | None = Field(None, description="Tag name")
    active: bool | None = None


class TimelineOut(Schema):
    id: str
    type: str
    domain: str
    occurred_at: datetime
    summary: str
    actor: str | None
    channel: str
    payload: dict[str, Any]


def _annotated_or_primary(obj, attribute: str, kind: str) -> str | None:
    if attribute in obj.__dict__:
        return obj.__dict__[attribute]
    points = [p for p in obj.contact_points.all() if p.kind == kind]
    points.sort(key=lambda p: (not p.is_primary, p.pk))
    return points[0].value if points else None


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


class Pages(PageNumberPagination):
    """Page-number pagination; page_size is capped by SAMSPILL["MAX_PAGE_SIZE"]."""

    def __init__(self, **kwargs):
        super().__init__(
            page_size=settings.SAMSPILL["PAGE_SIZE"],
            max_page_size=settings.SAMSPILL["MAX_PAGE_SIZE"],
            **kwargs,
        )


# --- Parties -----------------------------------------------------------------------------


@router.get("", response=list[PartyOut], summary="List parties")
@paginate(Pages)
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
    return _detail(request, party_id)


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
):
    require(request.user, VIEW)
    party = _party(request, party_id)
    if domain and domain not in timeline_domains():
        raise ValidationFailed(
            errors={
                "domain": [
                    _("Unknown domain. Choose one of: %(domains)s")
                    % {"domains": ", ".join(timeline_domains())}
                ]
            }
        )
    entries = timeline("party", party.pk, limit=limit, domains=[domain] if domain else None)
    return [
        {
            "id": str(entry.event.pk),
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
