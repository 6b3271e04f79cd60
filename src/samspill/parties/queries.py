"""Read side of the parties domain: selectors used by views, the API, search and other
domains. Every function that takes a user narrows to what that user may see."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.query import ModelIterable
from django.utils.translation import gettext as _

from samspill.parties.models import (
    Address,
    Consent,
    ContactPoint,
    Party,
    PartyQuerySet,
    Relation,
    Tag,
    clean_orgnr,
    try_normalize,
)
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, restrict

_ADDRESS_PRIORITY = Case(
    When(kind=Address.Kind.VISITING, then=Value(0)),
    When(kind=Address.Kind.POSTAL, then=Value(1)),
    When(kind=Address.Kind.INVOICE, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def _primary_contact(kind: str) -> Subquery:
    return Subquery(
        ContactPoint.objects.filter(party=OuterRef("pk"), kind=kind)
        .order_by("-is_primary", "id")
        .values("value")[:1]
    )


def _main_city() -> Subquery:
    return Subquery(
        Address.objects.filter(party=OuterRef("pk"))
        .annotate(priority=_ADDRESS_PRIORITY)
        .order_by("priority", "id")
        .values("city")[:1]
    )


def visible_parties(user, action: str = VIEW):
    """Current parties (no merge tombstones) the user may act on; `user=None` means all."""
    return restrict(Party.objects.current(), user, action)


class ListQuerySet(PartyQuerySet):
    """A page further down (a slice with an offset) first selects the page's ids, then
    loads those rows with their annotations: the per-row subqueries run for the rows of
    the page, not for every row skipped by the offset (a "deferred join")."""

    def __getitem__(self, k):
        if (
            isinstance(k, slice)
            and (k.start or 0) > 0
            and self._result_cache is None
            and self._iterable_class is ModelIterable
        ):
            ids = list(self.values_list("pk", flat=True)[k])
            rows = {row.pk: row for row in self.order_by().filter(pk__in=ids)}
            return [rows[pk] for pk in ids if pk in rows]
        return super().__getitem__(k)


def with_list_columns(queryset):
    """Primary email, primary phone and main city as annotations, tags prefetched: a page
    of any size costs the same number of queries."""
    queryset = queryset.annotate(
        primary_email=_primary_contact(ContactPoint.Kind.EMAIL),
        primary_phone=_primary_contact(ContactPoint.Kind.PHONE),
        city=_main_city(),
    ).prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
    queryset.__class__ = ListQuerySet
    return queryset


def party_list(user):
    return with_list_columns(visible_parties(user))


def get_party(user, pk, *, include_merged: bool = False) -> Party:
    """One party the user may see, or NotFound. Merge tombstones only when asked."""
    queryset = restrict(Party.objects.all(), user, VIEW)
    if not include_merged:
        queryset = queryset.filter(merged_into__isnull=True)
    try:
        return queryset.select_related("owner", "merged_into").get(pk=pk)
    except (Party.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("There is no party with id %(id)s.") % {"id": pk}) from exc


def party_detail(user, pk) -> Party:
    """A party with everything the 360-degree view shows, in a fixed number of queries."""
    queryset = (
        restrict(Party.objects.current(), user, VIEW)
        .select_related("owner")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("addresses", queryset=Address.objects.order_by("kind", "id")),
            Prefetch(
                "contact_points",
                queryset=ContactPoint.objects.order_by("kind", "-is_primary", "id"),
            ),
            Prefetch(
                "contact_relations",
                queryset=Relation.objects.select_related("person").order_by(
                    "-is_primary", "person__name"
                ),
            ),
            Prefetch(
                "organization_relations",
                queryset=Relation.objects.select_related("organization").order_by(
                    "-is_primary", "organization__name"
                ),
            ),
            Prefetch("merged_parties", queryset=Party.objects.order_by("id")),
        )
    )
    try:
        return queryset.get(pk=pk)
    except (Party.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("There is no party with id %(id)s.") % {"id": pk}) from exc


def resolve_merged(party: Party) -> Party:
    """Follow merge tombstones to the party that holds the data now."""
    seen = set()
    while party.merged_into_id and party.pk not in seen:
        seen.add(party.pk)
        party = Party.objects.select_related("merged_into").get(pk=party.merged_into_id)
    return party


def contacts_of(organization: Party):
    """The contact persons of an organisation (Relation rows with the person loaded)."""
    return (
        Relation.objects.filter(organization=organization, person__merged_into__isnull=True)
        .select_related("person")
        .order_by("-is_primary", "person__name")
    )


def organizations_of(person: Party):
    return (
        Relation.objects.filter(person=person, organization__merged_into__isnull=True)
        .select_related("organization")
        .order_by("-is_primary", "organization__name")
    )


def consent_history(party: Party):
    return (
        Consent.objects.filter(party=party)
        .select_related("recorded_by")
        .order_by("-recorded_at", "-id")
    )


def current_consents(party: Party) -> dict[str, Consent | None]:
    """channel -> its latest consent row (None when never recorded). One query."""
    result: dict[str, Consent | None] = dict.fromkeys(Consent.Channel.values)
    for row in consent_history(party):
        if result[row.channel] is None:
            result[row.channel] = row
    return result


def has_consent(party: Party, channel: str) -> bool:
    row = (
        Consent.objects.filter(party=party, channel=channel).order_by("-recorded_at", "-id").first()
    )
    return bool(row and row.granted)


def find_duplicates(
    *,
    orgnr: str = "",
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    name: str = "",
    exclude: Party | int | None = None,
    limit: int = 10,
) -> list[Party]:
    """Current parties sharing an organisation number, an email, a phone number or (for
    organisations) the exact name with the given values. Invalid values are ignored."""
    condition = Q()
    if orgnr:
        with contextlib.suppress(ValidationError):  # an invalid number matches nothing
            condition |= Q(orgnr=clean_orgnr(orgnr))
    normalized = {try_normalize("email", e) for e in emails} | {
        try_normalize("phone", p) for p in phones
    }
    normalized.discard(None)
    if normalized:
        condition |= _matching_contacts(Q(normalized__in=sorted(normalized)))
    if name.strip():
        condition |= Q(kind=Party.Kind.ORGANIZATION, name__iexact=name.strip())
    if not condition:
        return []
    queryset = Party.objects.current().filter(condition, erased_at__isnull=True)
    if exclude is not None:
        queryset = queryset.exclude(pk=getattr(exclude, "pk", exclude))
    return list(with_list_columns(queryset).order_by("name", "id")[:limit])


def duplicates_of(party: Party, limit: int = 10) -> list[Party]:
    """Other current parties that look like the same one (same orgnr, email or phone)."""
    if party.is_merged or party.erased_at:
        return []
    points = list(party.contact_points.all())
    return find_duplicates(
        orgnr=party.orgnr,
        emails=[p.normalized for p in points if p.kind == ContactPoint.Kind.EMAIL],
        phones=[p.normalized for p in points if p.kind == ContactPoint.Kind.PHONE],
        name=party.name if party.is_organization else "",
        exclude=party,
        limit=limit,
    )


CONTACT_MATCH_LIMIT = 500


def _matching_contacts(contact: Q) -> Q:
    """Parties with a contact point matching `contact`. A short list of ids lets the
    database combine it with the name and orgnr indexes (a bitmap OR); a long one stays
    a semi-join. Costs one indexed query."""
    matches = ContactPoint.objects.filter(contact).values_list("party_id", flat=True)
    ids = list(matches.distinct()[: CONTACT_MATCH_LIMIT + 1])
    if len(ids) > CONTACT_MATCH_LIMIT:
        return Q(pk__in=matches)
    return Q(pk__in=ids) if ids else Q()


def search_condition(q: str) -> Q:
    """Name contains q, orgnr starts with q's digits, or an email / phone matches q
    (normalized). Used by the global search, the list filter and the API alike."""
    q = (q or "").strip()
    condition = Q(name__icontains=q)
    compact = re.sub(r"[\s.\-]", "", q)
    if compact.isdigit() and len(compact) >= 3:
        condition |= Q(orgnr__startswith=compact)
    contact = Q()
    if "@" in q:
        email = try_normalize("email", q)
        if email:
            contact = Q(kind=ContactPoint.Kind.EMAIL, normalized=email)
        else:
            contact = Q(kind=ContactPoint.Kind.EMAIL, normalized__startswith=q.lower())
    elif re.fullmatch(r"[\d\s+().\-]+", q):
        phone = try_normalize("phone", q)
        digits = re.sub(r"\D", "", q)
        if phone:
            contact = Q(kind=ContactPoint.Kind.PHONE, normalized=phone)
        elif len(digits) >= 4:
            contact = Q(kind=ContactPoint.Kind.PHONE, normalized__contains=digits.lstrip("0"))
    if contact:
        condition |= _matching_contacts(contact)
    return condition


def search(user, q: str, limit: int = 10, *, kind: str | None = None) -> list[Party]:
    """Parties matching q (see search_condition), name-prefix matches first."""
    q = (q or "").strip()
    if len(q) < 2:
        return []
    queryset = visible_parties(user).filter(search_condition(q))
    if kind:
        queryset = queryset.filter(kind=kind)
    queryset = with_list_columns(queryset).annotate(
        rank=Case(
            When(name__istartswith=q, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
    )
    return list(queryset.order_by("rank", "-is_active", "name", "id")[:limit])


def _child(model, user, pk, party_field="party", related=("party",)):
    parties = visible_parties(user)
    try:
        return model.objects.select_related(*related).get(pk=pk, **{f"{party_field}__in": parties})
    except (model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def get_address(user, pk) -> Address:
    return _child(Address, user, pk)


def get_contact_point(user, pk) -> ContactPoint:
    return _child(ContactPoint, user, pk)


def get_relation(user, pk) -> Relation:
    return _child(Relation, user, pk, "organization", ("person", "organization"))


def tags():
    return Tag.objects.order_by("name")


def key_figures(party: Party) -> dict[str, int]:
    """Counts shown in the header of the 360-degree view."""
    if party.is_organization:
        related = contacts_of(party).count()
    else:
        related = organizations_of(party).count()
    return {"related": related, "duplicates": len(duplicates_of(party))}
