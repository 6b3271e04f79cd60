"""Product list, detail, create/edit forms, archive/restore/delete, live validation, CSV
import and the category page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from samspill.catalog import queries, services
from samspill.catalog.filters import ProductFilterSet
from samspill.catalog.forms import CategoryForm, ImportForm, ProductForm
from samspill.catalog.models import Product, clean_barcode, normalize_sku, validate_sku
from samspill.catalog.tables import ProductTable
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

VIEW_PERM = "catalog.view_product"
ADD_PERM = "catalog.add_product"
CHANGE_PERM = "catalog.change_product"
PRICE_PERM = "catalog.price_product"
DELETE_PERM = "catalog.delete_product"
MAX_IMPORT_BYTES = 5 * 1024 * 1024
TIMELINE_LIMIT = 30


def _product_or_404(request, pk) -> Product:
    try:
        return queries.get_product(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _forbidden(exc: DomainPermissionDenied):
    raise DjangoPermissionDenied(str(exc.message)) from exc


class ProductListView(ListPage):
    permission = VIEW_PERM
    template_name = "catalog/product_list.html"
    table_class = ProductTable  # type: ignore[assignment]
    filterset_class = ProductFilterSet  # type: ignore[assignment]
    create_url = "catalog:product_create"  # type: ignore[assignment]
    create_permission = ADD_PERM
    export_name = "products"

    @property
    def title(self):
        return _("Products")

    @property
    def empty_text(self):
        return _("No products yet. Add the first one, or import your price list from CSV.")

    def get_queryset(self):
        return queries.product_list(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = allowed(self.request.user, ADD_PERM)
        return context


class ProductFormView(PermissionRequiredMixin, View):
    """Shared by create and edit: the service validates, its errors land on the form."""

    def render(self, form, product=None, status=200):
        title = _("Edit %(name)s") % {"name": product.name} if product else _("New product")
        context = {"form": form, "product": product, "title": title}
        return render(self.request, "catalog/product_form.html", context, status=status)

    def save(self, form, product):
        raise NotImplementedError

    def handle(self, request, product=None):
        may_price = allowed(request.user, PRICE_PERM)
        form = ProductForm(
            request.POST,
            may_price=may_price,
            product=product,
            initial=ProductForm.initial_for(product),
        )
        if not form.is_valid():
            return self.render(form, product, status=422 if request.htmx else 200)
        try:
            saved = self.save(form, product)
        except DomainPermissionDenied as exc:
            form.add_error(None, str(exc.message))
            return self.render(form, product, status=403)
        except DomainError as exc:
            form_errors_from(form, exc)
            return self.render(form, product)
        messages.success(request, _("“%(name)s” was saved.") % {"name": saved.name})
        return redirect(saved.get_absolute_url())


class ProductCreateView(ProductFormView):
    permission = ADD_PERM

    def get(self, request):
        form = ProductForm(
            initial=ProductForm.initial_for(None), may_price=allowed(request.user, PRICE_PERM)
        )
        return self.render(form)

    def post(self, request):
        return self.handle(request)

    def save(self, form, product):
        return services.create_product(actor=self.request.user, **form.values())


class ProductEditView(ProductFormView):
    permission = VIEW_PERM

    def get(self, request, pk):
        product = _product_or_404(request, pk)
        if not (allowed(request.user, CHANGE_PERM) or allowed(request.user, PRICE_PERM)):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        form = ProductForm(
            initial=ProductForm.initial_for(product),
            may_price=allowed(request.user, PRICE_PERM),
            product=product,
        )
        if not allowed(request.user, CHANGE_PERM):  # finance: prices only
            for name, field in form.fields.items():
                if name not in ("sales_price", "cost_price"):
                    field.disabled = True
        return self.render(form, product)

    def post(self, request, pk):
        product = _product_or_404(request, pk)
        if not (allowed(request.user, CHANGE_PERM) or allowed(request.user, PRICE_PERM)):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        return self.handle(request, product)

    def save(self, form, product):
        values = form.values()
        if not allowed(self.request.user, CHANGE_PERM):
            values = {k: v for k, v in values.items() if k in ("sales_price", "cost_price")}
        return services.update_product(actor=self.request.user, product=product, **values)


class ProductDetailView(PermissionRequiredMixin, View):
    permission = VIEW_PERM

    def get(self, request, pk):
        product = _product_or_404(request, pk)
        context = {
            "product": product,
            "title": product.name,
            "prices": list(queries.product_prices(product))
            if allowed(request.user, "catalog.view_pricelist")
            else [],
            "history": audit.history(product)[:50],
            "timeline_entries": timeline("product", product.pk, limit=TIMELINE_LIMIT),
            "can_change": allowed(request.user, CHANGE_PERM),
            "can_price": allowed(request.user, PRICE_PERM),
            "can_delete": allowed(request.user, DELETE_PERM),
        }
        return render(request, "catalog/product_detail.html", context)


class ProductStateView(PermissionRequiredMixin, View):
    """Archive or restore (POST, after the confirmation dialog of the detail page)."""

    permission = CHANGE_PERM
    action = "archive"

    def post(self, request, pk):
        product = _product_or_404(request, pk)
        command = services.archive_product if self.action == "archive" else services.restore_product
        try:
            command(actor=request.user, product=product)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(product.get_absolute_url())
        if self.action == "archive":
            messages.success(request, _("“%(name)s” was archived.") % {"name": product.name})
        else:
            messages.success(request, _("“%(name)s” was restored.") % {"name": product.name})
        return redirect(product.get_absolute_url())


class ProductDeleteView(PermissionRequiredMixin, View):
    permission = DELETE_PERM

    def get(self, request, pk):
        product = _product_or_404(request, pk)
        return render(
            request,
            "catalog/confirm_delete.html",
            {
                "object": product,
                "title": _("Delete product"),
                "cancel_url": product.get_absolute_url(),
                "warning": _(
                    "The product and its prices on price lists are deleted. A product "
                    "that is used on orders, invoices or in stock cannot be deleted: archive "
                    "it instead."
                ),
            },
        )

    def post(self, request, pk):
        product = _product_or_404(request, pk)
        try:
            services.delete_product(actor=request.user, product=product)
        except DomainPermissionDenied as exc:
            _forbidden(exc)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(product.get_absolute_url())
        messages.success(request, _("“%(name)s” was deleted.") % {"name": product.name})
        return redirect("catalog:product_list")


class ValidateView(PermissionRequiredMixin, View):
    """Live validation of SKU and barcode while the user types (htmx)."""

    permission = VIEW_PERM

    def get(self, request):
        exclude = request.GET.get("exclude", "")
        others = Product.objects.all()
        if exclude.isdigit():
            others = others.exclude(pk=int(exclude))
        error, taken = "", None
        if "sku" in request.GET:
            value = normalize_sku(request.GET["sku"])
            if value:
                try:
                    validate_sku(value)
                    taken = others.filter(sku=value).first()
                except ValidationError as exc:
                    error = " ".join(exc.messages)
        elif "barcode" in request.GET:
            try:
                value = clean_barcode(request.GET["barcode"])
                taken = others.filter(barcode=value).first() if value else None
            except ValidationError as exc:
                error = " ".join(exc.messages)
        return render(request, "catalog/_live_validation.html", {"error": error, "taken": taken})


class ImportView(PermissionRequiredMixin, View):
    permission = ADD_PERM

    def get(self, request):
        return render(
            request, "catalog/import.html", {"form": ImportForm(), "title": _("Import products")}
        )

    def post(self, request):
        form = ImportForm(request.POST, request.FILES)
        context = {"form": form, "title": _("Import products")}
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_IMPORT_BYTES:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                try:
                    result = services.import_products(
                        actor=request.user,
                        content=upload.read(),
                        all_or_nothing=form.cleaned_data["all_or_nothing"],
                    )
                except DomainPermissionDenied as exc:
                    _forbidden(exc)
                except DomainError as exc:
                    form_errors_from(form, exc)
                else:
                    context["result"] = result
        return render(request, "catalog/import.html", context)


class ImportTemplateView(PermissionRequiredMixin, View):
    """A CSV file with the header row and two example rows."""

    permission = VIEW_PERM

    def get(self, request):
        body = (
            "sku;name_nb;name_en;unit;product_type;category;sales_price;cost_price;"
            "vat_category;barcode;active;description\r\n"
            "TELT-2P;Telt 2 personer;Tent 2 persons;pcs;stockable;;1990,00;1100,00;"
            "standard;7038010000010;yes;\r\n"
            "INST-T;Installasjon (time);Installation (hour);h;service;;950,00;;standard;;yes;\r\n"
        )
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="products-template.csv"'
        return response


class CategoryListView(PermissionRequiredMixin, View):
    permission = "catalog.view_category"

    def render(self, form, status=200):
        context = {
            "form": form,
            "categories": queries.categories(),
            "title": _("Product categories"),
            "can_add": allowed(self.request.user, "catalog.add_category"),
        }
        return render(self.request, "catalog/categories.html", context, status=status)

    def get(self, request):
        return self.render(CategoryForm())

    def post(self, request):
        if not allowed(request.user, "catalog.add_category"):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        form = CategoryForm(request.POST)
        if form.is_valid():
            parent = form.cleaned_data["parent"]
            try:
                category = services.create_category(
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    parent=int(parent) if parent else None,
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("“%(name)s” was added.") % {"name": category.path})
                return redirect(reverse("catalog:categories"))
        return self.render(form, status=200)
