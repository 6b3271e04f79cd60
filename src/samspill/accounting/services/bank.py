"""Bank statements: importing the bank's ISO 20022 camt.053 file and matching its lines
with the books. A credit line whose KID is an open invoice's KID pays that invoice at once
(a payment on the bank journal, matched in the ledger); a credit line of the same amount as
the one open invoice of the payer is proposed, the payer found by the debtor account (the
customer's bank account on the party) before the payer's name; the rest is booked by hand
to an account."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from lxml import etree

from samspill.accounting import events
from samspill.accounting.models import BankStatement, BankStatementLine, Invoice
from samspill.accounting.queries.invoices import with_open_amount
from samspill.accounting.queries.ledger import cents
from samspill.accounting.services import entries
from samspill.accounting.services.common import CENT, fail
from samspill.accounting.services.payments import register_payment
from samspill.localization.no import chart
from samspill.organization import queries as organization
from samspill.parties.models import Party, bank_account_keys
from samspill.platform import audit
from samspill.platform.errors import Conflict
from samspill.platform.events import publish
from samspill.platform.permissions import require

KID_CONFIDENCE = 100
ACCOUNT_NAME_CONFIDENCE = 95  # the payer's bank account and name are the customer's
ACCOUNT_CONFIDENCE = 90  # the payer's bank account is the customer's
NAME_CONFIDENCE = 80
OPEN_STATES = (Invoice.State.POSTED, Invoice.State.PARTLY_PAID)


class AlreadyImported(Conflict):
    code = "already_imported"


class WrongLineState(Conflict):
    code = "wrong_state"


# --- Parsing ---------------------------------------------------------------------------------


@dataclass
class ParsedLine:
    date: date
    amount: Decimal
    currency: str
    kid: str = ""
    text: str = ""
    counterparty_name: str = ""
    counterparty_account: str = ""
    bank_reference: str = ""


@dataclass
class ParsedStatement:
    statement_id: str
    account: str
    currency: str
    period_start: date | None = None
    period_end: date | None = None
    opening_balance: Decimal | None = None
    closing_balance: Decimal | None = None
    lines: list[ParsedLine] = field(default_factory=list)


def _strip_namespaces(root) -> None:
    """camt.053.001.02, .03, .04, .08 ... differ in namespace: read them by local name."""
    for element in root.iter():
        if isinstance(element.tag, str):
            element.tag = etree.QName(element).localname


def _text(element, path: str) -> str:
    if element is None:
        return ""
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def _first(element, *paths: str) -> str:
    for path in paths:
        value = _text(element, path)
        if value:
            return value
    return ""


def _amount(element, path: str) -> Decimal | None:
    raw = _text(element, path)
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise fail(_("The file has an amount that is not a number: %s.") % raw, "file") from exc
    return value.quantize(CENT)


def _day(raw: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        try:
            return datetime.fromisoformat(raw).date()
        except ValueError:
            return None


def _signed(element, amount: Decimal | None) -> Decimal | None:
    if amount is None:
        return None
    return -amount if _text(element, "CdtDbtInd") == "DBIT" else amount


def _account_id(element) -> str:
    return re.sub(r"[\s.]", "", _first(element, "Id/IBAN", "Id/Othr/Id", "Id/BBAN")).upper()


def _party_name(element) -> str:
    # camt.053.001.02-.04: Dbtr/Nm; .08: Dbtr/Pty/Nm.
    return _first(element, "Nm", "Pty/Nm") if element is not None else ""


def _line(entry, details, day: date, currency: str, amount: Decimal) -> ParsedLine:
    credit = amount > 0
    parties = details.find("RltdPties") if details is not None else None
    other = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
    name = ""
    account = ""
    if parties is not None:
        name = _party_name(parties.find(other[0]))
        account_element = parties.find(other[1])
        account = _account_id(account_element) if account_element is not None else ""
    kid = ""
    unstructured: list[str] = []
    if details is not None:
        for reference in details.iterfind("RmtInf/Strd/CdtrRefInf/Ref"):
            kid = kid or (reference.text or "").strip()
        unstructured = [(u.text or "").strip() for u in details.iterfind("RmtInf/Ustrd")]
    text = " ".join(t for t in unstructured if t) or _text(entry, "AddtlNtryInf")
    if details is not None and not text:
        text = _text(details, "AddtlTxInf")
    reference = (
        _first(details, "Refs/AcctSvcrRef", "Refs/EndToEndId") if details is not None else ""
    )
    reference = reference or _text(entry, "AcctSvcrRef")
    return ParsedLine(
        date=day,
        amount=amount,
        currency=currency,
        kid=kid[:35],
        text=text[:500],
        counterparty_name=name[:140],
        counterparty_account=account[:34],
        bank_reference=("" if reference == "NOTPROVIDED" else reference)[:35],
    )


def parse_camt053(content: bytes | str) -> list[ParsedStatement]:
    """The statements of a camt.053 file; refuses what is not one."""
    if isinstance(content, str):
        content = content.encode("utf-8")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise fail(_("The file is not well-formed XML: %s") % exc, "file") from exc
    _strip_namespaces(root)
    if root.tag != "Document" or root.find("BkToCstmrStmt") is None:
        raise fail(_("The file is not a camt.053 bank statement."), "file")
    statements = root.findall("BkToCstmrStmt/Stmt")
    if not statements:
        raise fail(_("The file has no statement."), "file")
    parsed = []
    for stmt in statements:
        account = _account_id(stmt.find("Acct"))
        statement_id = _text(stmt, "Id")
        if not account or not statement_id:
            raise fail(_("A statement in the file has no id or no account."), "file")
        currency = _text(stmt, "Acct/Ccy") or organization.base_currency()
        statement = ParsedStatement(
            statement_id=statement_id[:35],
            account=account,
            currency=currency,
            period_start=_day(_text(stmt, "FrToDt/FrDtTm")),
            period_end=_day(_text(stmt, "FrToDt/ToDtTm")),
        )
        for balance in stmt.iterfind("Bal"):
            code = _first(balance, "Tp/CdOrPrtry/Cd", "Tp/CdOrPrtry/Prtry")
            amount = _signed(balance, _amount(balance, "Amt"))
            if code == "OPBD":
                statement.opening_balance = amount
            elif code == "CLBD":
                statement.closing_balance = amount
        for entry in stmt.iterfind("Ntry"):
            if _first(entry, "Sts/Cd", "Sts") not in ("BOOK", ""):
                continue  # pending or informational entries are not on the account yet
            amount = _signed(entry, _amount(entry, "Amt"))
            if amount is None:
                raise fail(_("An entry in the file has no amount."), "file")
            day = _day(_first(entry, "BookgDt/Dt", "BookgDt/DtTm", "ValDt/Dt", "ValDt/DtTm"))
            if day is None:
                raise fail(_("An entry in the file has no booking date."), "file")
            entry_currency = entry.find("Amt").get("Ccy") or currency
            details = entry.findall("NtryDtls/TxDtls")
            batch = len(details) > 1 and all(_first(d, "AmtDtls/TxAmt/Amt", "Amt") for d in details)
            if batch:
                sign = -1 if amount < 0 else 1
                for item in details:
                    raw = _amount(item, "AmtDtls/TxAmt/Amt") or _amount(item, "Amt")
                    assert raw is not None
                    statement.lines.append(_line(entry, item, day, entry_currency, sign * raw))
            else:
                item = details[0] if details else None
                statement.lines.append(_line(entry, item, day, entry_currency, amount))
        parsed.append(statement)
    return parsed


# --- Import ----------------------------------------------------------------------------------


def _is_company_account(account: str) -> bool:
    company = organization.company()
    if company is None:
        return False
    iban = (company.iban or "").upper()
    bban = company.bank_account or ""
    if iban and account == iban:
        return True
    return bool(bban) and (account == bban or (account.startswith("NO") and account[4:] == bban))


def _normal(name: str) -> str:
    return " ".join(name.casefold().split())


def _auto_match(lines: list[BankStatementLine], *, actor, base_currency: str) -> None:
    """KID equal to an open invoice's and amount within what is open -> paid (100); else
    the amount of the one open invoice of the payer -> proposed: the payer's account is the
    customer's bank account (90; 95 when the name agrees too), else the customer's name (80).
    Open invoices are read in one query by KID and one by payer; parties in one by account
    and one by name."""
    credits = [line for line in lines if line.amount > 0 and line.currency == base_currency]
    kids = {line.kid for line in credits if line.kid}
    by_kid: dict[str, Any] = {}
    if kids:
        for invoice in with_open_amount(
            Invoice.objects.select_related("party").filter(
                kind=Invoice.Kind.INVOICE, state__in=OPEN_STATES, kid__in=kids
            )
        ):
            by_kid[invoice.kid] = invoice
    left = {invoice.pk: cents(invoice.open_amount) for invoice in by_kid.values()}
    rest: list[BankStatementLine] = []
    for line in credits:
        invoice = by_kid.get(line.kid) if line.kid else None
        if invoice is not None and line.amount <= left[invoice.pk]:
            line.payment = register_payment(
                actor=actor,
                party=invoice.party,
                amount=line.amount,
                date=line.date,
                allocations=[{"invoice": invoice.pk, "amount": line.amount}],
                reference=(_("KID %(kid)s") % {"kid": line.kid})[:100],
            )
            left[invoice.pk] -= line.amount
            line.state = BankStatementLine.State.MATCHED
            line.proposed_invoice = invoice
            line.confidence = KID_CONFIDENCE
            line.save(update_fields=["payment", "state", "proposed_invoice", "confidence"])
        else:
            rest.append(line)
    names = {_normal(line.counterparty_name) for line in rest if line.counterparty_name}
    accounts = {line.counterparty_account for line in rest if line.counterparty_account}
    if not names and not accounts:
        return
    by_account: dict[str, int] = {}
    if accounts:
        keys = set().union(*(bank_account_keys(account) for account in accounts))
        for pk, account in Party.objects.filter(
            bank_account__in=keys, erased_at__isnull=True, merged_into__isnull=True
        ).values_list("pk", "bank_account"):
            for key in bank_account_keys(account):
                by_account.setdefault(key, pk)
    parties: dict[str, int] = {}
    if names:
        query = Q()
        for name in names:
            query |= Q(name__iexact=name)
        parties = {
            _normal(p.name): p.pk for p in Party.objects.filter(query, erased_at__isnull=True)
        }
    candidates: dict[int, list[Any]] = defaultdict(list)
    wanted = {*parties.values(), *by_account.values()}
    if wanted:
        for invoice in with_open_amount(
            Invoice.objects.filter(
                kind=Invoice.Kind.INVOICE, state__in=OPEN_STATES, party__in=wanted
            )
        ):
            candidates[invoice.party_id].append(invoice)
    for line in rest:
        by_name = parties.get(_normal(line.counterparty_name))
        payer = next(
            (
                by_account[k]
                for k in bank_account_keys(line.counterparty_account)
                if k in by_account
            ),
            None,
        )
        if payer is not None:
            confidence = ACCOUNT_NAME_CONFIDENCE if by_name == payer else ACCOUNT_CONFIDENCE
        else:
            payer, confidence = by_name, NAME_CONFIDENCE
        fitting = [
            invoice
            for invoice in candidates.get(payer or 0, [])
            if cents(invoice.open_amount) == line.amount
        ]
        if len(fitting) == 1:
            line.state = BankStatementLine.State.PROPOSED
            line.proposed_invoice = fitting[0]
            line.confidence = confidence
            line.save(update_fields=["state", "proposed_invoice", "confidence"])


@transaction.atomic
def import_camt053(content: bytes | str, *, actor) -> list[BankStatement]:
    """Import every statement of a camt.053 file and match its lines. Refused, with nothing
    written, when the file is not a statement, is for another account than the company's,
    or a statement in it was imported before."""
    if actor is not None:
        require(actor, "accounting.add_bankstatement")
    parsed = parse_camt053(content)
    for found in parsed:
        if not _is_company_account(found.account):
            raise fail(
                _(
                    "The statement is for account %(account)s, which is not the company's "
                    "bank account."
                )
                % {"account": found.account},
                "file",
            )
    keys = Q()
    for found in parsed:
        keys |= Q(account=found.account, statement_id=found.statement_id)
    if BankStatement.objects.filter(keys).exists():
        raise AlreadyImported(
            _("Statement %(id)s was imported before.")
            % {"id": ", ".join(s.statement_id for s in parsed)}
        )
    source = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
    base_currency = organization.base_currency()
    user = actor if actor is not None and actor.is_authenticated else None
    created: list[BankStatement] = []
    for item in parsed:
        try:  # another import of the same statement may have won the race since the check
            with transaction.atomic():
                statement = BankStatement.objects.create(
                    account=item.account,
                    statement_id=item.statement_id,
                    currency=item.currency,
                    period_start=item.period_start,
                    period_end=item.period_end,
                    opening_balance=item.opening_balance,
                    closing_balance=item.closing_balance,
                    source=source,
                    imported_by=user,
                )
        except IntegrityError as exc:
            raise AlreadyImported(
                _("Statement %(id)s was imported before.") % {"id": item.statement_id}
            ) from exc
        lines = BankStatementLine.objects.bulk_create(
            BankStatementLine(
                statement=statement,
                position=position,
                date=line.date,
                amount=line.amount,
                currency=line.currency,
                kid=line.kid,
                text=line.text,
                counterparty_name=line.counterparty_name,
                counterparty_account=line.counterparty_account,
                bank_reference=line.bank_reference,
            )
            for position, line in enumerate(item.lines, start=1)
        )
        _auto_match(lines, actor=actor, base_currency=base_currency)
        from samspill.accounting.services.bill_bank import propose_bills

        propose_bills(lines, base_currency=base_currency)
        matched = sum(1 for line in lines if line.state == BankStatementLine.State.MATCHED)
        proposed = sum(1 for line in lines if line.state == BankStatementLine.State.PROPOSED)
        audit.record("create", statement, actor=actor, changes=audit.diff({}, audit.snapshot(
            statement, exclude=("source",))))  # fmt: skip
        publish(
            events.BankStatementImported(
                statement_id=statement.pk,
                reference=statement.statement_id,
                account=statement.account,
                lines=len(lines),
                matched=matched,
                proposed=proposed,
                party_ids=sorted(
                    {line.payment.party_id for line in lines if line.payment is not None}
                ),
            ),
            actor=actor,
        )
        created.append(statement)
    return created


def _locked_line(line) -> BankStatementLine:
    pk = getattr(line, "pk", line)
    found = (
        BankStatementLine.objects.select_for_update().filter(pk=pk).first()
        if str(pk or "").isdigit()
        else None
    )
    if found is None:
        raise fail(_("There is no such bank statement line."), "line")
    return found


@transaction.atomic
def accept_proposal(line, *, actor) -> BankStatementLine:
    """Pay the proposed invoice with the line's amount."""
    if actor is not None:
        require(actor, "accounting.change_bankstatement")
    line = _locked_line(line)
    if line.state == BankStatementLine.State.PROPOSED and line.proposed_bill_id is not None:
        return _accept_bill(line, actor=actor)
    if line.state != BankStatementLine.State.PROPOSED or line.proposed_invoice_id is None:
        raise WrongLineState(_("Only a proposed line can be accepted."))
    invoice = Invoice.objects.get(pk=line.proposed_invoice_id)
    line.payment = register_payment(
        actor=actor,
        party=invoice.party_id,
        amount=line.amount,
        date=line.date,
        allocations=[{"invoice": invoice.pk, "amount": line.amount}],
        reference=(line.counterparty_name or line.text)[:100],
    )
    line.state = BankStatementLine.State.MATCHED
    line.save(update_fields=["payment", "state"])
    audit.record("change", line, actor=actor, changes={"state": ["proposed", "matched"]})
    return line


