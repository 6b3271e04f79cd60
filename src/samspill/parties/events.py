"""Events the parties domain publishes. Subjects are of kind "party".

Payloads carry ids, kinds and field names, never a person's name or contact details: the
event log outlives a GDPR erasure, so it must not hold personal data. Organisation names
are not personal data and are included to make timelines readable."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


def _field_label(name: str) -> str:
    """The translated name of a changed field, as people call it."""
    from samspill.parties.models import Party

    labels = {
        "addresses": _("addresses"),
        "contact points": _("contact points"),
        "contact persons": _("contact persons"),
        "tags": _("tags"),
    }
    if name in labels:
        return str(labels[name])
    try:
        return str(getattr(Party._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:  # a field of an older schema is shown as stored
        return name


@dataclass(frozen=True, kw_only=True)
class PartyCreated(Event):
    type: ClassVar[str] = "parties.party.created"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A party was created")
    subject_fields: ClassVar[dict[str, str]] = {"party_id": "party"}

    party_id: int
    kind: str
    name: str = ""  # organisations only
    roles: list[str] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        if payload.get("name"):
            return gettext("Organization “%(name)s” was created") % {"name": payload["name"]}
        if payload.get("kind") == "organization":
            return gettext("The organization was created")
        return gettext("The person was created")


@dataclass(frozen=True, kw_only=True)
class PartyUpdated(Event):
    type: ClassVar[str] = "parties.party.updated"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A party was changed")
    subject_fields: ClassVar[dict[str, str]] = {"party_id": "party"}

    party_id: int
    fields: list[str]

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        fields = ", ".join(_field_label(name) for name in payload["fields"])
        return gettext("Changed: %(fields)s") % {"fields": fields}


@dataclass(frozen=True, kw_only=True)
class PartyMerged(Event):
    type: ClassVar[str] = "parties.party.merged"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("Two parties were merged")
    subject_fields: ClassVar[dict[str, str]] = {"survivor_id": "party", "duplicate_id": "party"}

    survivor_id: int
    duplicate_id: int

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext("Party #%(duplicate)s was merged into party #%(survivor)s") % {
            "duplicate": payload["duplicate_id"],
            "survivor": payload["survivor_id"],
        }


@dataclass(frozen=True, kw_only=True)
class PartyErased(Event):
    type: ClassVar[str] = "parties.party.erased"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("The personal data of a person was erased")
    subject_fields: ClassVar[dict[str, str]] = {"party_id": "party"}

    party_id: int


@dataclass(frozen=True, kw_only=True)
class ConsentRecorded(Event):
    type: ClassVar[str] = "parties.consent.recorded"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A consent was recorded")
    subject_fields: ClassVar[dict[str, str]] = {"party_id": "party"}

    party_id: int
    consent_id: int
    channel: str
    granted: bool
    source: str

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        from samspill.parties.models import Consent

        channel = dict(Consent.Channel.choices).get(payload["channel"], payload["channel"])
        if payload["granted"]:
            text = gettext("Consent to contact by %(channel)s was granted (%(source)s)")
        else:
            text = gettext("Consent to contact by %(channel)s was withdrawn (%(source)s)")
        return text % {"channel": str(channel).lower(), "source": payload["source"]}


@dataclass(frozen=True, kw_only=True)
class ContactLinked(Event):
    type: ClassVar[str] = "parties.contact.linked"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A person was linked as contact at an organization")
    subject_fields: ClassVar[dict[str, str]] = {"person_id": "party", "organization_id": "party"}

    relation_id: int
    person_id: int
    organization_id: int


@dataclass(frozen=True, kw_only=True)
class ContactUnlinked(Event):
    type: ClassVar[str] = "parties.contact.unlinked"
    version: ClassVar[int] = 1
    description: ClassVar[Any] = _("A person is no longer a contact at an organization")
    subject_fields: ClassVar[dict[str, str]] = {"person_id": "party", "organization_id": "party"}

    person_id: int
    organization_id: int
