"""Contacts UI: thin adapters over `services` (writes) and `queries` (reads). A DomainError
becomes form errors or a message, never a 500; forms keep their input on failure."""

from samspill.parties.views.gdpr import EraseView, PersonalDataView
from samspill.parties.views.lookup import LookupView, ValidateView
from samspill.parties.views.merge import MergeView
from samspill.parties.views.panels import (
    AddressAddView,
    AddressDeleteView,
    AddressEditView,
    ConsentAddView,
    ContactPointAddView,
    ContactPointDeleteView,
    ContactPointEditView,
    RelationAddView,
    RelationDeleteView,
    RelationEditView,
)
from samspill.parties.views.parties import (
    PartyCreateView,
    PartyDetailView,
    PartyEditView,
    PartyListView,
    PersonCreateView,
    TimelineView,
)

__all__ = [
    "AddressAddView",
    "AddressDeleteView",
    "AddressEditView",
    "ConsentAddView",
    "ContactPointAddView",
    "ContactPointDeleteView",
    "ContactPointEditView",
    "EraseView",
    "LookupView",
    "MergeView",
    "PartyCreateView",
    "PartyDetailView",
    "PartyEditView",
    "PartyListView",
    "PersonCreateView",
    "PersonalDataView",
    "RelationAddView",
    "RelationDeleteView",
    "RelationEditView",
    "TimelineView",
    "ValidateView",
]
