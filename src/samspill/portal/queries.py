"""Read side of the customer portal. Every lookup is scoped by the signed-in customer's
party: a record of another customer is "not found", exactly like one that does not exist,
and the attempt is logged. Other domains are read through their queries only."""

from __future__ import annotations

import logging

from django.db.models import QuerySet

from samspill.accounting.queries import invoices as accounting
from samspill.helpdesk import queries as helpdesk
from samspill.platform.errors import NotFound
from samspill.portal.models import PortalAccess
from samspill.sales import queries as sales

log = logging.getLogger("samspill.portal")

HIDDEN_ORDER_STATUSES = ("draft",)  # a draft order is the seller's work in progress


def _not_found(access: PortalAccess, kind: str, pk) -> NotFound:
    """Log a lookup outside the customer's records (a guessed id) and answer 404."""
    log.warning(
        "portal lookup outside the customer's records",
        extra={
            "portal_access": access.pk,
            "customer": access.customer_id,
            "kind": kind,
            "requested_id": str(pk)[:40],
        },
    )
    return NotFound(code=f"{kind}_not_found")


def _get(access: PortalAccess, queryset: QuerySet, kind: str, pk):
    row = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if row is None:
        raise _not_found(access, kind, pk)
    return row


# --- Tickets ------------------------------------------------------------------------------------


def tickets(access: PortalAccess):
    return (
        helpdesk.ticket_list(None)
        .filter(party_id=access.customer_id, merged_into__isnull=True)
        .select_related("contact")
        .order_by("-id")
    )


def ticket(access: PortalAccess, pk):
    return _get(access, tickets(access), "ticket", pk)


def conversation(ticket) -> list:
    """What the customer sees: their messages and the replies, never internal notes."""
    return helpdesk.conversation(ticket)["customer"]


def satisfaction(ticket):
    return getattr(ticket, "satisfaction", None)


# --- Orders -------------------------------------------------------------------------------------


def orders(access: PortalAccess):
    return (
        sales.order_list(None)
        .filter(party_id=access.customer_id)
        .exclude(status__in=HIDDEN_ORDER_STATUSES)
        .order_by("-order_date", "-id")
    )


def order(access: PortalAccess, pk):
    return _get(access, orders(access), "order", pk)


def order_lines(order) -> list:
    return sales.lines_of(order)


# --- Invoices -----------------------------------------------------------------------------------


def invoices(access: PortalAccess):
    """Posted invoices and credit notes with what is still open, due date and KID."""
    return (
        accounting.invoices(None)
        .filter(party_id=access.customer_id)
        .exclude(state="draft")
        .order_by("-invoice_date", "-id")
    )


def invoice(access: PortalAccess, pk):
    return _get(access, invoices(access), "invoice", pk)


# --- Staff: who has access ------------------------------------------------------------------------


def accesses(user=None) -> QuerySet[PortalAccess]:
    from samspill.platform.permissions import VIEW, restrict

    return restrict(
        PortalAccess.objects.select_related("person", "customer", "invited_by"), user, VIEW
    )


def access_of(person) -> PortalAccess | None:
    return PortalAccess.objects.filter(person=person).select_related("customer").first()


def accesses_for_party(party) -> list[PortalAccess]:
    """The portal accesses of a party's page: the person's own, or an organisation's contacts."""
    from django.db.models import Q

    return list(
        PortalAccess.objects.filter(Q(person=party) | Q(customer=party))
        .select_related("person", "customer")
        .order_by("email")
    )
