"""Reading an inbound e-mail: headers for threading, plain text and sanitised HTML, the
attachments, and whether it was sent by a machine (auto-reply, bounce, list) rather than a
person. Malformed MIME is read as far as it goes; nothing here raises on bad input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr

import nh3

TICKET_REF = re.compile(r"\[(T-\d{4}-\d{5,})\]")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
MACHINE_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply", "do-not-reply")
MAX_TEXT = 200_000


@dataclass
class Attachment:
    name: str
    content_type: str
    content: bytes


@dataclass
class InboundMail:
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_email: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""  # sanitised
    attachments: list[Attachment] = field(default_factory=list)
    auto_reason: str = ""  # why a machine sent it ("auto-submitted", "bounce" ...), or ""

    @property
    def ticket_number(self) -> str:
        match = TICKET_REF.search(self.subject)
        return match.group(1) if match else ""


def _header(msg, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # a header the policy cannot parse
        value = None
    return " ".join(str(value).split()) if value is not None else ""


def _ids(value: str) -> list[str]:
    return MESSAGE_ID.findall(value or "")


def sanitize_html(html: str) -> str:
    """Only harmless markup stays: no scripts, styles, event handlers, forms or remote
    images (nh3's defaults plus dropping <img>)."""
    tags = set(nh3.ALLOWED_TAGS) - {"img"}
    return nh3.clean(html, tags=tags, link_rel="noopener noreferrer nofollow")


def html_to_text(html: str) -> str:
    text = nh3.clean(re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>", "\n", html), tags=set())
    import html as html_lib

    return re.sub(r"\n{3,}", "\n\n", html_lib.unescape(text)).strip()


def _decode(part) -> str:
    try:
        content = part.get_content()
    except Exception:
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    return content if isinstance(content, str) else content.decode("utf-8", errors="replace")


def auto_reason(msg, from_email: str) -> str:
    auto = _header(msg, "Auto-Submitted").lower()
    if auto and auto != "no":
        return "auto-submitted"
    if _header(msg, "Precedence").lower() in AUTO_PRECEDENCE:
        return "precedence"
    if _header(msg, "X-Autoreply") or _header(msg, "X-Autorespond"):
        return "auto-reply"
    content_type = msg.get_content_type() if hasattr(msg, "get_content_type") else ""
    report = _header(msg, "Content-Type").lower()
    if content_type == "multipart/report" or "delivery-status" in report:
        return "bounce"
    if _header(msg, "Return-Path") == "<>":
        return "bounce"
    local = from_email.partition("@")[0].lower()
    if not from_email or local.startswith(MACHINE_SENDERS):
        return "machine-sender"
    if _header(msg, "List-Id") or _header(msg, "List-Unsubscribe"):
        return "list"
    return ""


def parse(raw: bytes) -> InboundMail:
    msg = message_from_bytes(raw, policy=policy.default)
    name, address = parseaddr(_header(msg, "From"))
    mail = InboundMail(
        message_id=(_ids(_header(msg, "Message-ID")) or [""])[0][:300],
        in_reply_to=(_ids(_header(msg, "In-Reply-To")) or [""])[0][:300],
        references=_ids(_header(msg, "References"))[-50:],
        subject=_header(msg, "Subject")[:300],
        from_email=address.strip().lower()[:254],
        from_name=name.strip()[:200],
        to=[a.lower() for _n, a in getaddresses([_header(msg, "To"), _header(msg, "Cc")]) if a],
    )
    mail.auto_reason = auto_reason(msg, mail.from_email)
    text_parts: list[str] = []
    html_parts: list[str] = []
    parts = list(msg.walk()) if isinstance(msg, EmailMessage) and msg.is_multipart() else [msg]
    for part in parts:
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = part.get_filename()
        ctype = part.get_content_type()
        if (
            disposition == "attachment"
            or (filename and disposition != "inline")
            or (filename and not ctype.startswith("text/"))
        ):
            payload = part.get_payload(decode=True) or b""
            mail.attachments.append(
                Attachment(str(filename or "attachment")[:200], ctype, bytes(payload))
            )
        elif ctype == "text/plain":
            text_parts.append(_decode(part))
        elif ctype == "text/html":
            html_parts.append(_decode(part))
    raw_html = "\n".join(html_parts)
    mail.html = sanitize_html(raw_html)[:MAX_TEXT] if raw_html else ""
    text = "\n".join(text_parts).strip() or (html_to_text(raw_html) if raw_html else "")
    mail.text = text[:MAX_TEXT]
    return mail
