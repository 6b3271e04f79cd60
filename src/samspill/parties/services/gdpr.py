"""GDPR: export everything held about a party; erase a person's data."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.parties import events
from samspill.parties.models import (
    ERASED_NAME,
    Address,
    Consent,
    ContactPoint,
    Party,
    Relation,
)
from samspill.parties.queries import current_consents
from samspill.parties.services.common import (
    _check,
    _lock,
    _tag_names,
)
from samspill.parties.services.hooks import _erasure_handlers, _personal_data_providers
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish
from samspill.platform.timeline import timeline


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
    "bank_account",
    "notes",
    "tags",
    "contact points",
    "addresses",
    "contact persons",
)


def _anonymise(party: Party, now) -> None:
    party.name = ERASED_NAME
    party.first_name = party.last_name = party.website = party.notes = party.orgnr = ""
    party.bank_account = ""
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
