"""Customer invoices and credit notes: drafts, posting (gapless number, KID, one ledger
entry), credit notes matched with their invoice, sending by e-mail.

A line is a dict: `product` (id or Product, optional), `description` (required without a
product), `quantity`, `unit`, `unit_price` (else the catalog's price), `discount_percent`,
`vat_code` (code; else the product's VAT category's sales code, else 3), `order_line_id`.
Amounts are Decimal, rounded half up to the øre per line; VAT is rounded once per rate.
The revenue account of a line is the sales account whose default VAT code is the line's.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from stdnum import luhn

from samspill.accounting import events
from samspill.accounting.models import (
    ZERO,
    Account,
    Invoice,
    InvoiceLine,
    JournalLine,
)
from samspill.accounting.services import entries, matching
from samspill.accounting.services.common import CENT
from samspill.catalog import queries as catalog
from samspill.localization.no import chart
from samspill.localization.no.models import VatCode
from samspill.localization.no.queries import vat_code_for_category, vat_codes_for_categories
from samspill.organization import queries as organization
from samspill.parties.models import Party
from samspill.platform import audit
from samspill.platform.errors import Conflict, DomainError, NotFound, ValidationFailed
from samspill.platform.events import publish
from samspill.platform.money import HUNDRED, compute_line, money
from samspill.platform.numbering import next_value
from samspill.platform.permissions import require

MAX_LINES = 500
MAX_QUANTITY = Decimal("1e9")
MAX_PRICE = Decimal("1e11")
DEFAULT_VAT_CODE = "3"
HEADER_FIELDS = (
    "invoice_date",
    "payment_days",
    "due_date",
    "currency",
    "exchange_rate",
    "language",
    "reference",
    "notes",
)


class WrongState(Conflict):
    code = "wrong_state"


def _check(actor, perm: str) -> None:
    if actor is not None:
        require(actor, perm)


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors)


def _decimal(value, field: str, errors, *, default=None) -> Decimal | None:
    if value in (None, ""):
        return default
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(field, []).append(_("Enter a number."))
        return None
    return number


# --- KID ------------------------------------------------------------------------------------


def mod11_check_digit(digits: str) -> str:
    """The Norwegian MOD11 check digit (weights 2-7 from the right): "-" when the remainder
    leaves 10, as the banks' KID rules say. python-stdnum has no Norwegian KID module and
    its iso7064 mod_11_10 is another algorithm."""
    total = sum(int(d) * (2 + i % 6) for i, d in enumerate(reversed(digits)))
    check = 11 - total % 11
    return {11: "0", 10: "-"}.get(check, str(check))


def make_kid(number: str, method: str) -> str:
    """The KID of an invoice number: its digits and a MOD10 (Luhn) or MOD11 check digit."""
    digits = "".join(c for c in number if c.isdigit())
    if method == "mod11":
        return digits + mod11_check_digit(digits)
    return digits + luhn.calc_check_digit(digits)


def kid_is_valid(kid: str) -> bool:
    """True when the KID's check digit is right by MOD10 or by MOD11."""
    kid = (kid or "").strip()
    if len(kid) < 2 or not kid[:-1].isdigit():
        return False
    return mod11_check_digit(kid[:-1]) == kid[-1] or (kid.isdigit() and luhn.is_valid(kid))


# --- Lines and totals ------------------------------------------------------------------------


def _sales_accounts() -> dict[str, Account]:
    """The revenue account of each sales VAT code: the lowest-numbered active income account
    whose default VAT code it is."""
    result: dict[str, Account] = {}
    for account in (
        Account.objects.filter(
            kind=Account.Kind.INCOME, active=True, default_vat_code__isnull=False
        )
        .select_related("default_vat_code")
        .order_by("number")
    ):
        assert account.default_vat_code is not None
        result.setdefault(account.default_vat_code.code, account)
    return result


def vat_breakdown(lines) -> list[dict[str, Any]]:
    """Net and VAT per VAT code (and rate): the VAT of a rate is its net sum × rate,
    rounded once, as sales documents do."""
    nets: dict[str, Decimal] = defaultdict(lambda: ZERO)
    codes: dict[str, Any] = {}
    for line in lines:
        code = line.vat_code
        nets[code.code] += line.net_amount
        codes[code.code] = code
    rows = []
    for key in sorted(nets, key=lambda k: (-codes[k].rate, k)):
        code = codes[key]
        net = money(nets[key])
        rows.append(
            {
                "code": code,
                "rate": code.rate,
                "net": net,
                "vat": money(net * code.rate / HUNDRED) if code.computes_vat else ZERO,
            }
        )
    return rows


