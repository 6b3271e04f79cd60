"""Supplier bills (leverandørfaktura) and credit notes: drafts, submission for approval,
approval (posting one PUR voucher), rejection back to draft, and the three-way match with
purchase orders.

A line is a dict: `product` (id or Product, optional), `description` (required without a
product), `quantity`, `unit`, `unit_price`, `discount_percent`, `vat_code` (an input VAT
code; else the product's VAT category's purchase code, else the account's default, else 1),
`account` (number; else 2985 for stock received on a purchase order, else the account the
supplier's last approved bill used, else 4300 for goods and 7798 for the rest) and
`po_line_id` (the purchase order line it bills).

Posting (approval): the payable is credited to 2400 with the supplier, the due date and the
KID in the text; costs are debited per account and VAT code (the ledger adds input VAT).
Goods already received into stock were booked Dr 1460 / Cr 2985 by the receipt, so their
bill line clears 2985 instead of costing them again: the VAT basis is booked on 4300 with
the VAT code and moved on to 2985 at the value of the receipt (the purchase order price);
what the bill costs more or less than that (a price difference within tolerance) stays on
4300. Credit notes turn every side around.

Approval needs `accounting.approve_supplierbill`; when SAMSPILL["BILLS_FOUR_EYES"] is on
(default), the person who entered or submitted a bill cannot approve it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from samspill.accounting import events
from samspill.accounting.models import (
    ZERO,
    Account,
    JournalLine,
    SupplierBill,
    SupplierBillLine,
)
from samspill.accounting.services import entries
from samspill.accounting.services.common import CENT
from samspill.catalog import queries as catalog
from samspill.localization.no import chart
from samspill.localization.no.models import VatCode
from samspill.localization.no.queries import vat_codes_for_categories
from samspill.organization import queries as organization
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.money import HUNDRED, compute_line, money
from samspill.platform.numbering import next_number
from samspill.platform.permissions import require

MAX_LINES = 500
MAX_QUANTITY = Decimal("1e9")
MAX_PRICE = Decimal("1e11")
DEFAULT_VAT_CODE = "1"
GOODS_ACCOUNT = "4300"
SUNDRY_ACCOUNT = "7798"
GOODS_RECEIVED = "2985"
STOCK = "1460"
# Accounts that take the value of goods without VAT codes: the VAT basis goes through 4300.
STOCK_ACCOUNTS = (STOCK, GOODS_RECEIVED)
HEADER_FIELDS = (
    "bill_date",
    "due_date",
    "payment_days",
    "currency",
    "exchange_rate",
    "kid",
    "bank_account",
    "notes",
    "supplier_number",
    "purchase_order_id",
    "purchase_order_number",
    "credited_number",
)
OPEN_STATES = (SupplierBill.State.APPROVED, SupplierBill.State.PARTLY_PAID)


class WrongState(Conflict):
    code = "wrong_state"


class DuplicateBill(Conflict):
    code = "duplicate_bill"


class OutsideTolerance(Conflict):
    code = "outside_tolerance"


def option(name: str, default):
    return settings.SAMSPILL.get(name, default)


# --- Purchase order lines (purchasing registers its reader; accounting never imports it) ----

PurchaseLinesReader = Callable[[list[int]], dict[int, dict[str, Any]]]
PurchaseOrderReader = Callable[[int], dict[str, Any] | None]
_purchasing: dict[str, Any] = {}


def register_purchasing(lines: PurchaseLinesReader, order: PurchaseOrderReader) -> None:
    """Purchasing gives (1) the lines of its orders by id: `order_id`, `order_number`,
    `party_id`, `product_id`, `product_type`, `quantity`, `received_quantity`,
    `billed_quantity`, `unit_price`, `discount_percent` (the three-way match reads them);
    (2) one order by id: `id`, `number`, `party_id` and its `lines` (the same keys and
    `line_id`, `description`, `unit`), to prefill a bill from it."""
    _purchasing["lines"] = lines
    _purchasing["order"] = order


def purchase_lines(line_ids) -> dict[int, dict[str, Any]]:
    ids = sorted({int(pk) for pk in line_ids if pk})
    if not ids or "lines" not in _purchasing:
        return {}
    return _purchasing["lines"](ids)


def lines_from_purchase_order(order_id) -> tuple[dict[str, Any], list[dict]] | None:
    """The header and the proposed lines of a bill for a purchase order: per line what was
    received and not billed yet (services: ordered and not billed), at the order's price."""
    if "order" not in _purchasing or not str(order_id or "").isdigit():
        return None
    order = _purchasing["order"](int(order_id))
    if order is None:
        return None
    lines = []
    for row in order["lines"]:
        basis = (
            row["quantity"] if row.get("product_type") == "service" else row["received_quantity"]
        )
        open_quantity = Decimal(basis) - Decimal(row["billed_quantity"])
        if open_quantity <= 0:
            continue
        lines.append(
            {
                "product": row["product_id"],
                "description": row.get("description") or "",
                "quantity": open_quantity,
                "unit": row.get("unit") or "",
                "unit_price": row["unit_price"],
                "discount_percent": row["discount_percent"],
                "po_line_id": row["line_id"],
            }
        )
    header = {
        "party": order["party_id"],
        "purchase_order_id": order["id"],
        "purchase_order_number": order["number"],
    }
    return header, lines


