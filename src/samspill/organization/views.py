"""Pages of the organisation: an overview for everyone signed in, company settings,
departments and teams with their members. Thin adapters over organization.services."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from samspill.organization import forms, queries, services
from samspill.organization.filters import DepartmentFilter, TeamFilter
from samspill.organization.models import Company, Department, Membership
from samspill.organization.tables import DepartmentTable, TeamTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from


def found(query, *args):
    """Run a query that raises NotFound; a missing record is a 404 page."""
    try:
        return query(*args)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _can(request, *perms) -> dict[str, bool]:
    return {perm.split(".", 1)[1]: allowed(request.user, perm) for perm in perms}


# --- Overview and company --------------------------------------------------------------------


class OverviewView(PermissionRequiredMixin, View):
    """The organisation as everyone sees it: the company, front and back office, teams."""

    permission = "organization.view_department"

    def get(self, request):
        departments = list(queries.departments(request.user).prefetch_related("teams"))
        return render(
            request,
            "organization/overview.html",
            {
                "title": _("Organisation"),
                "company": queries.company(),
                "front_departments": [
                    d for d in departments if d.office == Department.Office.FRONT
                ],
                "back_departments": [d for d in departments if d.office == Department.Office.BACK],
                "my_teams": queries.teams_of_user(request.user),
                "can": _can(request, "organization.change_company", "organization.view_company"),
            },
        )


class CompanyEditView(PermissionRequiredMixin, View):
    permission = "organization.change_company"

    def show(self, form, status=200):
        company = queries.company()
        return render(
            self.request,
            "organization/company_form.html",
            {
                "title": _("Company settings"),
                "form": form,
                "company": company,
                "history": audit.history(company)[:30] if company else [],
            },
            status=status,
        )

    def get(self, request):
        company = queries.company() or Company(pk=Company.SINGLETON_ID)
        return self.show(
            forms.CompanyForm(instance=company, initial=forms.CompanyForm.initial_for(company))
        )

    def post(self, request):
        company = queries.company() or Company(pk=Company.SINGLETON_ID)
        form = forms.CompanyForm(request.POST, instance=company)
        if form.is_valid():
            try:
                services.update_company(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The company settings were saved."))
                return redirect("organization:overview")
        return self.show(form, status=422)


# --- Departments -----------------------------------------------------------------------------


class DepartmentListPage(ListPage):
    permission = "organization.view_department"
    table_class = DepartmentTable
    filterset_class = DepartmentFilter
    title = gettext_lazy("Departments")
    create_url = "organization:department_create"
    create_permission = "organization.add_department"
    export_name = "departments"

    def get_queryset(self):
        return queries.departments()


class DepartmentDetailView(PermissionRequiredMixin, View):
    permission = "organization.view_department"

    def get(self, request, pk):
        department = found(queries.department_with_teams, pk, request.user)
        return render(
            request,
            "organization/department_detail.html",
            {
                "title": department.name,
                "department": department,
                "can": _can(
                    request,
                    "organization.change_department",
                    "organization.delete_department",
                    "organization.add_team",
                ),
                "entries": timeline("department", department.pk, limit=20),
                "history": audit.history(department)[:30],
            },
        )


class DepartmentCreateView(PermissionRequiredMixin, View):
    permission = "organization.add_department"

    def show(self, form, status=200):
        return render(
            self.request,
            "organization/department_form.html",
            {"title": _("New department"), "form": form},
            status=status,
        )

    def get(self, request):
        return self.show(forms.DepartmentForm())

    def post(self, request):
        form = forms.DepartmentForm(request.POST)
        if form.is_valid():
            try:
                department = services.create_department(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("Department %(name)s was created.") % {"name": department.name}
                )
                return redirect("organization:department_detail", pk=department.pk)
        return self.show(form, status=422)


class DepartmentEditView(PermissionRequiredMixin, View):
    permission = "organization.change_department"

    def show(self, department, form, status=200):
        return render(
            self.request,
            "organization/department_form.html",
            {
                "title": _("Edit %(name)s") % {"name": department.name},
                "form": form,
                "department": department,
            },
            status=status,
        )

    def get(self, request, pk):
        department = found(queries.department, pk, request.user)
        return self.show(
            department, forms.DepartmentForm(initial=forms.DepartmentForm.initial_for(department))
        )

    def post(self, request, pk):
        department = found(queries.department, pk, request.user)
        form = forms.DepartmentForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            if not data.get("office"):
                data["office"] = Department.office_for(data["function"])
            try:
                services.update_department(department, actor=request.user, **data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The department was saved."))
                return redirect("organization:department_detail", pk=department.pk)
        return self.show(department, form, status=422)


class DepartmentDeleteView(PermissionRequiredMixin, View):
    permission = "organization.delete_department"

    def get(self, request, pk):
        department = found(queries.department, pk, request.user)
        return render(
            request,
            "organization/confirm_delete.html",
            {
                "title": _("Delete %(name)s") % {"name": department.name},
                "question": _("Delete the department %(name)s?") % {"name": department.name},
                "warning": _(
                    "A department with teams cannot be deleted: move or delete its teams first."
                )
                if department.team_count
                else "",
                "cancel_url": department_url(department),
            },
        )

    def post(self, request, pk):
        department = found(queries.department, pk, request.user)
        try:
            services.delete_department(department, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("organization:department_detail", pk=department.pk)
        messages.success(request, _("Department %(name)s was deleted.") % {"name": department.name})
        return redirect("organization:department_list")


def department_url(department) -> str:
    return reverse("organization:department_detail", args=[department.pk])


# --- Teams -----------------------------------------------------------------------------------


class TeamListPage(ListPage):
    permission = "organization.view_team"
    table_class = TeamTable
    filterset_class = TeamFilter
    title = gettext_lazy("Teams")
    create_url = "organization:team_create"
    create_permission = "organization.add_team"
    export_name = "teams"

    def get_queryset(self):
        return queries.teams()


class TeamDetailView(PermissionRequiredMixin, View):
    permission = "organization.view_team"

    def context(self, request, team, member_form=None):
        can = _can(
            request,
            "organization.change_team",
            "organization.delete_team",
            "organization.add_membership",
            "organization.change_membership",
            "organization.delete_membership",
        )
        if member_form is None and can["add_membership"]:
            member_form = forms.MemberForm(team=team)
        return {
            "title": team.name,
            "team": team,
            "members": queries.members(team, request.user),
            "member_form": member_form,
            "role_choices": Membership.Role.choices,
            "can": can,
            "entries": timeline("team", team.pk, limit=20),
            "history": audit.history(team)[:30],
        }

    def get(self, request, pk):
        team = found(queries.team, pk, request.user)
        return render(request, "organization/team_detail.html", self.context(request, team))


class TeamCreateView(PermissionRequiredMixin, View):
    permission = "organization.add_team"

    def show(self, form, status=200):
        return render(
            self.request,
            "organization/team_form.html",
            {"title": _("New team"), "form": form},
            status=status,
        )

    def get(self, request):
        initial = {}
        if str(request.GET.get("department", "")).isdigit():
            initial["department"] = int(request.GET["department"])
        return self.show(forms.TeamForm(initial=initial))

    def post(self, request):
        form = forms.TeamForm(request.POST)
        if form.is_valid():
            try:
                team = services.create_team(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Team %(name)s was created.") % {"name": team.name})
                return redirect("organization:team_detail", pk=team.pk)
        return self.show(form, status=422)


class TeamEditView(PermissionRequiredMixin, View):
    permission = "organization.change_team"

    def show(self, team, form, status=200):
        return render(
            self.request,
            "organization/team_form.html",
            {"title": _("Edit %(name)s") % {"name": team.name}, "form": form, "team": team},
            status=status,
        )

    def get(self, request, pk):
        team = found(queries.team, pk, request.user)
        return self.show(team, forms.TeamForm(initial=forms.TeamForm.initial_for(team)))

    def post(self, request, pk):
        team = found(queries.team, pk, request.user)
        form = forms.TeamForm(request.POST)
        if form.is_valid():
            try:
                services.update_team(team, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("The team was saved."))
                return redirect("organization:team_detail", pk=team.pk)
        return self.show(team, form, status=422)


class TeamDeleteView(PermissionRequiredMixin, View):
    permission = "organization.delete_team"

    def get(self, request, pk):
        team = found(queries.team, pk, request.user)
        return render(
            request,
            "organization/confirm_delete.html",
            {
                "title": _("Delete %(name)s") % {"name": team.name},
                "question": _("Delete the team %(name)s?") % {"name": team.name},
                "warning": ngettext(
                    "Its %(count)d member leaves the team. Nobody's account is affected.",
                    "Its %(count)d members leave the team. Nobody's account is affected.",
                    team.member_count,
                )
                % {"count": team.member_count}
                if team.member_count
                else "",
                "cancel_url": team_url(team),
            },
        )

    def post(self, request, pk):
        team = found(queries.team, pk, request.user)
        try:
            services.delete_team(team, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("organization:team_detail", pk=team.pk)
        messages.success(request, _("Team %(name)s was deleted.") % {"name": team.name})
        return redirect("organization:team_list")


def team_url(team) -> str:
    return reverse("organization:team_detail", args=[team.pk])


# --- Members ---------------------------------------------------------------------------------


class MemberAddView(PermissionRequiredMixin, View):
    permission = "organization.add_membership"

    def get(self, request, pk):
        return redirect("organization:team_detail", pk=pk)

    def post(self, request, pk):
        team = found(queries.team, pk, request.user)
        form = forms.MemberForm(request.POST, team=team)
        if form.is_valid():
            try:
                services.add_member(
                    team,
                    form.cleaned_data["user"],
                    actor=request.user,
                    role=form.cleaned_data["role"],
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("%(user)s joined the team.") % {"user": form.cleaned_data["user"]}
                )
                return redirect("organization:team_detail", pk=team.pk)
        view = TeamDetailView()
        return render(
            request,
            "organization/team_detail.html",
            view.context(request, team, member_form=form),
            status=422,
        )


class MemberRoleView(PermissionRequiredMixin, View):
    permission = "organization.change_membership"

    def post(self, request, pk, user_id):
        team = found(queries.team, pk, request.user)
        membership = found(queries.membership, team, user_id, request.user)
        form = forms.MemberRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose member or lead."))
            return redirect("organization:team_detail", pk=team.pk)
        try:
            services.change_member_role(
                team, membership.user, actor=request.user, role=form.cleaned_data["role"]
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("The role of %(user)s was changed.") % {"user": membership.user}
            )
        return redirect("organization:team_detail", pk=team.pk)


class MemberRemoveView(PermissionRequiredMixin, View):
    permission = "organization.delete_membership"

    def get(self, request, pk, user_id):
        team = found(queries.team, pk, request.user)
        membership = found(queries.membership, team, user_id, request.user)
        return render(
            request,
            "organization/confirm_delete.html",
            {
                "title": _("Remove from team"),
                "question": _("Remove %(user)s from the team %(team)s?")
                % {"user": membership.user, "team": team.name},
                "warning": _("They are the team's lead: the team will have no lead.")
                if team.lead_id == membership.user_id
                else "",
                "confirm_label": _("Remove"),
                "cancel_url": team_url(team),
            },
        )

    def post(self, request, pk, user_id):
        team = found(queries.team, pk, request.user)
        membership = found(queries.membership, team, user_id, request.user)
        try:
            services.remove_member(team, membership.user, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(user)s left the team.") % {"user": membership.user})
        return redirect("organization:team_detail", pk=team.pk)
