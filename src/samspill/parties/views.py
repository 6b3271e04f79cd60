"""Contacts UI: thin adapters over `services` (writes) and `queries` (reads). A DomainError
becomes form errors or a message, never a 500; forms keep their input on failure."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
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
    EraseForm,
    OrganizationForm,
    PartyEditForm,
    PersonForm,
    RelationForm,
)
from samspill.parties.models import Party, clean_orgnr, try_normalize
from samspill.parties.tables import PartyTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.registry import key_figures
from samspill.platform.timeline import timeline, timeline_domains
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

VIEW_PERM = "parties.view_party"
ADD_PERM = "parties.add_party"
CHANGE_PERM = "parties.change_party"
TIMELINE_LIMIT = 50


def _party_or_404(request, pk, *, include_merged=False) -> Party:
    try:
        return queries.get_party(request.user, pk, include_merged=include_merged)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _or_404(getter, request, pk):
    try:
        return getter(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _apply_errors(form, exc: DomainError, mapping: dict[str, str] | None = None) -> None:
    """form_errors_from, after mapping service keys (contact_points.0.value) to fields."""
    if mapping and exc.errors:
        exc.errors = {mapping.get(key, key): msgs for key, msgs in exc.errors.items()}
    form_errors_from(form, exc)


def _forbidden(exc: DomainPermissionDenied):
    raise DjangoPermissionDenied(str(exc.message)) from exc


# --- List ------------------------------------------------------------------------------


class PartyListView(ListPage):
    permission = VIEW_PERM
    template_name = "parties/party_list.html"
    table_class = PartyTable
    filterset_class = PartyFilterSet
    create_url = "parties:create_organization"
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


# --- Create and edit -------------------------------------------------------------------


class PartyCreateView(PermissionRequiredMixin, View):
    permission = ADD_PERM
    form_class = OrganizationForm
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


# --- The 360-degree view ---------------------------------------------------------------


def _timeline(party: Party, domains=None):
    entries = list(timeline("party", party.pk, limit=TIMELINE_LIMIT, domains=domains))
    for tombstone in party.merged_parties.all():
        entries += timeline("party", tombstone.pk, limit=TIMELINE_LIMIT, domains=domains)
    entries.sort(key=lambda e: e.event.occurred_at, reverse=True)
    seen, unique = set(), []
    for entry in entries:
        if entry.event.pk not in seen:
            seen.add(entry.event.pk)
            unique.append(entry)
    return unique[:TIMELINE_LIMIT]


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
    current = {}
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
        context = _panel_context(request, party)
        context.update(
            title=party.display_name,
            key_figures=key_figures(request.user, party),
            timeline_entries=_timeline(party),
            timeline_domains=timeline_domains(),
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
        entries = _timeline(party, domains)
        return render(request, "parties/_timeline.html", {"entries": entries, "party": party})


# --- Panels: addresses, contact points, relations, consents ----------------------------


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

    getter = None
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


# --- Merge -----------------------------------------------------------------------------


class MergeView(PermissionRequiredMixin, View):
    """Pick the other party (suggested duplicates or search), preview, confirm."""

    permission = "parties.merge_party"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        context = {"party": party, "title": _("Merge %(name)s") % {"name": party}}
        other_id = request.GET.get("other")
        if other_id:
            other = _party_or_404(request, other_id)
            keep_other = request.GET.get("keep") == "other"
            survivor, duplicate = (other, party) if keep_other else (party, other)
            context.update(self.preview(survivor, duplicate), other=other)
        else:
            q = request.GET.get("q", "").strip()
            context["q"] = q
            context["duplicates"] = queries.duplicates_of(party)
            found = queries.search(request.user, q, 20, kind=party.kind) if q else []
            context["results"] = [p for p in found if p.pk != party.pk]
        return render(request, "parties/merge.html", context)

    def preview(self, survivor: Party, duplicate: Party) -> dict:
        rows = []
        fields = ["name", "orgnr", "first_name", "last_name", "website", "notes", "owner"]
        for field in fields:
            if survivor.is_organization and field in ("first_name", "last_name"):
                continue
            if survivor.is_person and field == "orgnr":
                continue
            label = Party._meta.get_field(field).verbose_name
            kept, other = getattr(survivor, field), getattr(duplicate, field)
            result = kept or other
            rows.append((label, kept or "", other or "", result or "", not kept and bool(other)))
        counts = {
            _("Email addresses and phone numbers"): duplicate.contact_points.count(),
            _("Addresses"): duplicate.addresses.count(),
            _("Contact persons and organizations"): duplicate.contact_relations.count()
            + duplicate.organization_relations.count(),
            _("Consents"): duplicate.consents.count(),
        }
        problem = ""
        if survivor.kind != duplicate.kind:
            problem = _("An organization and a person cannot be merged.")
        elif survivor.pk == duplicate.pk:
            problem = _("A party cannot be merged with itself.")
        return {
            "survivor": survivor,
            "duplicate": duplicate,
            "rows": rows,
            "counts": counts,
            "problem": problem,
        }

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        try:
            survivor = _party_or_404(request, request.POST.get("survivor"))
            duplicate = _party_or_404(request, request.POST.get("duplicate"))
            if party.pk not in (survivor.pk, duplicate.pk):
                raise Http404
            survivor = services.merge_parties(
                actor=request.user, survivor=survivor, duplicate=duplicate
            )
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("parties:merge", args=[party.pk]))
        messages.success(
            request,
            _("“%(duplicate)s” was merged into “%(survivor)s”.")
            % {"duplicate": duplicate.display_name, "survivor": survivor.display_name},
        )
        return redirect(survivor.get_absolute_url())


# --- GDPR ------------------------------------------------------------------------------


class PersonalDataView(PermissionRequiredMixin, View):
    """Download everything held about the party as JSON (the export is audited)."""

    permission = "parties.export_party"

    def get(self, request, pk):
        party = _party_or_404(request, pk)
        try:
            data = services.export_personal_data(actor=request.user, party=party)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="personal-data-{party.pk}.json"'
        return response


class EraseView(PermissionRequiredMixin, View):
    permission = "parties.erase_party"

    def render(self, party, form):
        return render(
            self.request,
            "parties/erase.html",
            {"party": party, "form": form, "title": _("Erase personal data")},
        )

    def get(self, request, pk):
        return self.render(_party_or_404(request, pk), EraseForm())

    def post(self, request, pk):
        party = _party_or_404(request, pk)
        form = EraseForm(request.POST)
        if not form.is_valid():
            return self.render(party, form)
        try:
            services.erase_person(actor=request.user, party=party)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            return self.render(party, form)
        messages.success(request, _("The personal data was erased."))
        return redirect(party.get_absolute_url())


# --- Small htmx helpers ----------------------------------------------------------------


class LookupView(PermissionRequiredMixin, View):
    """<option>s of the parties matching q, for the party picker."""

    permission = VIEW_PERM

    def get(self, request):
        kind = request.GET.get("kind")
        kind = kind if kind in Party.Kind.values else None
        q = request.GET.get("q", "")
        parties = queries.search(request.user, q, 20, kind=kind) if q else []
        return render(request, "parties/_options.html", {"parties": parties, "q": q})


class ValidateView(PermissionRequiredMixin, View):
    """Inline validation of orgnr, email and phone while the user types, with a hint
    when another contact already has the value."""

    permission = VIEW_PERM

    def get(self, request):
        field = next((f for f in ("orgnr", "email", "phone") if f in request.GET), None)
        if field is None:
            raise Http404
        value = request.GET.get(field, "").strip()
        error, duplicates = "", []
        if value:
            if field == "orgnr":
                try:
                    value = clean_orgnr(value)
                    duplicates = queries.find_duplicates(orgnr=value)
                except ValidationError as exc:
                    error = " ".join(exc.messages)
            else:
                normalized = try_normalize(field, value)
                if normalized is None:
                    error = (
                        _("Enter a valid email address.")
                        if field == "email"
                        else _("Enter a valid phone number.")
                    )
                else:
                    key = "emails" if field == "email" else "phones"
                    duplicates = queries.find_duplicates(**{key: [normalized]})
        exclude = request.GET.get("exclude")
        if exclude and exclude.isdigit():
            duplicates = [p for p in duplicates if p.pk != int(exclude)]
        return render(
            request,
            "parties/_live_validation.html",
            {"error": error, "duplicates": duplicates, "field": field},
        )
