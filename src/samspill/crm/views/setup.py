"""CRM settings: pipeline stages, lead scoring rules and web forms with their snippet."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from samspill.crm import forms, queries, services
from samspill.crm.views.common import back_to, can, found
from samspill.platform.errors import DomainError
from samspill.platform.views import PermissionRequiredMixin, form_errors_from


def snippet(request, web_form) -> str:
    """The HTML a webmaster pastes into the website: the form in an iframe."""
    url = request.build_absolute_uri(reverse("crm:public_form", args=[web_form.key]))
    return (
        f'<iframe src="{url}" title="{web_form.name}" loading="lazy" '
        'style="width:100%;max-width:36rem;height:40rem;border:0"></iframe>'
    )


def script_snippet(request, web_form) -> str:
    """The other choice: a plain form in the website's own style and a small script that
    posts it as JSON to the public API (CORS is open for that API only)."""
    endpoint = request.build_absolute_uri("/api/v1/crm/web-leads")
    script = request.build_absolute_uri(static("crm/webform.js"))
    labels = {
        "name": _("Your name"),
        "company_name": _("Company"),
        "email": _("Email"),
        "phone": _("Phone"),
        "message": _("Message"),
        "send": _("Send"),
        "empty": _("Leave this field empty"),
    }
    return (
        f'<form data-samspill-form="{web_form.key}" data-samspill-endpoint="{endpoint}">\n'
        f'  <label>{labels["name"]} <input name="name" required></label>\n'
        f'  <label>{labels["company_name"]} <input name="company_name"></label>\n'
        f'  <label>{labels["email"]} <input name="email" type="email"></label>\n'
        f'  <label>{labels["phone"]} <input name="phone" type="tel"></label>\n'
        f'  <label>{labels["message"]} <textarea name="message"></textarea></label>\n'
        f'  <label style="position:absolute;left:-10000px" aria-hidden="true">{labels["empty"]} '
        '<input name="website" tabindex="-1" autocomplete="off"></label>\n'
        f'  <button type="submit">{labels["send"]}</button>\n'
        "  <p data-samspill-status></p>\n"
        "</form>\n"
        f'<script src="{script}" defer></script>'
    )


class SettingsView(PermissionRequiredMixin, View):
    permission = "crm.view_webform"

    def get(self, request):
        web_forms = list(queries.web_forms(request.user))
        return render(
            request,
            "crm/settings.html",
            {
                "title": _("CRM settings"),
                "stages": queries.stages(),
                "rules": queries.score_rules(),
                "web_forms": [
                    (f, snippet(request, f), script_snippet(request, f)) for f in web_forms
                ],
                "api_url": request.build_absolute_uri("/api/v1/crm/web-leads"),
                "can": can(
                    request,
                    "crm.add_stage",
                    "crm.change_stage",
                    "crm.delete_stage",
                    "crm.add_scorerule",
                    "crm.change_scorerule",
                    "crm.delete_scorerule",
                    "crm.add_webform",
                    "crm.change_webform",
                ),
            },
        )


class _EditView(PermissionRequiredMixin, View):
    """Create (pk None) or edit one settings row through the services."""

    form_class: type = forms.StageForm
    title_new = ""
    title_edit = ""
    fields: tuple[str, ...] = ()

    def lookup(self, request, pk):
        raise NotImplementedError

    def create(self, request, data):
        raise NotImplementedError

    def update(self, request, obj, data):
        raise NotImplementedError

    def show(self, form, obj=None, status=200):
        return render(
            self.request,
            "crm/form_page.html",
            {
                "title": self.title_edit if obj else self.title_new,
                "form": form,
                "object": obj,
                "cancel_url": "crm:settings",
                "back_label": _("CRM settings"),
            },
            status=status,
        )

    def get(self, request, pk=None):
        obj = self.lookup(request, pk) if pk else None
        initial = {name: getattr(obj, name) for name in self.fields} if obj else None
        if obj is not None and "default_owner" in self.fields:
            initial["default_owner"] = obj.default_owner_id  # type: ignore[index]
        return self.show(self.form_class(initial=initial), obj)

    def post(self, request, pk=None):
        obj = self.lookup(request, pk) if pk else None
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                if obj is None:
                    self.create(request, form.cleaned_data)
                else:
                    self.update(request, obj, form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("crm:settings")
        return self.show(form, obj, status=422)


class StageEditView(_EditView):
    form_class = forms.StageForm
    fields = ("name", "position", "probability", "is_won", "is_lost")

    @property
    def permission(self):  # type: ignore[override]
        return "crm.change_stage" if self.kwargs.get("pk") else "crm.add_stage"

    title_new = property(lambda self: _("New stage"))  # type: ignore[assignment]
    title_edit = property(lambda self: _("Edit stage"))  # type: ignore[assignment]

    def lookup(self, request, pk):
        return found(queries.stage, request.user, pk)

    def create(self, request, data):
        services.create_stage(actor=request.user, **data)

    def update(self, request, obj, data):
        if data.get("position") is None:
            data["position"] = obj.position
        services.update_stage(obj, actor=request.user, **data)


class StageDeleteView(PermissionRequiredMixin, View):
    permission = "crm.delete_stage"

    def post(self, request, pk):
        try:
            services.delete_stage(found(queries.stage, request.user, pk), actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The stage was deleted."))
        return back_to(request, "crm:settings")


class RuleEditView(_EditView):
    form_class = forms.ScoreRuleForm
    fields = ("field", "operator", "value", "points", "is_active")
    title_new = property(lambda self: _("New scoring rule"))  # type: ignore[assignment]
    title_edit = property(lambda self: _("Edit scoring rule"))  # type: ignore[assignment]

    @property
    def permission(self):  # type: ignore[override]
        return "crm.change_scorerule" if self.kwargs.get("pk") else "crm.add_scorerule"

    def lookup(self, request, pk):
        return found(queries.score_rule, request.user, pk)

    def create(self, request, data):
        services.create_score_rule(actor=request.user, **data)

    def update(self, request, obj, data):
        services.update_score_rule(obj, actor=request.user, **data)


class RuleDeleteView(PermissionRequiredMixin, View):
    permission = "crm.delete_scorerule"

    def post(self, request, pk):
        services.delete_score_rule(found(queries.score_rule, request.user, pk), actor=request.user)
        messages.success(request, _("The rule was deleted; lead scores were recalculated."))
        return back_to(request, "crm:settings")


class WebFormEditView(_EditView):
    form_class = forms.WebFormForm
    fields = ("name", "default_owner", "thank_you", "is_active")
    title_new = property(lambda self: _("New web form"))  # type: ignore[assignment]
    title_edit = property(lambda self: _("Edit web form"))  # type: ignore[assignment]

    @property
    def permission(self):  # type: ignore[override]
        return "crm.change_webform" if self.kwargs.get("pk") else "crm.add_webform"

    def lookup(self, request, pk):
        return found(queries.web_form, request.user, pk)

    def create(self, request, data):
        services.create_web_form(actor=request.user, **data)

    def update(self, request, obj, data):
        services.update_web_form(obj, actor=request.user, **data)


class WebFormKeyView(PermissionRequiredMixin, View):
    permission = "crm.change_webform"

    def post(self, request, pk):
        services.regenerate_web_form_key(
            found(queries.web_form, request.user, pk), actor=request.user
        )
        messages.success(request, _("The form has a new key. Replace the snippet on the website."))
        return back_to(request, "crm:settings")
