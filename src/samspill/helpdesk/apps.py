from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SERVICE_ROLES = ["service", "management"]
VIEW_ROLES = ["service", "sales", "management"]


class HelpdeskConfig(AppConfig):
    name = "samspill.helpdesk"
    label = "helpdesk"
    verbose_name = _("Customer service")

    def ready(self):
        from samspill.helpdesk import models, search
        from samspill.helpdesk.mail.imap import poll_all
        from samspill.helpdesk.services import check_sla
        from samspill.helpdesk.services import parties as party_hooks
        from samspill.parties import services as parties
        from samspill.platform import housekeeping, permissions, records, registry

        permissions.register_model(models.Ticket, "reply", "merge")
        for model in (
            models.Queue,
            models.Mailbox,
            models.SlaPolicy,
            models.Message,
            models.TicketLink,
            models.CannedResponse,
            models.CallLog,
            models.InboundEndpoint,
            models.InboundDelivery,
            models.ChatChannel,
            models.ChatConversation,
            models.Satisfaction,
        ):
            permissions.register_model(model)
        permissions.grant(
            VIEW_ROLES,
            "helpdesk.view_ticket",
            "helpdesk.view_queue",
            "helpdesk.view_slapolicy",
            "helpdesk.view_cannedresponse",
            "helpdesk.view_calllog",
            "helpdesk.view_chatchannel",
            "helpdesk.view_satisfaction",
        )
        permissions.grant(
            SERVICE_ROLES,
            "helpdesk.add_ticket",
            "helpdesk.change_ticket",
            "helpdesk.reply_ticket",
            "helpdesk.merge_ticket",
            "helpdesk.add_calllog",
        )
        permissions.grant(
            ["management"],
            "helpdesk.add_queue",
            "helpdesk.change_queue",
            "helpdesk.add_mailbox",
            "helpdesk.view_mailbox",
            "helpdesk.add_slapolicy",
            "helpdesk.change_slapolicy",
            "helpdesk.add_cannedresponse",
            "helpdesk.change_cannedresponse",
            "helpdesk.delete_queue",
            "helpdesk.change_mailbox",
            "helpdesk.delete_mailbox",
            "helpdesk.delete_slapolicy",
            "helpdesk.delete_cannedresponse",
            "helpdesk.view_inboundendpoint",
            "helpdesk.add_inboundendpoint",
            "helpdesk.change_inboundendpoint",
            "helpdesk.delete_inboundendpoint",
            "helpdesk.view_inbounddelivery",
            "helpdesk.add_chatchannel",
            "helpdesk.change_chatchannel",
        )
        records.register_record(
            models.Ticket,
            kind="ticket",
            created_event="helpdesk.ticket.opened",
            created_field="ticket_id",
            subjects_for=lambda ticket: {"party": [ticket.party_id]},
        )
        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Service inbox"),
                url_name="helpdesk:inbox",
                permission="helpdesk.view_ticket",
                icon="inbox",
                order=40,
            )
        )
        registry.register_nav(
            registry.NavItem(
                group="admin",
                label=_("Customer service settings"),
                url_name="helpdesk:settings",
                permission="helpdesk.add_queue",
                icon="sliders",
                order=62,
            )
        )
        registry.register_nav(
            registry.NavItem(
                group="admin",
                label=_("Web chat"),
                url_name="helpdesk:chat_channels",
                permission="helpdesk.change_chatchannel",
                icon="chat-dots",
                order=65,
            )
        )
        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Service dashboard"),
                url_name="helpdesk:dashboard",
                permission="helpdesk.view_ticket",
                icon="speedometer2",
                order=41,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="helpdesk",
                label=_("Tickets"),
                permission="helpdesk.view_ticket",
                search=search.search_hits,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="helpdesk",
                permission="helpdesk.view_ticket",
                figures=search.key_figures,
                order=40,
            )
        )
        registry.register_party_panel(
            registry.PartyPanel(
                key="helpdesk-tickets",
                permission="helpdesk.view_ticket",
                title=_("Tickets"),
                render=search.party_tickets,
                order=40,
            )
        )
        parties.register_merge_handler(party_hooks.move_to_survivor, app_label="helpdesk")
        parties.register_erasure_handler(party_hooks.erase_person, app_label="helpdesk")
        parties.register_personal_data_provider("helpdesk", party_hooks.personal_data)
        housekeeping.register_job("helpdesk.sla", _("SLA warnings and breaches"), check_sla)
        housekeeping.register_job("helpdesk.imap", _("e-mails fetched"), poll_all)
