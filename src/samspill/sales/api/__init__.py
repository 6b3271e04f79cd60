"""/api/v1/sales: thin adapters over `services` and `queries`. Every write is one service
call (one transaction), so a failed request writes nothing; errors are problem+json."""

from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from samspill.catalog import queries as catalog
from samspill.platform.errors import ValidationFailed
from samspill.platform.pagination import paginate
from samspill.platform.permissions import require
from samspill.sales import queries, services
from samspill.sales.api.schemas import (
    AcceptanceTokenIn,
    DashboardOut,
    DeclineIn,
    LinkOut,
    OrderDetailOut,
    OrderFilters,
    OrderIn,
    OrderOut,
    QuoteDetailOut,
    QuoteFilters,
    QuoteIn,
    QuoteOut,
    QuotePatch,
    SendIn,
    TokenDeclineIn,
)
from samspill.sales.filters import OrderFilterSet, QuoteFilterSet

router = Router(tags=["sales"])


def _filtered(filterset_class, filters, queryset):
    data = {k: v for k, v in filters.dict().items() if v is not None}
    if "open" in data:
        data["open"] = "true" if data["open"] else "false"
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationFailed(errors={k: [str(m) for m in v] for k, v in filterset.errors.items()})
    return filterset.qs.order_by("-id")


def _price_list(pk):
    if pk is None:
        return None
    try:
        return catalog.get_price_list(None, pk)
    except Exception as exc:
        raise ValidationFailed(
            errors={"price_list_id": [_("There is no price list with this id.")]}
        ) from exc


def _lines(payload) -> list[dict[str, Any]]:
    return [line.dict() for line in payload]


# --- Quotes --------------------------------------------------------------------------------


@router.get("/dashboard", response=DashboardOut, summary="Sales dashboard figures for a period")
def dashboard(request, date_from: date, date_to: date):
    """Open pipeline by stage, won and lost in the period, the weighted forecast of the coming
    six months, top customers, confirmed orders and the funnel lead -> opportunity -> order.
    Amounts exclude VAT."""
    require(request.user, "sales.view_order")
    if date_from > date_to:
        raise ValidationFailed(
            errors={"date_from": [_("The start of the period is after its end.")]}
        )
    return queries.dashboard(request.user, date_from, date_to)


@router.get("/quotes", response=list[QuoteOut], summary="List quotes")
@paginate
def list_quotes(request, filters: Query[QuoteFilters]):
    require(request.user, "sales.view_quote")
    return _filtered(QuoteFilterSet, filters, queries.quote_list(request.user))


@router.post("/quotes", response={201: QuoteDetailOut}, summary="Create a quote with lines")
def create_quote(request, payload: QuoteIn):
    quote = services.create_quote(
        actor=request.user,
        party=payload.party_id,
        contact=payload.contact_id,
        currency=payload.currency,
        price_list=_price_list(payload.price_list_id),
        language=payload.language,
        issue_date=payload.issue_date,
        valid_until=payload.valid_until,
        terms=payload.terms,
        notes=payload.notes,
        reference=payload.reference,
        opportunity_ref=payload.opportunity_ref,
        lines=_lines(payload.lines),
    )
    return Status(201, _quote(request, quote.pk))


def _quote(request, pk):
    quote = queries.get_quote(request.user, pk)
    quote.order_id = (
        queries.order_list(None).filter(quote=quote).values_list("pk", flat=True).first()
    )
    return quote


@router.get("/quotes/{int:quote_id}", response=QuoteDetailOut, summary="A quote with lines")
def get_quote(request, quote_id: int):
    require(request.user, "sales.view_quote")
    return _quote(request, quote_id)


@router.patch("/quotes/{int:quote_id}", response=QuoteDetailOut, summary="Change a draft quote")
def update_quote(request, quote_id: int, payload: QuotePatch):
    quote = queries.get_quote(request.user, quote_id)
    data = payload.dict(exclude_unset=True)
    lines = data.pop("lines", None)
    if "contact_id" in data:
        data["contact"] = data.pop("contact_id")
    services.update_quote(
        quote, actor=request.user, lines=_lines(payload.lines) if lines else None, **data
    )
    return _quote(request, quote_id)


