from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

VIEW_ROLES = [
    "sales",
    "service",
    "marketing",
    "finance",
    "hr",
    "it",
    "operations",
    "legal",
    "management",
]
EDIT_ROLES = ["sales", "service", "marketing", "finance", "operations", "management"]
MERGE_ROLES = ["sales", "finance", "management"]
GDPR_ROLES = ["legal", "management"]


class PartiesConfig(AppConfig):
    name = "samspill.parties"
    label = "parties"
    verbose_name = _("Parties")

    def ready(self):
        from samspill.parties import actions, events, models, search  # noqa: F401
        from samspill.platform import permissions, records, registry

        permissions.register_model(models.Party, "merge", "erase", "export")
        for model in (
            models.Relation,
            models.Address,
            models.ContactPoint,
            models.Consent,
            models.Tag,
        ):
            permissions.register_model(model)

        permissions.grant(
            VIEW_ROLES,
            *(
                f"parties.view_{m}"
                for m in ("party", "relation", "address", "contactpoint", "consent", "tag")
            ),
        )
        permissions.grant(
            EDIT_ROLES,
            "parties.add_party",
            "parties.change_party",
            *(
                f"parties.{action}_{m}"
                for m in ("relation", "address", "contactpoint")
                for action in ("add", "change", "delete")
            ),
            "parties.add_consent",
            "parties.add_tag",
            "parties.change_tag",
        )
        # Parties have chatter: a comment on a party is on its 360-degree timeline, and
        # whoever creates a party follows it.
        records.register_record(
            models.Party,
            kind="party",
            created_event="parties.party.created",
            created_field="party_id",
        )
        # Merging moves the chatter to the survivor; erasing a person deletes theirs.
        from samspill.parties.services import hooks
        from samspill.platform import chatter

        hooks.register_merge_handler(chatter.merge_records)
        hooks.register_erasure_handler(chatter.erase_record)
        hooks.register_personal_data_provider("comments_and_files", chatter.personal_data)
        permissions.grant(MERGE_ROLES, "parties.merge_party")
        permissions.grant(GDPR_ROLES, "parties.erase_party", "parties.export_party")

        registry.register_nav(
            registry.NavItem(
                group="main",
                label=_("Contacts"),
                url_name="parties:list",
                permission="parties.view_party",
                icon="people",
                order=20,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="parties",
                label=_("Contacts"),
                permission="parties.view_party",
                search=search.search_hits,
            )
        )
        registry.register_key_figures(
            registry.KeyFigureProvider(
                key="parties",
                permission="parties.view_party",
                figures=search.key_figures,
                order=10,
            )
        )
        actions.register()