def _set_totals(invoice: Invoice, lines) -> None:
    rows = vat_breakdown(lines)
    invoice.net_total = money(sum((r["net"] for r in rows), ZERO))
    invoice.vat_total = money(sum((r["vat"] for r in rows), ZERO))
    invoice.total = invoice.net_total + invoice.vat_total


def _build_lines(raw_lines, *, invoice: Invoice, errors) -> list[InvoiceLine]:
    if not isinstance(raw_lines, list | tuple) or not raw_lines:
        errors.setdefault("lines", []).append(_("Add at least one line."))
        return []
    if len(raw_lines) > MAX_LINES:
        errors.setdefault("lines", []).append(
            _("A document has at most %(max)s lines.") % {"max": MAX_LINES}
        )
        return []
    product_ids = set()
    for raw in raw_lines:
        value = raw.get("product") if isinstance(raw, dict) else None
        value = getattr(value, "pk", value)
        if value not in (None, "") and str(value).isdigit():
            product_ids.add(int(value))
    products = {p.pk: p for p in catalog.product_list(None).filter(pk__in=product_ids)}
    codes = {c.code: c for c in VatCode.objects.filter(direction=VatCode.Direction.SALES)}
    accounts = _sales_accounts()
    category_codes = vat_codes_for_categories(p.vat_category for p in products.values())
    result: list[InvoiceLine] = []
    to_price: list[tuple[InvoiceLine, Any]] = []
    for index, raw in enumerate(raw_lines):
        prefix = f"lines.{index}."
        if not isinstance(raw, dict):
            errors.setdefault(prefix + "description", []).append(_("Enter a line."))
            continue
        product = None
        value = raw.get("product")
        value = getattr(value, "pk", value)
        if value not in (None, ""):
            product = products.get(int(value)) if str(value).isdigit() else None
            if product is None:
                errors.setdefault(prefix + "product", []).append(_("Choose a product."))
                continue
        description = str(raw.get("description") or "").strip()[:300]
        if not description and product is not None:
            description = product.name_in(invoice.language)
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
        if price is not None and (price < 0 or price >= MAX_PRICE):
            errors.setdefault(prefix + "unit_price", []).append(
                _("The unit price cannot be negative.")
            )
            price = None
        if price is None and product is None and prefix + "unit_price" not in errors:
            errors.setdefault(prefix + "unit_price", []).append(_("Enter a unit price."))
        discount = _decimal(raw.get("discount_percent"), prefix + "discount_percent", errors)
        if discount is not None and not (0 <= discount <= HUNDRED):
            errors.setdefault(prefix + "discount_percent", []).append(
                _("The discount must be between 0 and 100 %.")
            )
            discount = None
        code_value = str(raw.get("vat_code") or "").strip()
        code: VatCode | None
        if code_value:
            code = codes.get(code_value)
            if code is None or not code.active:
                errors.setdefault(prefix + "vat_code", []).append(
                    _("Choose an active sales VAT code.")
                )
                continue
        elif product is not None:
            if product.vat_category not in category_codes:
                try:
                    category_codes[product.vat_category] = vat_code_for_category(
                        product.vat_category
                    )
                except NotFound as exc:
                    errors.setdefault(prefix + "vat_code", []).append(str(exc.message))
                    continue
            code = category_codes[product.vat_category]
        else:
            code = codes.get(DEFAULT_VAT_CODE)
        if code is None:
            errors.setdefault(prefix + "vat_code", []).append(_("Choose an active sales VAT code."))
            continue
        account = accounts.get(code.code)
        if account is None:
            errors.setdefault(prefix + "vat_code", []).append(
                _("No sales account uses VAT code %(code)s.") % {"code": code.code}
            )
            continue
        order_line = raw.get("order_line_id")
        line = InvoiceLine(
            position=index + 1,
            product=product,
            order_line_id=int(str(order_line)) if str(order_line or "").isdigit() else None,
            sku=product.sku if product is not None else "",
            description=description,
            quantity=quantity or Decimal("1"),
            unit=(
                str(raw.get("unit") or "").strip()[:10]
                or (product.unit.code if product is not None else "stk")
            ),
            unit_price=money(price) if price is not None else ZERO,
            discount_percent=(discount or ZERO).quantize(CENT),
            vat_code=code,
            vat_rate=code.rate if code.computes_vat else ZERO,
            account=account,
        )
        if price is None and product is not None and quantity is not None:
            to_price.append((line, product))
        result.append(line)
    if to_price and not errors:
        try:
            prices = catalog.prices_for(
                [(p, line.quantity) for line, p in to_price],
                on=invoice.invoice_date,
                currency=invoice.currency,
            )
        except DomainError as exc:
            errors.setdefault("lines", []).append(str(exc.message))
            return []
        for (line, _product), price_ in zip(to_price, prices, strict=True):
            line.unit_price = money(price_.unit_price)
    for line in result:
        compute_line(line)
    return result


