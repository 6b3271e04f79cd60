"""The panels of the 360-degree view: addresses, contact points, contact persons and
consents. htmx requests get the refreshed panel back; plain requests a page and a redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from samspill.parties import queries, services
from samspill.parties.forms import (
    AddressForm,
    ConsentForm,
    ContactPointForm,
    RelationForm,
)
from samspill.parties.models import Party
from samspill.parties.views.common import (
    CHANGE_PERM,
    _apply_errors,
    _forbidden,
    _or_404,
    _party_or_404,
)
from samspill.parties.views.parties import (
    _panel_context,
)
from samspill.platform.errors import DomainError
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.views import PermissionRequiredMixin


class PanelView(PermissionRequiredMixin, View):
    """Base for the panel forms: htmx requests get the refreshed panel back (with the
    form's errors when it failed); plain requests get a page and a redirect."""

    permission = CHANGE_PERM
    panel = ""  # template name under parties/panels/
    anchor = ""

    def panel_response(self, party, **forms):
        party = queries.party_detail(self.request.user, party.pk)
        context = _panel_context(self.request, party, **forms)
        return render(self.request, f"parties/panels/{self.panel}.html", context)

    def page(self, form, party, title, *, status=200):
        context = {
            "form": form,
            "party": party,
            "title": title,
            "cancel_url": party.get_absolute_url() + self.anchor,
        }
        return render(self.request, "parties/form_page.html", context, status=status)

    def done(self, party, message):
        if self.request.htmx:
            return self.panel_response(party)
        messages.success(self.request, message)
        return HttpResponseRedirect(party.get_absolute_url() + self.anchor)


class AddressAddView(PanelView):
    panel, anchor = "addresses", "#addresses"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        return self.page(AddressForm(prefix="address"), party, _("New address"))

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = AddressForm(request.POST, prefix="address")
        if form.is_valid():
            try:
                services.add_address(actor=request.user, party=party, **form.cleaned_data)
                return self.done(party, _("The address was added."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc)
        if request.htmx:
            return self.panel_response(party, address_form=form, open_panel="addresses")
        return self.page(form, party, _("New address"))


class AddressEditView(PanelView):
    panel, anchor = "addresses", "#addresses"

    def get(self, request, pk):
        address = _or_404(queries.get_address, request, pk)
        form = AddressForm(initial={f: getattr(address, f) for f in AddressForm.base_fields})
        return self.page(form, address.party, _("Edit address"))

    def post(self, request, pk):
        address = _or_404(queries.get_address, request, pk)
        form = AddressForm(request.POST)
        if form.is_valid():
            try:
                services.update_address(actor=request.user, address=address, **form.cleaned_data)
                return self.done(address.party, _("The address was saved."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc)
        return self.page(form, address.party, _("Edit address"))


class ConfirmDeleteView(PanelView):
    """GET asks for confirmation; POST removes (htmx buttons confirm in the browser)."""

    getter: Callable[[Any, Any], Any] | None = None
    question = ""

    def get_object(self, request, pk):
        return _or_404(type(self).getter, request, pk)

    def party_of(self, obj):
        return obj.party

    def get(self, request, pk):
        obj = self.get_object(request, pk)
        party = self.party_of(obj)
        context = {
            "object": obj,
            "party": party,
            "title": self.question,
            "cancel_url": party.get_absolute_url() + self.anchor,
        }
        return render(request, "parties/confirm_delete.html", context)

    def post(self, request, pk):
        obj = self.get_object(request, pk)
        party = self.party_of(obj)
        try:
            self.remove(obj)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            if request.htmx:
                return self.panel_response(party, panel_error=str(exc.message))
            messages.error(request, str(exc.message))
            return HttpResponseRedirect(party.get_absolute_url() + self.anchor)
        return self.done(party, self.removed_message)


class AddressDeleteView(ConfirmDeleteView):
    panel, anchor = "addresses", "#addresses"
    getter = staticmethod(queries.get_address)

    @property
    def question(self):
        return _("Remove this address?")

    @property
    def removed_message(self):
        return _("The address was removed.")

    def remove(self, obj):
        services.remove_address(actor=self.request.user, address=obj)


class ContactPointAddView(PanelView):
    panel, anchor = "contact_points", "#contact-points"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        return self.page(ContactPointForm(prefix="contact"), party, _("New email or phone"))

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = ContactPointForm(request.POST, prefix="contact")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.add_contact_point(
                    actor=request.user,
                    party=party,
                    kind=data["kind"],
                    value=data["value"],
                    label=data["label"],
                    is_primary=True if data["is_primary"] else None,
                )
                return self.done(party, _("The contact point was added."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc)
        if request.htmx:
            return self.panel_response(party, contact_point_form=form, open_panel="contact_points")
        return self.page(form, party, _("New email or phone"))


class ContactPointEditView(PanelView):
    panel, anchor = "contact_points", "#contact-points"

    def get(self, request, pk):
        point = _or_404(queries.get_contact_point, request, pk)
        form = ContactPointForm(
            initial={
                "kind": point.kind,
                "value": point.value,
                "label": point.label,
                "is_primary": point.is_primary,
            }
        )
        return self.page(form, point.party, _("Edit contact point"))

    def post(self, request, pk):
        point = _or_404(queries.get_contact_point, request, pk)
        form = ContactPointForm(request.POST)
        if form.is_valid():
            try:
                services.update_contact_point(actor=request.user, point=point, **form.cleaned_data)
                return self.done(point.party, _("The contact point was saved."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc)
        return self.page(form, point.party, _("Edit contact point"))


class ContactPointDeleteView(ConfirmDeleteView):
    panel, anchor = "contact_points", "#contact-points"
    getter = staticmethod(queries.get_contact_point)

    @property
    def question(self):
        return _("Remove this email or phone number?")

    @property
    def removed_message(self):
        return _("The contact point was removed.")

    def remove(self, obj):
        services.remove_contact_point(actor=self.request.user, point=obj)


class RelationAddView(PanelView):
    """Link an existing person (on an organisation) or organisation (on a person)."""

    panel, anchor = "relations", "#relations"

    def form(self, party, data=None):
        other_kind = Party.Kind.PERSON if party.is_organization else Party.Kind.ORGANIZATION
        return RelationForm(data, prefix="relation", other_kind=other_kind)

    def title(self, party):
        if party.is_organization:
            return _("Link a contact person")
        return _("Link to an organization")

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        return self.page(self.form(party), party, self.title(party))

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = self.form(party, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            person, organization = (
                (data["other"], party) if party.is_organization else (party, data["other"])
            )
            try:
                services.link_contact(
                    actor=request.user,
                    person=person,
                    organization=organization,
                    title=data["title"],
                    department=data["department"],
                    is_primary=data["is_primary"],
                )
                return self.done(party, _("The contact person was linked."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc, {"person": "other", "organization": "other"})
        if request.htmx:
            return self.panel_response(party, relation_form=form, open_panel="relations")
        return self.page(form, party, self.title(party))


class RelationEditView(PanelView):
    panel, anchor = "relations", "#relations"

    def get(self, request, pk):
        relation = _or_404(queries.get_relation, request, pk)
        form = RelationForm(
            other_kind=Party.Kind.PERSON,
            pick=False,
            initial={
                "title": relation.title,
                "department": relation.department,
                "is_primary": relation.is_primary,
            },
        )
        return self.page(form, relation.organization, _("Edit contact person"))

    def post(self, request, pk):
        relation = _or_404(queries.get_relation, request, pk)
        form = RelationForm(request.POST, other_kind=Party.Kind.PERSON, pick=False)
        back = request.GET.get("from") == "person"
        party = relation.person if back else relation.organization
        if form.is_valid():
            try:
                services.update_relation(actor=request.user, relation=relation, **form.cleaned_data)
                return self.done(party, _("The contact person was saved."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc)
        return self.page(form, party, _("Edit contact person"))


class RelationDeleteView(ConfirmDeleteView):
    panel, anchor = "relations", "#relations"
    getter = staticmethod(queries.get_relation)

    def party_of(self, obj):
        return obj.person if self.request.GET.get("from") == "person" else obj.organization

    @property
    def question(self):
        return _("Remove this contact person from the organization?")

    @property
    def removed_message(self):
        return _("The contact person was unlinked.")

    def remove(self, obj):
        services.unlink_contact(actor=self.request.user, relation=obj)


class ConsentAddView(PanelView):
    permission = "parties.add_consent"
    panel, anchor = "consents", "#consents"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        return self.page(ConsentForm(prefix="consent"), party, _("Record consent"))

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = ConsentForm(request.POST, prefix="consent")
        if form.is_valid():
            try:
                services.record_consent(actor=request.user, party=party, **form.cleaned_data)
                return self.done(party, _("The consent was recorded."))
            except DomainPermissionDenied as exc:
                _forbidden(exc)
            except DomainError as exc:
                _apply_errors(form, exc)
        if request.htmx:
            return self.panel_response(party, consent_form=form, open_panel="consents")
        return self.page(form, party, _("Record consent"))