def _accept_bill(line: BankStatementLine, *, actor) -> BankStatementLine:
    """Money out proposed against a supplier bill: pay the bill with the line's amount."""
    from samspill.accounting.models import SupplierBill
    from samspill.accounting.services.bill_payments import pay_bills

    assert line.proposed_bill_id is not None
    bill = SupplierBill.objects.get(pk=line.proposed_bill_id)
    line.supplier_payment = pay_bills(
        actor=actor,
        party=bill.party_id,
        amount=-line.amount,
        date=line.date,
        allocations=[{"bill": bill.pk, "amount": -line.amount}],
        reference=(line.counterparty_name or line.text or bill.supplier_number)[:100],
    )
    line.state = BankStatementLine.State.MATCHED
    line.save(update_fields=["supplier_payment", "state"])
    audit.record("change", line, actor=actor, changes={"state": ["proposed", "matched"]})
    return line


@transaction.atomic
def book_line_to_account(line, account, *, actor) -> BankStatementLine:
    """Book an unmatched (or proposed) line against an account: money in credits it, money
    out debits it, the bank account takes the other side (bank journal)."""
    if actor is not None:
        require(actor, "accounting.change_bankstatement")
    line = _locked_line(line)
    if line.state not in (BankStatementLine.State.UNMATCHED, BankStatementLine.State.PROPOSED):
        raise WrongLineState(_("The line is already matched or booked."))
    if line.currency != organization.base_currency():
        raise fail(_("Only lines in the base currency can be booked."), "line")
    number = str(getattr(account, "number", account) or "").strip()
    if not number:
        raise fail(_("Choose an account."), "account")
    amount = abs(line.amount)
    text = (line.text or line.counterparty_name or _("Bank statement line"))[:200]
    bank = {"account": chart.BANK, "description": text}
    other = {"account": number, "description": text}
    if line.amount > 0:
        lines = [{**bank, "debit": amount}, {**other, "credit": amount}]
    else:
        lines = [{**other, "debit": amount}, {**bank, "credit": amount}]
    line.entry = entries.create_entry(
        actor=None, journal="BNK", date=line.date, description=text, lines=lines, post=True
    )
    previous = line.state
    line.state = BankStatementLine.State.BOOKED
    line.save(update_fields=["entry", "state"])
    audit.record("change", line, actor=actor, changes={"state": [previous, "booked"]})
    return line
