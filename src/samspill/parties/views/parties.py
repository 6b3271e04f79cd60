"""The contact list, the create and edit forms and the 360-degree view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from samspill.parties import queries, services
from samspill.parties.filters import PartyFilterSet
from samspill.parties.forms import (
    CONSENT_SOURCES,
    AddressForm,
    ConsentForm,
    ContactPointForm,
    OrganizationForm,
    PartyEditForm,
    PersonForm,
    RelationForm,
)
from samspill.parties.models import Party
from samspill.parties.tables import PartyTable
from samspill.parties.views.common import (
    ADD_PERM,
    CHANGE_PERM,
    TIMELINE_LIMIT,
    VIEW_PERM,
    _apply_errors,
    _forbidden,
    _party_or_404,
)
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.registry import key_figures, party_panels
from samspill.platform.timeline import timeline, timeline_domain_choices, timeline_domains
from samspill.platform.views import ListPage, PermissionRequiredMixin


class PartyListView(ListPage):
    permission = VIEW_PERM
    template_name = "parties/party_list.html"
    table_class = PartyTable  # type: ignore[assignment]  # ListPage declares None
    filterset_class = PartyFilterSet  # type: ignore[assignment]
    create_url = "parties:create_organization"  # type: ignore[assignment]
    create_permission = ADD_PERM
    export_name = "contacts"

    @property
    def title(self):
        return _("Contacts")

    def get_queryset(self):
        return queries.with_list_columns(Party.objects.current())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = allowed(self.request.user, ADD_PERM)
        return context


class PartyCreateView(PermissionRequiredMixin, View):
    permission = ADD_PERM
    form_class: type[OrganizationForm | PersonForm] = OrganizationForm
    kind = Party.Kind.ORGANIZATION

    def title(self):
        if self.kind == Party.Kind.ORGANIZATION:
            return _("New organization")
        return _("New person")

    def initial(self):
        initial = {"owner": self.request.user.pk}
        organization = self.request.GET.get("organization")
        if self.kind == Party.Kind.PERSON and organization:
            try:
                org = queries.get_party(self.request.user, organization)
            except NotFound:
                org = None
            if org is not None and org.is_organization:
                initial["organization"] = org.pk
        return initial

    def render(self, form, candidates=(), status=200):
        organization = None
        if self.kind == Party.Kind.PERSON:
            value = form["organization"].value()
            if value not in (None, "") and str(value).isdigit():
                organization = Party.objects.filter(pk=value).first()
        context = {
            "form": form,
            "title": self.title(),
            "kind": self.kind,
            "candidates": candidates,
            "organization": organization,
            "cancel_url": organization.get_absolute_url()
            if organization
            else reverse("parties:list"),
        }
        return render(self.request, "parties/party_form.html", context, status=status)

    def get(self, request):
        return self.render(self.form_class(initial=self.initial()))

    def post(self, request):
        form = self.form_class(request.POST)
        if not form.is_valid():
            return self.render(form, status=422 if request.htmx else 200)
        data = form.cleaned_data
        try:
            party = self.create(form, data)
        except services.DuplicateParty as exc:
            form.add_error(None, str(exc.message))
            return self.render(form, candidates=exc.candidates)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            _apply_errors(form, exc, form.error_fields())
            return self.render(form)
        messages.success(request, _("“%(name)s” was created.") % {"name": party.display_name})
        return redirect(party.get_absolute_url())

    def create(self, form, data):
        return services.create_organization(
            actor=self.request.user,
            name=data["name"],
            orgnr=data["orgnr"],
            website=data["website"],
            bank_account=data["bank_account"],
            language=data["language"],
            notes=data["notes"],
            roles=data["roles"],
            tags=form.tag_values(),
            owner=data["owner"],
            contact_points=form.contact_points(),
            addresses=form.addresses(),
            force=data["force"],
        )


class PersonCreateView(PartyCreateView):
    form_class = PersonForm
    kind = Party.Kind.PERSON

    def create(self, form, data):
        return services.create_person(
            actor=self.request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            website=data["website"],
            bank_account=data["bank_account"],
            language=data["language"],
            notes=data["notes"],
            roles=data["roles"],
            tags=form.tag_values(),
            owner=data["owner"],
            contact_points=form.contact_points(),
            addresses=form.addresses(),
            organization=data["organization"],
            title=data["title"],
            department=data["department"],
            is_primary_contact=data["is_primary_contact"],
            force=data["force"],
        )


class PartyEditView(PermissionRequiredMixin, View):
    permission = CHANGE_PERM

    def render(self, party, form):
        context = {"form": form, "party": party, "title": _("Edit %(name)s") % {"name": party}}
        return render(self.request, "parties/party_edit.html", context)

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        return self.render(
            party, PartyEditForm(party=party, initial=PartyEditForm.initial_for(party))
        )

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = PartyEditForm(request.POST, party=party)
        if not form.is_valid():
            return self.render(party, form)
        try:
            services.update_party(actor=request.user, party=party, **form.changes())
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            _apply_errors(form, exc)
            return self.render(party, form)
        messages.success(request, _("The changes were saved."))
        return redirect(party.get_absolute_url())


def _timeline(party: Party, domains=None, before: str | None = None):
    """The party's timeline page, with the events of the parties merged into it."""
    merged = list(party.merged_parties.values_list("pk", flat=True))
    return timeline(
        "party", party.pk, limit=TIMELINE_LIMIT, domains=domains, before=before, also=merged
    )