def _header(invoice: Invoice, data: dict, errors, *, creating: bool) -> None:
    company = organization.company()  # once: payment terms and base currency
    base_currency = (company.base_currency if company else "") or "NOK"
    if "invoice_date" in data or creating:
        value = data.get("invoice_date") or timezone.localdate()
        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value))
            except ValueError:
                errors.setdefault("invoice_date", []).append(_("Enter a valid date."))
                value = timezone.localdate()
        invoice.invoice_date = value
    if "payment_days" in data and data["payment_days"] not in (None, ""):
        days = _decimal(data["payment_days"], "payment_days", errors)
        if days is None or days < 0 or days > 365 or days != days.to_integral_value():
            errors.setdefault("payment_days", []).append(
                _("Enter the payment terms as 0 to 365 days.")
            )
        else:
            invoice.payment_days = int(days)
    elif creating:
        invoice.payment_days = company.invoice_payment_days if company else 14
    due = data.get("due_date")
    if due not in (None, ""):
        if not isinstance(due, date):
            try:
                due = date.fromisoformat(str(due))
            except ValueError:
                errors.setdefault("due_date", []).append(_("Enter a valid date."))
                due = None
        if due is not None and due < invoice.invoice_date:
            errors.setdefault("due_date", []).append(
                _("The due date cannot be before the invoice date.")
            )
        elif due is not None:
            invoice.due_date = due
            invoice.payment_days = (due - invoice.invoice_date).days
    else:
        invoice.due_date = invoice.invoice_date + timedelta(days=invoice.payment_days)
    if "currency" in data or creating:
        currency = str(data.get("currency") or base_currency).strip().upper()
        if len(currency) != 3 or not currency.isalpha():
            errors.setdefault("currency", []).append(
                _("Choose a currency by its ISO 4217 code, such as NOK, EUR or SEK.")
            )
        invoice.currency = currency
    if "exchange_rate" in data and data["exchange_rate"] not in (None, ""):
        rate = _decimal(data["exchange_rate"], "exchange_rate", errors)
        if rate is not None and not (Decimal("0") < rate < Decimal("100000")):
            errors.setdefault("exchange_rate", []).append(_("Enter a positive exchange rate."))
        elif rate is not None:
            invoice.exchange_rate = rate.quantize(Decimal("0.000001"))
    if invoice.currency == base_currency:
        invoice.exchange_rate = Decimal("1")
    elif invoice.exchange_rate == 1 and "exchange_rate" not in data:
        errors.setdefault("exchange_rate", []).append(
            _("Enter the exchange rate of %(currency)s.") % {"currency": invoice.currency}
        )
    if data.get("language"):
        if data["language"] not in ("nb", "en"):
            errors.setdefault("language", []).append(_("Choose Norwegian or English."))
        else:
            invoice.language = data["language"]
    for name in ("reference", "notes", "order_number"):
        if name in data and data[name] is not None:
            limit = 100 if name == "reference" else (30 if name == "order_number" else 5000)
            setattr(invoice, name, str(data[name]).strip()[:limit])


def _party(value, errors) -> Party | None:
    pk = getattr(value, "pk", value)
    party = Party.objects.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if party is None:
        errors.setdefault("party", []).append(_("There is no customer with this id."))
    return party


def _snapshot_lines(lines) -> list[str]:
    return [
        f"{line.description} × {line.quantity} à {line.unit_price} −{line.discount_percent} % "
        f"{line.vat_code.code}"
        for line in lines
    ]