# --- Validation helpers ------------------------------------------------------------------------


def _check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def _decimal(value, field: str, errors) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    return number


def _day(value, field: str, errors) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.setdefault(field, []).append(_("Enter a valid date."))
        return None


def _supplier(value, errors) -> Party | None:
    pk = getattr(value, "pk", value)
    party = (
        Party.objects.filter(pk=pk, erased_at__isnull=True).first()
        if str(pk or "").isdigit()
        else None
    )
    if party is None:
        errors.setdefault("party", []).append(_("There is no supplier with this id."))
    return party


def line_account_refusal(account: Account | None) -> str:
    """Why a bill line cannot be booked to this account, or ""."""
    if account is None:
        return _("Choose an existing account.")
    if not account.active:
        return _("Account %(number)s is not active.") % {"number": account.number}
    if (
        account.reconcilable
        or account.kind in (Account.Kind.INCOME, Account.Kind.EQUITY)
        or account.number[:2] in ("19", "27")
    ):
        return _(
            "Account %(number)s cannot take a bill line: choose a cost account (classes 4-7), "
            "a fixed asset or stock account, or 2985 for goods received."
        ) % {"number": account.number}
    return ""


def _last_accounts(party: Party | None) -> Account | None:
    """The account of the latest line on an approved bill of this supplier (its default)."""
    if party is None:
        return None
    line = (
        SupplierBillLine.objects.filter(bill__party=party, bill__entry__isnull=False)
        .select_related("account")
        .order_by("-bill__bill_date", "-bill_id", "position")
        .first()
    )
    return line.account if line is not None else None