@router.post("/quotes/{int:quote_id}/send", response=QuoteDetailOut, summary="E-mail a quote")
def send_quote(request, quote_id: int, payload: SendIn):
    quote = queries.get_quote(request.user, quote_id)
    services.send_quote(
        quote, actor=request.user, to=payload.to, message=payload.message, request=request
    )
    return _quote(request, quote_id)


@router.post(
    "/quotes/{int:quote_id}/mark-sent",
    response=QuoteDetailOut,
    summary="Record that the customer got the quote another way (no e-mail)",
)
def mark_quote_sent(request, quote_id: int):
    quote = queries.get_quote(request.user, quote_id)
    services.mark_quote_sent(quote, actor=request.user)
    return _quote(request, quote_id)


@router.get("/quotes/{int:quote_id}/link", response=LinkOut, summary="The customer's link")
def quote_link(request, quote_id: int):
    require(request.user, "sales.send_quote")
    quote = queries.get_quote(request.user, quote_id)
    return {"url": services.public_url(quote, request), "token": services.quote_token(quote)}


@router.post(
    "/quotes/{int:quote_id}/accept",
    response={201: OrderDetailOut},
    summary="Record the customer's acceptance (creates the confirmed order)",
)
def accept_quote(request, quote_id: int):
    quote = queries.get_quote(request.user, quote_id)
    order = services.accept_quote(quote, actor=request.user)
    return Status(201, _order(request, order.pk))


@router.post("/quotes/{int:quote_id}/decline", response=QuoteDetailOut, summary="Decline")
def decline_quote(request, quote_id: int, payload: DeclineIn):
    quote = queries.get_quote(request.user, quote_id)
    services.decline_quote(quote, actor=request.user, reason=payload.reason)
    return _quote(request, quote_id)


@router.post(
    "/public/quotes/accept",
    response={201: dict},
    auth=None,
    summary="The customer accepts with the token of their link (no login)",
)
def accept_by_token(request, payload: AcceptanceTokenIn):
    order = services.accept_by_token(payload.token)
    return Status(201, {"order_number": order.number, "status": order.status})


@router.post(
    "/public/quotes/decline",
    response=dict,
    auth=None,
    summary="The customer declines with the token of their link (no login)",
)
def decline_by_token(request, payload: TokenDeclineIn):
    quote = services.decline_by_token(payload.token, reason=payload.reason)
    return {"quote_number": quote.number, "status": quote.status}


# --- Orders --------------------------------------------------------------------------------


def _order(request, pk):
    return queries.get_order(request.user, pk)


@router.get("/orders", response=list[OrderOut], summary="List sales orders")
@paginate
def list_orders(request, filters: Query[OrderFilters]):
    require(request.user, "sales.view_order")
    return _filtered(OrderFilterSet, filters, queries.order_list(request.user))


@router.post("/orders", response={201: OrderDetailOut}, summary="Enter a sales order")
def create_order(request, payload: OrderIn):
    order = services.create_order(
        actor=request.user,
        party=payload.party_id,
        contact=payload.contact_id,
        currency=payload.currency,
        price_list=_price_list(payload.price_list_id),
        language=payload.language,
        order_date=payload.order_date,
        invoicing_policy=payload.invoicing_policy,
        warehouse_code=payload.warehouse_code,
        notes=payload.notes,
        reference=payload.reference,
        opportunity_ref=payload.opportunity_ref,
        lines=_lines(payload.lines),
    )
    return Status(201, _order(request, order.pk))


@router.get("/orders/{int:order_id}", response=OrderDetailOut, summary="A sales order")
def get_order(request, order_id: int):
    require(request.user, "sales.view_order")
    return _order(request, order_id)


@router.post("/orders/{int:order_id}/confirm", response=OrderDetailOut, summary="Confirm")
def confirm_order(request, order_id: int):
    order = queries.get_order(request.user, order_id)
    services.confirm_order(order, actor=request.user)
    return _order(request, order_id)


@router.post("/orders/{int:order_id}/cancel", response=OrderDetailOut, summary="Cancel")
def cancel_order(request, order_id: int):
    order = queries.get_order(request.user, order_id)
    services.cancel_order(order, actor=request.user)
    return _order(request, order_id)
