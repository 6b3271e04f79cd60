"""Request and response schemas of /api/v1/parties."""

from datetime import datetime
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

Role = Literal["prospect", "customer", "supplier", "partner"]
ContactKind = Literal["email", "phone"]
AddressKind = Literal["postal", "visiting", "delivery", "invoice"]
Channel = Literal["email", "sms", "phone", "post"]
Language = Literal["nb", "en"]


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
    bank_account: str = Field(
        "", max_length=50, description="Norwegian account number (11 digits) or IBAN"
    )
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
    bank_account: str | None = Field(None, max_length=50)
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
    bank_account: str
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
        order = ("visiting", "postal", "invoice", "delivery")  # as in the list query
        addresses = sorted(obj.addresses.all(), key=lambda a: (order.index(a.kind), a.pk))
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
    cursor: str = Field(description="Pass as `before` to get the entries older than this one.")
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
