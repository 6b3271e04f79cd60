"""Events of the customer portal. Subjects: the customer and the contact person, so portal
access shows on their 360-degree timelines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event

SUBJECTS = {"party_ids": "party"}


@dataclass(frozen=True, kw_only=True)
class PortalEvent(Event):
    subject_fields: ClassVar[dict[str, str]] = SUBJECTS
    template: ClassVar[Any] = ""

    access_id: int
    person_id: int
    customer_id: int
    email: str
    party_ids: list[int]  # the customer and the person (once when they are the same)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        return gettext(str(cls.template)) % {"email": payload.get("email", "")}


@dataclass(frozen=True, kw_only=True)
class AccessGranted(PortalEvent):
    type: ClassVar[str] = "portal.access.granted"
    description: ClassVar[Any] = _("A contact person was invited to the customer portal")
    template: ClassVar[Any] = _("%(email)s was invited to the customer portal")


@dataclass(frozen=True, kw_only=True)
class AccessRevoked(PortalEvent):
    type: ClassVar[str] = "portal.access.revoked"
    description: ClassVar[Any] = _("A contact person's portal access was revoked")
    template: ClassVar[Any] = _("The portal access of %(email)s was revoked")


@dataclass(frozen=True, kw_only=True)
class SignedIn(PortalEvent):
    type: ClassVar[str] = "portal.customer.signed_in"
    description: ClassVar[Any] = _("A customer signed in to the portal")
    template: ClassVar[Any] = _("%(email)s signed in to the customer portal")