def _build_lines(raw_lines, *, bill: SupplierBill, errors) -> list[SupplierBillLine]:
    if not isinstance(raw_lines, list | tuple) or not raw_lines:
        errors.setdefault("lines", []).append(_("Add at least one line."))
        return []
    if len(raw_lines) > MAX_LINES:
        errors.setdefault("lines", []).append(
            _("A document has at most %(max)s lines.") % {"max": MAX_LINES}
        )
        return []
    product_ids = set()
    account_numbers = {GOODS_ACCOUNT, SUNDRY_ACCOUNT, GOODS_RECEIVED}
    for raw in raw_lines:
        if not isinstance(raw, dict):
            continue
        value = getattr(raw.get("product"), "pk", raw.get("product"))
        if value not in (None, "") and str(value).isdigit():
            product_ids.add(int(value))
        number = getattr(raw.get("account"), "number", raw.get("account"))
        if number not in (None, ""):
            account_numbers.add(str(number).strip())
    products = {p.pk: p for p in catalog.product_list(None).filter(pk__in=product_ids)}
    codes = {c.code: c for c in VatCode.objects.filter(direction=VatCode.Direction.PURCHASE)}
    accounts = {
        a.number: a
        for a in Account.objects.filter(number__in=account_numbers).select_related(
            "default_vat_code"
        )
    }
    category_codes = vat_codes_for_categories(
        {p.vat_category for p in products.values()}, VatCode.Direction.PURCHASE
    )
    usual = _last_accounts(bill.party if bill.party_id else None)
    result: list[SupplierBillLine] = []
    for index, raw in enumerate(raw_lines):
        prefix = f"lines.{index}."
        if not isinstance(raw, dict):
            errors.setdefault(prefix + "description", []).append(_("Enter a line."))
            continue
        product = None
        value = getattr(raw.get("product"), "pk", raw.get("product"))
        if value not in (None, ""):
            product = products.get(int(value)) if str(value).isdigit() else None
            if product is None:
                errors.setdefault(prefix + "product", []).append(_("Choose a product."))
                continue
        description = str(raw.get("description") or "").strip()[:300]
        if not description and product is not None:
            description = product.name_in("nb")
        if not description:
            errors.setdefault(prefix + "description", []).append(
                _("Enter a description or choose a product.")
            )
        quantity = _decimal(raw.get("quantity"), prefix + "quantity", errors)
        if quantity is None and prefix + "quantity" not in errors:
            errors.setdefault(prefix + "quantity", []).append(_("Enter a quantity."))
        elif quantity is not None and (quantity <= 0 or quantity > MAX_QUANTITY):
            errors.setdefault(prefix + "quantity", []).append(
                _("The quantity must be a number greater than zero.")
            )
            quantity = None
        elif quantity is not None and quantity != quantity.quantize(Decimal("0.001")):
            errors.setdefault(prefix + "quantity", []).append(
                _("Use at most three decimals for the quantity.")
            )
            quantity = None
        price = _decimal(raw.get("unit_price"), prefix + "unit_price", errors)
        if price is None and prefix + "unit_price" not in errors:
            errors.setdefault(prefix + "unit_price", []).append(_("Enter a unit price."))
        elif price is not None and abs(price) >= MAX_PRICE:
            errors.setdefault(prefix + "unit_price", []).append(_("The unit price is too large."))
            price = None
        discount = _decimal(raw.get("discount_percent"), prefix + "discount_percent", errors)
        if discount is not None and not (0 <= discount <= HUNDRED):
            errors.setdefault(prefix + "discount_percent", []).append(
                _("The discount must be between 0 and 100 %.")
            )
            discount = None
        po_line = raw.get("po_line_id")
        po_line_id = int(str(po_line)) if str(po_line or "").isdigit() else None
        # The account: given, else stock received on an order, else the supplier's usual.
        number = getattr(raw.get("account"), "number", raw.get("account"))
        number = str(number or "").strip()
        account: Account | None
        if number:
            account = accounts.get(number)
            refusal = line_account_refusal(account)
            if refusal:
                errors.setdefault(prefix + "account", []).append(refusal)
                continue
        elif po_line_id and product is not None and product.product_type == "stockable":
            account = accounts.get(GOODS_RECEIVED)
        elif usual is not None and not (product is not None and product.product_type != "service"):
            account = usual
        elif product is not None and product.product_type != "service":
            account = accounts.get(GOODS_ACCOUNT)
        else:
            account = usual or accounts.get(SUNDRY_ACCOUNT)
        if account is None:
            errors.setdefault(prefix + "account", []).append(_("Choose an existing account."))
            continue
        # The input VAT code: given, else the product's, else the account's, else 1.
        code_value = str(getattr(raw.get("vat_code"), "code", raw.get("vat_code")) or "").strip()
        code: VatCode | None
        if code_value:
            code = codes.get(code_value)
            if code is None or not code.active:
                errors.setdefault(prefix + "vat_code", []).append(
                    _("Choose an active input VAT code (purchase).")
                )
                continue
        elif product is not None and category_codes.get(product.vat_category) is not None:
            code = category_codes[product.vat_category]
        elif (
            account.default_vat_code is not None
            and account.default_vat_code.direction == VatCode.Direction.PURCHASE
        ):
            code = account.default_vat_code
        else:
            code = codes.get(DEFAULT_VAT_CODE)
        if code is None:
            errors.setdefault(prefix + "vat_code", []).append(
                _("Choose an active input VAT code (purchase).")
            )
            continue
        if (
            code.computes_vat
            and account.vat_usage not in (Account.VatUsage.PURCHASE, Account.VatUsage.ANY)
            and account.number not in STOCK_ACCOUNTS
        ):
            errors.setdefault(prefix + "vat_code", []).append(
                _("Account %(account)s takes no input VAT: choose VAT code 0 or another account.")
                % {"account": account.number}
            )
            continue
        line = SupplierBillLine(
            position=index + 1,
            product=product,
            description=description,
            quantity=quantity or Decimal("1"),
            unit=(
                str(raw.get("unit") or "").strip()[:10]
                or (product.unit.code if product is not None else "stk")
            ),
            unit_price=money(price) if price is not None else ZERO,
            discount_percent=(discount or ZERO).quantize(CENT),
            vat_code=code,
            vat_rate=code.rate if charges_vat(code) else ZERO,
            account=account,
            po_line_id=po_line_id,
        )
        compute_line(line)
        result.append(line)
    return result


def charges_vat(code: VatCode) -> bool:
    """Whether the supplier charges the VAT of this code (standard input VAT): reverse charge
    and import VAT are computed by the ledger but not paid to the supplier."""
    return code.computes_vat and code.treatment == VatCode.Treatment.STANDARD


