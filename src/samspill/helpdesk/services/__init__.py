"""Commands of customer service: the only code that writes the helpdesk tables. Each command
is one transaction, checks the actor's permission (when an actor is given), audits and
publishes its events."""

from samspill.helpdesk.services import chat
from samspill.helpdesk.services.calls import log_call
from samspill.helpdesk.services.chat import create_chat_channel, update_chat_channel
from samspill.helpdesk.services.common import Collision, WrongState, apply_sla, policy_for
from samspill.helpdesk.services.inbound import Received, receive_email
from samspill.helpdesk.services.setup import (
    add_mailbox,
    create_canned_response,
    create_queue,
    create_setting,
    create_sla_policy,
    delete_setting,
    update_setting,
)
from samspill.helpdesk.services.sla import check_sla
from samspill.helpdesk.services.tickets import (
    add_customer_message,
    add_note,
    assign_ticket,
    close_ticket,
    link_record,
    merge_tickets,
    open_ticket,
    reopen_ticket,
    reply_to_customer,
    resolve_ticket,
    split_message,
    start_ticket,
    unlink_record,
    update_ticket,
    wait_for_customer,
    wait_internally,
)
from samspill.helpdesk.services.webform import form_token, submit_contact_form
from samspill.helpdesk.services.webhooks import receive as receive_webhook

__all__ = [
    "Collision",
    "Received",
    "WrongState",
    "add_customer_message",
    "add_mailbox",
    "add_note",
    "apply_sla",
    "assign_ticket",
    "chat",
    "check_sla",
    "close_ticket",
    "create_canned_response",
    "create_chat_channel",
    "create_queue",
    "create_setting",
    "create_sla_policy",
    "delete_setting",
    "form_token",
    "link_record",
    "log_call",
    "merge_tickets",
    "open_ticket",
    "policy_for",
    "receive_email",
    "receive_webhook",
    "reopen_ticket",
    "reply_to_customer",
    "resolve_ticket",
    "split_message",
    "start_ticket",
    "submit_contact_form",
    "unlink_record",
    "update_chat_channel",
    "update_setting",
    "update_ticket",
    "wait_for_customer",
    "wait_internally",
]