def _permissions(user) -> dict[str, bool]:
    return {
        "can_change": allowed(user, CHANGE_PERM),
        "can_add": allowed(user, ADD_PERM),
        "can_consent": allowed(user, "parties.add_consent"),
        "can_merge": allowed(user, "parties.merge_party"),
        "can_erase": allowed(user, "parties.erase_party"),
        "can_export": allowed(user, "parties.export_party"),
    }


def _panel_context(request, party: Party, **forms) -> dict:
    """What the panels of the detail page need; also used to re-render one panel."""
    context = {"party": party, "consent_sources": CONSENT_SOURCES, **_permissions(request.user)}
    context["address_form"] = forms.get("address_form") or AddressForm(prefix="address")
    context["contact_point_form"] = forms.get("contact_point_form") or ContactPointForm(
        prefix="contact"
    )
    context["consent_form"] = forms.get("consent_form") or ConsentForm(prefix="consent")
    other_kind = Party.Kind.PERSON if party.is_organization else Party.Kind.ORGANIZATION
    context["relation_form"] = forms.get("relation_form") or RelationForm(
        prefix="relation", other_kind=other_kind
    )
    context["relations"] = (
        list(party.contact_relations.all())
        if party.is_organization
        else list(party.organization_relations.all())
    )
    consents = list(queries.consent_history(party))
    current: dict[str, Any] = {}
    for row in consents:
        current.setdefault(row.channel, row)
    context["consents"] = consents
    context["current_consents"] = [
        (label, current.get(value)) for value, label in party.consents.model.Channel.choices
    ]
    context["open_panel"] = forms.get("open_panel", "")
    context["panel_error"] = forms.get("panel_error", "")
    return context


class PartyDetailView(PermissionRequiredMixin, View):
    permission = VIEW_PERM

    def get(self, request, pk):
        party = _party_or_404(request, pk, include_merged=True)
        if party.is_merged:
            survivor = queries.resolve_merged(party)
            messages.info(
                request,
                _("This contact was merged into “%(name)s”.") % {"name": survivor.display_name},
            )
            return redirect(survivor.get_absolute_url())
        party = queries.party_detail(request.user, pk)
        audit.record_read(party, actor=request.user)
        context = _panel_context(request, party)
        timeline_entries = _timeline(party)
        context.update(
            title=party.display_name,
            key_figures=key_figures(request.user, party),
            panels=party_panels(request, party),
            timeline_entries=timeline_entries,
            timeline_more=len(timeline_entries) == TIMELINE_LIMIT,
            timeline_domains=timeline_domain_choices(),
            history=audit.history(party)[:100],
        )
        return render(request, "parties/party_detail.html", context)


class TimelineView(PermissionRequiredMixin, View):
    """The timeline panel's entries, filtered by domain (htmx)."""

    permission = VIEW_PERM

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        domain = request.GET.get("domain", "")
        domains = [domain] if domain in timeline_domains() else None
        before = request.GET.get("before") or None
        try:
            entries = _timeline(party, domains, before)
        except ValueError:  # a cursor that is not one: start from the newest
            before, entries = None, _timeline(party, domains)
        context = {"entries": entries, "party": party, "domain": domain if domains else ""}
        context["more"] = len(entries) == TIMELINE_LIMIT
        context["older"] = bool(before)
        return render(request, "parties/_timeline.html", context)