def vat_breakdown(lines) -> list[dict[str, Any]]:
    """Net and VAT per input VAT code: the VAT of a rate is its net sum × rate, rounded once."""
    nets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    codes: dict[str, VatCode] = {}
    for line in lines:
        nets[line.vat_code.code] += line.net_amount
        codes[line.vat_code.code] = line.vat_code
    rows = []
    for key in sorted(nets, key=lambda k: (-codes[k].rate, k)):
        code = codes[key]
        net = money(nets[key])
        vat = money(net * code.rate / HUNDRED) if charges_vat(code) else ZERO
        rows.append({"code": code, "rate": code.rate, "net": net, "vat": vat})
    return rows


def _set_totals(bill: SupplierBill, lines) -> None:
    rows = vat_breakdown(lines)
    bill.net_total = money(sum((r["net"] for r in rows), ZERO))
    bill.vat_total = money(sum((r["vat"] for r in rows), ZERO))
    bill.total = bill.net_total + bill.vat_total


def _header(bill: SupplierBill, data: dict, errors, *, creating: bool) -> None:
    base_currency = organization.base_currency() or "NOK"
    if "bill_date" in data or creating:
        bill.bill_date = (
            _day(data.get("bill_date"), "bill_date", errors)
            or getattr(bill, "bill_date", None)
            or timezone.localdate()
        )
    if "supplier_number" in data or creating:
        number = str(data.get("supplier_number") or "").strip()[:50]
        if not number:
            errors.setdefault("supplier_number", []).append(
                _("Enter the supplier's invoice number.")
            )
        bill.supplier_number = number
    due = _day(data.get("due_date"), "due_date", errors)
    days = _decimal(data.get("payment_days"), "payment_days", errors)
    if due is not None:
        if due < bill.bill_date:
            errors.setdefault("due_date", []).append(
                _("The due date cannot be before the bill date.")
            )
        bill.due_date = due
    elif days is not None:
        if days < 0 or days > 365 or days != days.to_integral_value():
            errors.setdefault("payment_days", []).append(
                _("Enter the payment terms as 0 to 365 days.")
            )
        else:
            bill.due_date = bill.bill_date + timedelta(days=int(days))
    elif creating or "bill_date" in data:
        company = organization.company()
        terms = company.invoice_payment_days if company else 14
        if creating or bill.due_date < bill.bill_date:
            bill.due_date = bill.bill_date + timedelta(days=terms)
    if "currency" in data or creating:
        currency = str(data.get("currency") or base_currency).strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            errors.setdefault("currency", []).append(
                _("Choose a currency by its ISO 4217 code, such as NOK, EUR or SEK.")
            )
        bill.currency = currency
    if data.get("exchange_rate") not in (None, ""):
        rate = _decimal(data["exchange_rate"], "exchange_rate", errors)
        if rate is not None and not (Decimal("0") < rate < Decimal("100000")):
            errors.setdefault("exchange_rate", []).append(_("Enter a positive exchange rate."))
        elif rate is not None:
            bill.exchange_rate = rate.quantize(Decimal("0.000001"))
    if bill.currency == base_currency:
        bill.exchange_rate = Decimal("1")
    if "kid" in data and data["kid"] is not None:
        kid = str(data["kid"]).replace(" ", "").strip()
        if len(kid) > 25:
            errors.setdefault("kid", []).append(_("A KID has at most 25 digits."))
        bill.kid = kid[:35]
    if "bank_account" in data and data["bank_account"] is not None:
        account = str(data["bank_account"]).replace(" ", "").replace(".", "").upper()
        bill.bank_account = account[:34]
    po = data.get("purchase_order_id")
    if "purchase_order_id" in data:
        bill.purchase_order_id = int(str(po)) if str(po or "").isdigit() else None
    for name, limit in (("notes", 5000), ("purchase_order_number", 30), ("credited_number", 50)):
        if name in data and data[name] is not None:
            setattr(bill, name, str(data[name]).strip()[:limit])


def _snapshot_lines(lines) -> list[str]:
    return [
        f"{line.description} × {line.quantity} à {line.unit_price} −{line.discount_percent} % "
        f"{line.account.number} {line.vat_code.code}"
        for line in lines
    ]


def _duplicate_message(bill: SupplierBill) -> str:
    return _("%(supplier)s's invoice %(number)s is registered already (bill %(bill)s).") % {
        "supplier": bill.party.display_name,
        "number": bill.supplier_number,
        "bill": bill.number,
    }


