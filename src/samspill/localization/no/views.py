"""Pages of the Norwegian localisation: the VAT codes and the category map."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.localization.no import queries, services
from samspill.localization.no.filters import VatCodeFilter
from samspill.localization.no.forms import VatCategoryForm, VatCodeForm
from samspill.localization.no.tables import VatCodeTable
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.views import (
    ListPage,
    PermissionRequiredMixin,
    form_errors_from,
    style_form,
)


class VatCodeListPage(ListPage):
    permission = "localization_no.view_vatcode"
    template_name = "localization_no/vat_code_list.html"
    table_class = VatCodeTable
    filterset_class = VatCodeFilter
    title = gettext_lazy("VAT codes")
    empty_text = gettext_lazy(
        "No VAT codes yet. Load the Norwegian VAT codes with the button above."
    )
    export_name = "vat-codes"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = list(queries.vat_categories(self.request.user))
        return context

    def post(self, request):
        """Load the shipped VAT codes that are missing."""
        try:
            created = services.load_vat_codes(actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(count)d VAT codes loaded.") % {"count": len(created)})
        return redirect("localization_no:vat_code_list")


class VatCodeEditView(PermissionRequiredMixin, View):
    permission = "localization_no.change_vatcode"

    def get_object(self, code):
        try:
            return queries.vat_code(code)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc

    def render(self, request, form, vat_code):
        style_form(form)
        title = _("VAT code %(code)s") % {"code": vat_code.code}
        return render(
            request,
            "localization_no/vat_code_form.html",
            {"form": form, "vat_code": vat_code, "title": title},
            status=422 if form.errors else 200,
        )

    def get(self, request, code):
        vat_code = self.get_object(code)
        initial = {f: getattr(vat_code, f) for f in services.VAT_CODE_FIELDS}
        return self.render(request, VatCodeForm(initial=initial), vat_code)

    def post(self, request, code):
        vat_code = self.get_object(code)
        form = VatCodeForm(request.POST)
        if form.is_valid():
            try:
                services.update_vat_code(vat_code, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("VAT code saved."))
                return redirect("localization_no:vat_code_list")
        return self.render(request, form, vat_code)


class VatCategoryEditView(PermissionRequiredMixin, View):
    permission = "localization_no.change_vatcategory"

    def get_object(self, key):
        category = queries.vat_categories().filter(key=key).first()
        if category is None:
            raise Http404(key)
        return category

    def render(self, request, form, category):
        style_form(form)
        return render(
            request,
            "localization_no/vat_category_form.html",
            {"form": form, "category": category, "title": category.label},
            status=422 if form.errors else 200,
        )

    def get(self, request, key):
        category = self.get_object(key)
        form = VatCategoryForm(
            initial={
                "sales_code": category.sales_code.code,
                "purchase_code": category.purchase_code.code,
            }
        )
        return self.render(request, form, category)

    def post(self, request, key):
        category = self.get_object(key)
        form = VatCategoryForm(request.POST)
        if form.is_valid():
            try:
                services.map_vat_category(key, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("VAT category saved."))
                return redirect("localization_no:vat_code_list")
        return self.render(request, form, category)
