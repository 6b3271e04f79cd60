from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Everyone who answers customers or colleagues reads the knowledge base; customer service
# and management write, publish and archive articles and keep the categories.
READER_ROLES = [
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
EDITOR_ROLES = ["service", "management"]


class KnowledgeConfig(AppConfig):
    name = "samspill.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self):
        from samspill.knowledge import models, search
        from samspill.platform import permissions, registry

        permissions.register_model(models.Article, "publish")
        permissions.register_model(models.Category)
        permissions.grant(READER_ROLES, "knowledge.view_article", "knowledge.view_category")
        permissions.grant(
            EDITOR_ROLES,
            "knowledge.add_article",
            "knowledge.change_article",
            "knowledge.publish_article",
            "knowledge.add_category",
            "knowledge.change_category",
        )
        registry.register_nav(
            registry.NavItem(
                group="front",
                label=_("Knowledge base"),
                url_name="knowledge:article_list",
                permission="knowledge.view_article",
                icon="journal-text",
                order=45,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="knowledge",
                label=_("Knowledge base"),
                permission="knowledge.view_article",
                search=search.search_hits,
            )
        )
