"""The built-in SMTP receiver (aiosmtpd) for companies that forward their service address to
Samspill: `samspill mail-gateway --host 0.0.0.0 --port 2525`.

Each message is handed to `services.receive_email` in a worker thread (the ORM is
synchronous). A message that cannot be stored right now (database down) is answered with a
temporary 451, so the sending server keeps it and retries: nothing is lost."""

from __future__ import annotations

import asyncio
import logging

from aiosmtpd.controller import Controller
from django.db import close_old_connections

from samspill.platform.errors import DomainError

log = logging.getLogger(__name__)
MAX_MESSAGE_BYTES = 30 * 1024 * 1024


def deliver(content: bytes, recipients: list[str]) -> str:
    from samspill.helpdesk.services.inbound import receive_email

    close_old_connections()
    try:
        result = receive_email(content, recipients=recipients)
    except DomainError as exc:  # a message we will never accept (bad sender address ...)
        log.warning("inbound mail refused", extra={"reason": str(exc.message)})
        return "550 5.6.0 Message refused: " + str(exc.message).replace("\n", " ")[:200]
    except Exception:
        log.exception("inbound mail could not be stored")
        return "451 4.3.0 Temporary failure, try again later"
    finally:
        close_old_connections()
    if result.ignored:
        log.info("inbound mail not turned into a ticket", extra={"reason": result.ignored})
    return "250 2.0.0 OK"


class Handler:
    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", errors="replace")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            None, deliver, content, [str(r).lower() for r in envelope.rcpt_tos]
        )


def controller(host: str = "127.0.0.1", port: int = 2525) -> Controller:
    return Controller(
        Handler(), hostname=host, port=port, data_size_limit=MAX_MESSAGE_BYTES, decode_data=False
    )
