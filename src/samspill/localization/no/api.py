"""/api/v1/localization/no: the Norwegian VAT codes and the catalog category map."""

from decimal import Decimal

from ninja import Router, Schema

from samspill.localization.no import queries, services
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require

router = Router(tags=["localization"])


class VatCodeOut(Schema):
    code: str
    standard_code: str
    name: str
    name_en: str
    direction: str
    treatment: str
    rate: Decimal
    account: str
    deduction_account: str
    active: bool


class VatCodePatch(Schema):
    name: str | None = None
    name_en: str | None = None
    rate: Decimal | None = None
    account: str | None = None
    deduction_account: str | None = None
    active: bool | None = None


class VatCategoryOut(Schema):
    key: str
    label: str
    sales_code: str
    purchase_code: str

    @staticmethod
    def resolve_label(obj) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_sales_code(obj) -> str:
        return obj.sales_code.code

    @staticmethod
    def resolve_purchase_code(obj) -> str:
        return obj.purchase_code.code


class VatCategoryIn(Schema):
    sales_code: str
    purchase_code: str


@router.get("/vat-codes", response=list[VatCodeOut], summary="List VAT codes")
@paginate
def list_vat_codes(request, direction: str | None = None):
    require(request.user, "localization_no.view_vatcode")
    rows = queries.vat_codes(request.user)
    if direction:
        rows = rows.filter(direction=direction)
    return rows


@router.get("/vat-codes/{code}", response=VatCodeOut, summary="One VAT code")
def get_vat_code(request, code: str):
    require(request.user, "localization_no.view_vatcode")
    return queries.vat_code(code, request.user)


@router.patch("/vat-codes/{code}", response=VatCodeOut, summary="Change a VAT code")
def patch_vat_code(request, code: str, payload: VatCodePatch):
    require(request.user, "localization_no.change_vatcode")
    changes = payload.model_dump(exclude_unset=True)
    return services.update_vat_code(queries.vat_code(code), actor=request.user, **changes)


@router.get("/vat-categories", response=list[VatCategoryOut], summary="Catalog VAT categories")
def list_vat_categories(request):
    require(request.user, "localization_no.view_vatcategory")
    return list(queries.vat_categories(request.user))


@router.put("/vat-categories/{key}", response=VatCategoryOut, summary="Map a category to VAT codes")
def put_vat_category(request, key: str, payload: VatCategoryIn):
    return services.map_vat_category(key, actor=request.user, **payload.model_dump())