@transaction.atomic
def create_invoice(
    *,
    actor,
    party,
    lines: list[dict],
    kind: str = Invoice.Kind.INVOICE,
    credited_invoice: Invoice | None = None,
    order_id: int | None = None,
    post: bool = False,
    **header,
) -> Invoice:
    """A draft invoice (or credit note); with `post=True` posted in the same transaction."""
    _check(actor, "accounting.add_invoice")
    unknown = set(header) - set(HEADER_FIELDS) - {"order_number"}
    if unknown:
        raise ValidationFailed(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    who = _party(party, errors)
    invoice = Invoice(
        kind=kind,
        party=who,
        credited_invoice=credited_invoice,
        order_id=order_id,
        language=_party_language(who),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    _header(invoice, header, errors, creating=True)
    rows = _build_lines(lines, invoice=invoice, errors=errors)
    _raise_if(errors)
    _set_totals(invoice, rows)
    invoice.save()
    for line in rows:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(rows)
    audit.record(
        "create",
        invoice,
        actor=actor,
        changes=audit.diff({}, {**audit.snapshot(invoice), "lines": _snapshot_lines(rows)}),
    )
    if post:
        return post_invoice(invoice, actor=actor)
    return invoice


def _party_language(party: Party | None) -> str:
    language = getattr(party, "language", "") or "nb"
    return "en" if str(language).startswith("en") else "nb"


def _lock(invoice: Invoice) -> Invoice:
    return (
        Invoice.objects.select_for_update(of=("self",)).select_related("party").get(pk=invoice.pk)
    )


@transaction.atomic
def update_invoice(invoice: Invoice, *, actor, lines: list[dict] | None = None, **header):
    """Change a draft's header fields and (all of) its lines."""
    _check(actor, "accounting.change_invoice")
    invoice = _lock(invoice)
    if not invoice.is_draft:
        raise WrongState(_("A posted invoice cannot be changed; issue a credit note instead."))
    before = audit.snapshot(invoice)
    old = list(invoice.lines.select_related("vat_code"))
    errors: dict[str, list[str]] = {}
    if "party" in header:
        who = _party(header.pop("party"), errors)
        if who is not None:
            invoice.party = who
    _header(invoice, header, errors, creating=False)
    rows = old if lines is None else _build_lines(lines, invoice=invoice, errors=errors)
    _raise_if(errors)
    _set_totals(invoice, rows)
    invoice.save()
    changes = audit.diff(before, audit.snapshot(invoice))
    if lines is not None:
        invoice.lines.all().delete()
        for line in rows:
            line.invoice = invoice
        InvoiceLine.objects.bulk_create(rows)
        if _snapshot_lines(old) != _snapshot_lines(rows):
            changes["lines"] = [_snapshot_lines(old), _snapshot_lines(rows)]
    if changes:
        audit.record("update", invoice, actor=actor, changes=changes)
    return invoice


@transaction.atomic
def delete_invoice(invoice: Invoice, *, actor) -> None:
    _check(actor, "accounting.delete_invoice")
    invoice = _lock(invoice)
    if not invoice.is_draft:
        raise WrongState(_("A posted invoice cannot be deleted; issue a credit note instead."))
    audit.record("delete", invoice, actor=actor, changes=audit.diff(audit.snapshot(invoice), {}))
    invoice.delete()


# --- Posting -----------------------------------------------------------------------------------


def _next_number(year: int) -> str:
    """Invoice and credit note numbers share one gapless series a year: "202600001"."""
    return f"{year}{next_value('accounting.invoice', year):05d}"


def _ledger_lines(invoice: Invoice, lines: list[InvoiceLine]) -> list[dict]:
    """Revenue per account and VAT code (the ledger adds the VAT), converted to the base
    currency, and the receivable on 1500 with the customer and due date. Credit notes
    turn every side around."""
    groups: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    codes: dict[str, VatCode] = {}
    for line in lines:
        groups[(line.account.number, line.vat_code.code)] += line.net_amount
        codes[line.vat_code.code] = line.vat_code
    revenue_side, receivable_side = (
        ("debit", "credit") if invoice.is_credit_note else ("credit", "debit")
    )
    text = f"{invoice.get_kind_display()} {invoice.number} {invoice.party.display_name}"[:200]
    result = []
    receivable = ZERO
    for (account, code), net in sorted(groups.items()):
        base = money(net * invoice.exchange_rate)
        vat = entries._vat_amount(base, codes[code].rate) if codes[code].computes_vat else ZERO
        receivable += base + vat
        if base == 0:
            continue
        result.append(
            {"account": account, revenue_side: base, "vat_code": code, "description": text}
        )
    result.insert(
        0,
        {
            "account": chart.RECEIVABLE,
            receivable_side: receivable,
            "party": invoice.party,
            "due_date": invoice.due_date,
            "description": text,
        },
    )
    return result


@transaction.atomic
def post_invoice(invoice: Invoice, *, actor) -> Invoice:
    """Post a draft: next invoice number of its year, KID, the ledger entry (SAL), and
    `accounting.invoice.posted`. A credit note is matched with its invoice's receivable."""
    _check(actor, "accounting.post_invoice")
    invoice = _lock(invoice)
    if not invoice.is_draft:
        raise WrongState(_("The invoice is already posted."))
    lines = list(invoice.lines.select_related("account", "vat_code").order_by("position", "id"))
    if not lines:
        raise ValidationFailed(
            _("Add at least one line."), errors={"lines": [_("Add at least one line.")]}
        )
    if invoice.total <= 0:
        raise ValidationFailed(
            _("The total must be greater than zero."),
            errors={"lines": [_("The total must be greater than zero.")]},
        )
    credited = None
    if invoice.is_credit_note:
        if invoice.credited_invoice_id is None:
            raise ValidationFailed(_("A credit note must name the invoice it credits."))
        credited = Invoice.objects.select_for_update().get(pk=invoice.credited_invoice_id)
        if credited.is_draft or credited.receivable_line_id is None:
            raise WrongState(_("Only a posted invoice can be credited."))
        if credited.party_id != invoice.party_id:
            raise ValidationFailed(_("A credit note must be for the customer of its invoice."))
    company = organization.company()
    invoice.number = _next_number(invoice.invoice_date.year)
    invoice.kid = make_kid(invoice.number, company.kid_method if company else "mod10")
    entry = entries.create_entry(
        actor=None,
        journal="SAL",
        date=invoice.invoice_date,
        description=f"{invoice.get_kind_display()} {invoice.number}",
        lines=_ledger_lines(invoice, lines),
        post=True,
    )
    receivable = JournalLine.objects.select_related("account").get(
        entry=entry, account__number=chart.RECEIVABLE
    )
    invoice.entry = entry
    invoice.receivable_line = receivable
    invoice.state = Invoice.State.POSTED
    invoice.posted_at = timezone.now()
    invoice.posting_error = ""
    invoice.save(
        update_fields=[
            "number",
            "kid",
            "entry",
            "receivable_line",
            "state",
            "posted_at",
            "posting_error",
        ]
    )
    audit.record(
        "update",
        invoice,
        actor=actor,
        changes={"state": ["draft", "posted"], "number": [None, invoice.number]},
        object_repr=invoice.number,
    )
    amount = invoice.total * invoice.sign
    publish(
        events.InvoicePosted(
            invoice_id=invoice.pk,
            number=invoice.number,
            kind=invoice.kind,
            party_id=invoice.party_id,
            order_id=invoice.order_id,
            amount=str(amount),
            currency=invoice.currency,
            due_date=invoice.due_date.isoformat(),
            kid=invoice.kid,
            credited_invoice_id=invoice.credited_invoice_id,
        ),
        actor=actor,
    )
    if credited is not None:
        assert credited.receivable_line_id is not None
        pair = list(
            JournalLine.objects.select_for_update()
            .select_related("account")
            .filter(pk__in=[credited.receivable_line_id, receivable.pk])
        )
        matching.match(pair, actor=actor)
        refresh_states([credited.pk, invoice.pk], actor=actor)
    return invoice


@transaction.atomic
def create_credit_note(
    invoice: Invoice, *, actor, lines: list[dict] | None = None, post: bool = False, **header
) -> Invoice:
    """A credit note for a posted invoice: by default every line of it (a full credit)."""
    _check(actor, "accounting.add_invoice")
    if invoice.is_credit_note:
        raise WrongState(_("A credit note cannot be credited."))
    if invoice.is_draft:
        raise WrongState(_("Only a posted invoice can be credited."))
    if lines is None:
        lines = [
            {
                "product": line.product_id,
                "order_line_id": line.order_line_id,
                "description": line.description,
                "quantity": line.quantity,
                "unit": line.unit,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
                "vat_code": line.vat_code.code,
            }
            for line in invoice.lines.select_related("vat_code").order_by("position", "id")
        ]
    header.setdefault("currency", invoice.currency)
    header.setdefault("exchange_rate", invoice.exchange_rate)
    header.setdefault("reference", invoice.reference)
    header.setdefault("language", invoice.language)
    header.setdefault("payment_days", 0)
    return create_invoice(
        actor=actor,
        party=invoice.party,
        lines=lines,
        kind=Invoice.Kind.CREDIT_NOTE,
        credited_invoice=invoice,
        order_id=invoice.order_id,
        order_number=invoice.order_number,
        post=post,
        **header,
    )


def refresh_states(invoice_ids, *, actor) -> None:
    """Set posted invoices partly paid / paid from their open amounts (one query), and
    publish `accounting.invoice.paid` when one becomes paid."""
    from samspill.accounting.queries.invoices import with_open_amount
    from samspill.accounting.queries.ledger import cents

    rows = list(
        with_open_amount(Invoice.objects.filter(pk__in=list(invoice_ids)).exclude(state="draft"))
    )
    for invoice in rows:
        open_amount = cents(invoice.open_amount)
        if invoice.is_credit_note:
            state = Invoice.State.PAID if open_amount == 0 else Invoice.State.POSTED
        elif open_amount <= 0:
            state = Invoice.State.PAID
        elif open_amount < cents(invoice.receivable_amount):
            state = Invoice.State.PARTLY_PAID
        else:
            state = Invoice.State.POSTED
        if state == invoice.state:
            continue
        Invoice.objects.filter(pk=invoice.pk).update(state=state)
        audit.record("update", invoice, actor=actor, changes={"state": [invoice.state, state]})
        if state == Invoice.State.PAID and not invoice.is_credit_note:
            publish(
                events.InvoicePaid(
                    invoice_id=invoice.pk,
                    number=invoice.number or "",
                    party_id=invoice.party_id,
                    order_id=invoice.order_id,
                ),
                actor=actor,
            )


# --- Output ------------------------------------------------------------------------------------


def invoice_html(invoice: Invoice) -> str:
    """The printable invoice (HTML) in the customer's language."""
    from samspill.accounting.queries import invoices as queries

    with translation.override(invoice.language):
        return render_to_string("accounting/invoice_pdf.html", queries.invoice_document(invoice))


def render_pdf(invoice: Invoice) -> bytes:
    from weasyprint import HTML

    return HTML(string=invoice_html(invoice)).write_pdf()


@transaction.atomic
def send_invoice(invoice: Invoice, *, actor, to: str = "", message: str = "", connection=None):
    """E-mail a posted invoice with its PDF. Nothing is marked sent when the mail fails."""
    from django.core.mail import EmailMessage
    from django.core.validators import validate_email

    _check(actor, "accounting.post_invoice")
    invoice = _lock(invoice)
    if invoice.is_draft:
        raise WrongState(_("Post the invoice before sending it."))
    address = (to or "").strip() or _party_email(invoice.party)
    if not address:
        text = _("The customer has no email address. Enter the address to send to.")
        raise ValidationFailed(text, errors={"to": [text]})
    try:
        validate_email(address)
    except Exception as exc:
        raise ValidationFailed(errors={"to": [_("Enter a valid email address.")]}) from exc
    pdf = render_pdf(invoice)
    with translation.override(invoice.language):
        label = invoice.get_kind_display()
        subject = f"{label} {invoice.number}"
        body = render_to_string(
            "accounting/invoice_email.txt", {"invoice": invoice, "message": message}
        )
    mail = EmailMessage(subject, body, to=[address], connection=connection)
    mail.attach(f"{invoice.number}.pdf", pdf, "application/pdf")
    before = invoice.sent_to
    invoice.sent_at = timezone.now()
    invoice.sent_to = address[:254]
    invoice.save(update_fields=["sent_at", "sent_to"])
    audit.record("update", invoice, actor=actor, changes={"sent_to": [before, address]})
    mail.send(fail_silently=False)
    return invoice


def _party_email(party: Party) -> str:
    from samspill.parties import queries as parties

    row = parties.party_list(None).filter(pk=party.pk).values("primary_email").first()
    return (row or {}).get("primary_email") or ""