def _refuse_duplicate(bill: SupplierBill) -> None:
    other = (
        SupplierBill.objects.filter(
            party_id=bill.party_id, kind=bill.kind, supplier_number=bill.supplier_number
        )
        .exclude(pk=bill.pk)
        .select_related("party")
        .first()
    )
    if other is not None:
        raise DuplicateBill(
            _duplicate_message(other), errors={"supplier_number": [_duplicate_message(other)]}
        )


def _save_new(bill: SupplierBill) -> None:
    try:  # a concurrent registration of the same invoice may win between check and insert
        with transaction.atomic():
            bill.save()
    except IntegrityError as exc:
        _refuse_duplicate(bill)
        raise DuplicateBill(_("This supplier invoice is registered already.")) from exc


@transaction.atomic
def create_bill(
    *,
    actor,
    party,
    lines: list[dict],
    kind: str = SupplierBill.Kind.BILL,
    source: str = SupplierBill.Source.MANUAL,
    submit: bool = False,
    **header,
) -> SupplierBill:
    """A draft bill (or credit note) from a supplier; `submit=True` sends it for approval."""
    _check(actor, "accounting.add_supplierbill")
    unknown = set(header) - set(HEADER_FIELDS)
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    if kind not in SupplierBill.Kind.values:
        raise ValidationFailed(
            _("Choose bill or credit note."), errors={"kind": [_("Choose bill or credit note.")]}
        )
    errors: dict[str, list[str]] = {}
    supplier = _supplier(party, errors)
    bill = SupplierBill(
        kind=kind,
        source=source,
        party=supplier,
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _header(bill, header, errors, creating=True)
    rows = _build_lines(lines, bill=bill, errors=errors) if supplier is not None else []
    _raise_if(errors)
    _refuse_duplicate(bill)
    _set_totals(bill, rows)
    bill.number = next_number("accounting.bill", "LF", bill.bill_date)
    _save_new(bill)
    for line in rows:
        line.bill = bill
    SupplierBillLine.objects.bulk_create(rows)
    audit.record(
        "create",
        bill,
        actor=actor,
        changes=audit.diff({}, {**audit.snapshot(bill), "lines": _snapshot_lines(rows)}),
    )
    publish(
        events.BillReceived(
            bill_id=bill.pk,
            number=bill.number,
            kind=bill.kind,
            party_id=bill.party_id,
            supplier_number=bill.supplier_number,
            source=bill.source,
            amount=str(bill.total),
            currency=bill.currency,
            purchase_order_id=bill.purchase_order_id,
        ),
        actor=actor,
    )
    if submit:
        return submit_bill(bill, actor=actor)
    return bill


def _lock(bill) -> SupplierBill:
    pk = getattr(bill, "pk", bill)
    return SupplierBill.objects.select_for_update(of=("self",)).select_related("party").get(pk=pk)


@transaction.atomic
def update_bill(bill, *, actor, lines: list[dict] | None = None, **header) -> SupplierBill:
    """Change a draft's header fields and (all of) its lines."""
    _check(actor, "accounting.change_supplierbill")
    bill = _lock(bill)
    if not bill.is_editable:
        raise WrongState(_("Only a draft bill can be changed; reject it back to draft first."))
    unknown = set(header) - set(HEADER_FIELDS) - {"party"}
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    before = audit.snapshot(bill)
    old = list(bill.lines.select_related("vat_code", "account"))
    errors: dict[str, list[str]] = {}
    if "party" in header:
        who = _supplier(header.pop("party"), errors)
        if who is not None:
            bill.party = who
    _header(bill, header, errors, creating=False)
    rows = old if lines is None else _build_lines(lines, bill=bill, errors=errors)
    _raise_if(errors)
    _refuse_duplicate(bill)
    _set_totals(bill, rows)
    try:
        with transaction.atomic():
            bill.save()
    except IntegrityError as exc:
        raise DuplicateBill(_("This supplier invoice is registered already.")) from exc
    changes = audit.diff(before, audit.snapshot(bill))
    if lines is not None:
        bill.lines.all().delete()
        for line in rows:
            line.bill = bill
        SupplierBillLine.objects.bulk_create(rows)
        if _snapshot_lines(old) != _snapshot_lines(rows):
            changes["lines"] = [_snapshot_lines(old), _snapshot_lines(rows)]
    if changes:
        audit.record("update", bill, actor=actor, changes=changes)
    return bill


@transaction.atomic
def delete_bill(bill, *, actor) -> None:
    _check(actor, "accounting.delete_supplierbill")
    bill = _lock(bill)
    if not bill.is_editable:
        raise WrongState(_("Only a draft bill can be deleted."))
    audit.record("delete", bill, actor=actor, changes=audit.diff(audit.snapshot(bill), {}))
    from samspill.platform import records
    from samspill.platform.chatter import remove_chatter

    remove_chatter(records.content_type(bill), str(bill.pk))
    bill.delete()


# --- Workflow ------------------------------------------------------------------------------------


def _state_change(bill: SupplierBill, actor, old: str, **extra) -> None:
    audit.record(
        "update",
        bill,
        actor=actor,
        changes={"state": [old, bill.state], **{k: [None, v] for k, v in extra.items()}},
        object_repr=bill.number,
    )


@transaction.atomic
def submit_bill(bill, *, actor) -> SupplierBill:
    """Send a draft for approval: it must have lines and a total above zero."""
    _check(actor, "accounting.change_supplierbill")
    bill = _lock(bill)
    if bill.state != SupplierBill.State.DRAFT:
        raise WrongState(_("Only a draft can be sent for approval."))
    if not bill.lines.exists():
        raise ValidationFailed(
            _("Add at least one line."), errors={"lines": [_("Add at least one line.")]}
        )
    if bill.total <= 0:
        raise ValidationFailed(
            _("The total must be greater than zero."),
            errors={"lines": [_("The total must be greater than zero.")]},
        )
    bill.state = SupplierBill.State.AWAITING_APPROVAL
    bill.submitted_at = timezone.now()
    bill.rejection_reason = ""
    bill.save(update_fields=["state", "submitted_at", "rejection_reason"])
    _state_change(bill, actor, SupplierBill.State.DRAFT)
    publish(
        events.BillSubmitted(
            bill_id=bill.pk,
            number=bill.number,
            party_id=bill.party_id,
            amount=str(bill.total),
            currency=bill.currency,
        ),
        actor=actor,
    )
    return bill


@transaction.atomic
def reject_bill(bill, *, actor, reason: str) -> SupplierBill:
    """Send a bill awaiting approval back to draft with the reason."""
    _check(actor, "accounting.approve_supplierbill")
    reason = (reason or "").strip()[:500]
    if not reason:
        text = _("Give the reason for rejecting the bill.")
        raise ValidationFailed(text, errors={"reason": [text]})
    bill = _lock(bill)
    if bill.state != SupplierBill.State.AWAITING_APPROVAL:
        raise WrongState(_("Only a bill awaiting approval can be rejected."))
    bill.state = SupplierBill.State.DRAFT
    bill.rejection_reason = reason
    bill.save(update_fields=["state", "rejection_reason"])
    _state_change(bill, actor, SupplierBill.State.AWAITING_APPROVAL, reason=reason)
    publish(
        events.BillRejected(
            bill_id=bill.pk, number=bill.number, party_id=bill.party_id, reason=reason
        ),
        actor=actor,
    )
    return bill


def _tolerance(name: str, default: str) -> Decimal:
    return Decimal(str(option(name, default)))


def three_way_match(bill: SupplierBill, lines=None) -> list[dict[str, Any]]:
    """Per bill line that names a purchase order line: ordered, received, billed before,
    billed now, the order's net unit price and the bill's, and what is outside tolerance
    (quantity: billed in total beyond received; price: the bill's net unit price away from
    the order's by more than the tolerance %)."""
    lines = list(lines if lines is not None else bill.lines.order_by("position", "id"))
    linked = [line for line in lines if line.po_line_id]
    if not linked:
        return []
    orders = purchase_lines(line.po_line_id for line in linked)
    qty_tolerance = _tolerance("BILL_QUANTITY_TOLERANCE_PERCENT", "0")
    price_tolerance = _tolerance("BILL_PRICE_TOLERANCE_PERCENT", "2")
    this_bill: dict[int, Decimal] = defaultdict(lambda: ZERO)
    sign = -1 if bill.is_credit_note else 1
    for line in linked:
        if bill.entry_id is None:  # once approved, purchasing counts it as billed
            this_bill[line.po_line_id] += line.quantity * sign
    rows = []
    for line in linked:
        po = orders.get(line.po_line_id)
        row: dict[str, Any] = {"line": line, "po": po, "problems": []}
        if po is None:
            row["problems"].append(_("The purchase order line does not exist."))
            rows.append(row)
            continue
        if po.get("party_id") not in (None, bill.party_id):
            row["problems"].append(_("The purchase order is from another supplier."))
        ordered = Decimal(po["quantity"])
        received = Decimal(po["received_quantity"])
        before = Decimal(po["billed_quantity"])
        billed = before + this_bill[line.po_line_id]
        po_net = money(
            Decimal(po["unit_price"]) * (HUNDRED - Decimal(po["discount_percent"] or 0)) / HUNDRED
        )
        bill_net = (
            money(line.net_amount / line.quantity * bill.exchange_rate) if line.quantity else ZERO
        )
        row.update(
            ordered=ordered,
            received=received,
            billed_before=before,
            billed=billed,
            po_price=po_net,
            bill_price=bill_net,
            price_difference=bill_net - po_net,
        )
        goods = po.get("product_type") != "service"
        limit = (received if goods else ordered) * (HUNDRED + qty_tolerance) / HUNDRED
        if billed > limit:
            row["problems"].append(
                _("Billed %(billed)s, more than received %(received)s.")
                % {"billed": _qty(billed), "received": _qty(received if goods else ordered)}
            )
        if po_net and abs(bill_net - po_net) * HUNDRED > po_net * price_tolerance:
            row["problems"].append(
                _("Unit price %(bill)s differs from the order's %(order)s by more than %(pct)s %%.")
                % {"bill": bill_net, "order": po_net, "pct": price_tolerance.normalize()}
            )
        rows.append(row)
    return rows


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _ledger_lines(bill: SupplierBill, lines: list[SupplierBillLine], match_rows) -> list[dict]:
    """Costs per account and VAT code in the base currency (the ledger adds the VAT), goods
    received cleared from 2985 at the order's value, and the payable on 2400."""
    received_value: dict[int, Decimal] = {}
    for row in match_rows:
        if row.get("po") is not None and row["line"].account.number == GOODS_RECEIVED:
            received_value[row["line"].pk] = money(row["line"].quantity * row["po_price"])
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    codes: dict[str, VatCode] = {}
    for line in lines:
        base = money(line.net_amount * bill.exchange_rate)
        clearing = received_value.get(line.pk, base)
        group = groups[(line.account.number, line.vat_code.code)]
        group[0] += base
        group[1] += clearing
        codes[line.vat_code.code] = line.vat_code
    debit_cost = not bill.is_credit_note
    text = f"{bill.party.display_name} {bill.supplier_number}"[:200]
    result: list[dict] = []
    payable = ZERO

    def add(account: str, amount: Decimal, *, cost: bool, code: str | None = None) -> None:
        """A line on the cost side (`cost`) or against it; a negative amount turns over."""
        if amount == 0:
            return
        debit = (cost == debit_cost) == (amount > 0)
        line: dict = {"account": account, "description": text}
        line["debit" if debit else "credit"] = abs(amount)
        if code:
            line["vat_code"] = code
        result.append(line)

    for (number, code_key), (base, clearing) in sorted(groups.items()):
        code = codes[code_key]
        vat = entries._vat_amount(base, code.rate) if charges_vat(code) else ZERO
        payable += base + vat
        if base == 0:
            continue
        if number in STOCK_ACCOUNTS:
            # Goods on stock accounts take no VAT code: the VAT basis goes on 4300 with the
            # code and moves on to the stock account at the receipt's value; a price
            # difference stays on 4300.
            if code.computes_vat or clearing != base:
                add(GOODS_ACCOUNT, base, cost=True, code=code_key if code.computes_vat else None)
                add(GOODS_ACCOUNT, clearing, cost=False)
            add(number, clearing, cost=True)
        else:
            add(number, base, cost=True, code=code_key if code.computes_vat else None)
    kid = f" KID {bill.kid}" if bill.kid else ""
    result.insert(
        0,
        {
            "account": chart.PAYABLE,
            ("credit" if debit_cost else "debit"): payable,
            "party": bill.party,
            "due_date": bill.due_date,
            "description": f"{text}{kid}"[:200],
        },
    )
    return result


@transaction.atomic
def approve_bill(bill, *, actor, override_reason: str = "") -> SupplierBill:
    """Approve a bill awaiting approval and post it (PUR voucher). Refused when it bills more
    than was received or at another price than ordered beyond the tolerances, unless an
    `override_reason` is given; and, with four eyes on, when the approver entered it."""
    _check(actor, "accounting.approve_supplierbill")
    bill = _lock(bill)
    if bill.state != SupplierBill.State.AWAITING_APPROVAL:
        raise WrongState(_("Only a bill awaiting approval can be approved."))
    if (
        actor is not None
        and option("BILLS_FOUR_EYES", True)
        and bill.created_by_id is not None
        and bill.created_by_id == actor.pk
    ):
        raise PermissionDenied(
            _("You entered this bill; someone else must approve it (four-eyes rule).")
        )
    lines = list(
        bill.lines.select_related("account", "vat_code", "product").order_by("position", "id")
    )
    rows = three_way_match(bill, lines)
    problems = [p for row in rows for p in row["problems"]]
    override_reason = (override_reason or "").strip()[:500]
    if problems and not override_reason:
        raise OutsideTolerance(
            _(
                "The bill does not match the purchase order: %(problems)s "
                "Give a reason to approve it anyway."
            )
            % {"problems": " ".join(problems)},
            errors={"override_reason": problems},
        )
    entry = entries.create_entry(
        actor=None,
        journal="PUR",
        date=bill.bill_date,
        description=(
            f"{bill.get_kind_display()} {bill.number} {bill.party.display_name} "
            f"{bill.supplier_number}"
        )[:200],
        lines=_ledger_lines(bill, lines, rows),
        post=True,
    )
    payable = JournalLine.objects.get(entry=entry, account__number=chart.PAYABLE)
    bill.entry = entry
    bill.payable_line = payable
    bill.state = SupplierBill.State.APPROVED
    bill.approved_by = actor if actor is not None and actor.is_authenticated else None
    bill.approved_at = timezone.now()
    bill.override_reason = override_reason if problems else ""
    bill.save(
        update_fields=[
            "entry",
            "payable_line",
            "state",
            "approved_by",
            "approved_at",
            "override_reason",
        ]
    )
    _state_change(
        bill,
        actor,
        SupplierBill.State.AWAITING_APPROVAL,
        **({"override_reason": override_reason} if problems else {}),
    )
    sign = -1 if bill.is_credit_note else 1
    publish(
        events.BillApproved(
            bill_id=bill.pk,
            number=bill.number,
            kind=bill.kind,
            party_id=bill.party_id,
            supplier_number=bill.supplier_number,
            amount=str(bill.total * sign),
            currency=bill.currency,
            due_date=bill.due_date.isoformat(),
            kid=bill.kid,
            entry_id=entry.pk,
            purchase_order_id=bill.purchase_order_id,
            lines=[
                {"po_line_id": line.po_line_id, "quantity": str(line.quantity * sign)}
                for line in lines
                if line.po_line_id
            ],
            override_reason=bill.override_reason,
        ),
        actor=actor,
    )
    if bill.is_credit_note:
        _match_credit_note(bill, actor=actor)
    return bill


def _match_credit_note(credit: SupplierBill, *, actor) -> None:
    """A credit note that names the supplier's invoice it credits is matched with that
    bill's open payable when that bill is approved and open."""
    if not credit.credited_number:
        return
    from samspill.accounting.services import matching

    original = (
        SupplierBill.objects.select_for_update()
        .filter(
            party_id=credit.party_id,
            kind=SupplierBill.Kind.BILL,
            supplier_number=credit.credited_number,
            state__in=OPEN_STATES,
        )
        .first()
    )
    if original is None or original.payable_line_id is None:
        return
    pair = list(
        JournalLine.objects.select_for_update()
        .select_related("account")
        .filter(pk__in=[original.payable_line_id, credit.payable_line_id])
    )
    matching.match(pair, actor=actor)
    refresh_states([original.pk, credit.pk], actor=actor)


def refresh_states(bill_ids, *, actor) -> None:
    """Set approved bills partly paid / paid from what their payable still leaves open, and
    publish `accounting.bill.paid` when one becomes paid."""
    from samspill.accounting.queries.bills import with_open_amount
    from samspill.accounting.queries.ledger import cents

    rows = list(
        with_open_amount(
            SupplierBill.objects.filter(
                pk__in=list(bill_ids), payable_line__isnull=False
            ).select_related("payable_line")
        )
    )
    for bill in rows:
        open_amount = cents(bill.open_amount)
        full = cents(bill.payable_amount)
        if bill.is_credit_note:  # settled once matched with a bill or a refund
            paid = bill.payable_line is not None and bill.payable_line.match is not None
            state = SupplierBill.State.PAID if paid else SupplierBill.State.APPROVED
        elif open_amount <= 0:
            state = SupplierBill.State.PAID
        elif open_amount == full:
            state = SupplierBill.State.APPROVED
        else:
            state = SupplierBill.State.PARTLY_PAID
        if state == bill.state:
            continue
        SupplierBill.objects.filter(pk=bill.pk).update(state=state)
        audit.record("update", bill, actor=actor, changes={"state": [bill.state, state]})
        if state == SupplierBill.State.PAID and not bill.is_credit_note:
            publish(
                events.BillPaid(bill_id=bill.pk, number=bill.number, party_id=bill.party_id),
                actor=actor,
            )
