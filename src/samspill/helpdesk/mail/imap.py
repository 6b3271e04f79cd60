"""Polling IMAP mailboxes (imapclient). Each mailbox remembers UIDVALIDITY and the last UID
imported: a message is fetched, stored, and only then the mailbox's `last_uid` advances, in
the same transaction, so nothing is imported twice and a failure loses nothing (the next
poll starts at the same message). A server that is down is recorded on the mailbox and
retried at the next housekeeping round."""

from __future__ import annotations

import logging
import ssl

from django.db import transaction
from django.utils import timezone
from imapclient import IMAPClient

from samspill.helpdesk.models import Mailbox

log = logging.getLogger(__name__)
BATCH = 50
TIMEOUT = 30


def _connect(mailbox: Mailbox) -> IMAPClient:
    context = ssl.create_default_context() if mailbox.use_ssl else None
    client = IMAPClient(
        mailbox.host, port=mailbox.port, ssl=mailbox.use_ssl, ssl_context=context, timeout=TIMEOUT
    )
    client.login(mailbox.username, mailbox.password)
    return client


def poll_mailbox(mailbox: Mailbox) -> int:
    """Import the new messages of one mailbox; how many were stored (or ignored)."""
    from samspill.helpdesk.services.inbound import receive_email

    handled = 0
    try:
        client = _connect(mailbox)
    except Exception as exc:
        _failed(mailbox, exc)
        return 0
    try:
        status = client.select_folder(mailbox.folder, readonly=True)
        validity = int(status.get(b"UIDVALIDITY", 0))
        if mailbox.uid_validity != validity:  # a new folder: start over, dedup by Message-ID
            Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
            mailbox.uid_validity, mailbox.last_uid = validity, 0
        while True:
            uids = [
                u
                for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"])
                if u > mailbox.last_uid
            ]
            if not uids:
                break
            for uid in sorted(uids)[:BATCH]:
                data = client.fetch([uid], ["RFC822"]).get(uid, {})
                raw = data.get(b"RFC822", b"")
                with transaction.atomic():
                    receive_email(raw, queue=mailbox.queue)
                    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
                mailbox.last_uid = uid
                handled += 1
            if len(uids) <= BATCH:
                break
    except Exception as exc:
        _failed(mailbox, exc)
        return handled
    finally:
        try:
            client.logout()
        except Exception:  # the connection is already gone
            log.debug("imap logout failed", exc_info=True)
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error="")
    return handled


def _failed(mailbox: Mailbox, exc: Exception) -> None:
    log.warning("imap poll failed", extra={"mailbox": str(mailbox), "error": str(exc)})
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=timezone.now(), last_error=f"{type(exc).__name__}: {exc}"[:1000]
    )


def poll_all() -> int:
    """The housekeeping job: every active mailbox once."""
    return sum(
        poll_mailbox(m) for m in Mailbox.objects.filter(is_active=True).select_related("queue")
    )


def test_login(mailbox: Mailbox) -> tuple[bool, str]:
    """Log in and open the folder, as polling would (nothing is fetched): (ok, what
    happened), for the "Test connection" button."""
    from django.utils.translation import gettext as _

    try:
        client = _connect(mailbox)
    except Exception as exc:
        return False, _("Could not log in: %(error)s") % {"error": f"{type(exc).__name__}: {exc}"}
    try:
        status = client.select_folder(mailbox.folder, readonly=True)
        count = int(status.get(b"EXISTS", 0))
    except Exception as exc:
        return False, _("Logged in, but the folder %(folder)s could not be opened: %(error)s") % {
            "folder": mailbox.folder,
            "error": f"{type(exc).__name__}: {exc}",
        }
    finally:
        try:
            client.logout()
        except Exception:  # the connection is already gone
            log.debug("imap logout failed", exc_info=True)
    return True, _("Connected: %(count)s messages in %(folder)s.") % {
        "count": count,
        "folder": mailbox.folder,
    }
