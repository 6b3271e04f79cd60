"""Commands of the sales domain: the only code that writes its tables. Each command is one
transaction, checks the actor's permission (when an actor is given), validates before it
writes, records the change in the audit trail and publishes its event(s)."""

from samspill.platform.money import vat_breakdown
from samspill.sales.services.common import LineInput, WrongState
from samspill.sales.services.invoicing import invoice_order, invoiceable, order_for_invoicing
from samspill.sales.services.orders import (
    CannotCancel,
    cancel_order,
    confirm_order,
    create_order,
    record_delivery,
    record_invoice,
    record_payment,
    update_order,
)
from samspill.sales.services.quotes import (
    AlreadyAnswered,
    BadLink,
    QuoteExpired,
    accept_by_token,
    accept_quote,
    create_quote,
    decline_by_token,
    decline_quote,
    expire_quotes,
    mark_quote_sent,
    public_url,
    quote_from_token,
    quote_html,
    quote_token,
    render_pdf,
    send_quote,
    update_quote,
)

__all__ = [
    "AlreadyAnswered",
    "BadLink",
    "CannotCancel",
    "LineInput",
    "QuoteExpired",
    "WrongState",
    "accept_by_token",
    "accept_quote",
    "cancel_order",
    "confirm_order",
    "create_order",
    "create_quote",
    "decline_by_token",
    "decline_quote",
    "expire_quotes",
    "invoice_order",
    "invoiceable",
    "mark_quote_sent",
    "order_for_invoicing",
    "public_url",
    "quote_from_token",
    "quote_html",
    "quote_token",
    "record_delivery",
    "record_invoice",
    "record_payment",
    "render_pdf",
    "send_quote",
    "update_order",
    "update_quote",
    "vat_breakdown",
]
