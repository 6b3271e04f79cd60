from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, using="default", **kwargs):
    """Framework plumbing: keep the role groups equal to the code after every migrate.

    post_migrate is sent app by app, so when it reaches this app the permissions of the
    apps after it in INSTALLED_APPS do not exist yet: create them all first (idempotent)."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from samspill.users.roles import sync_roles

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=global_apps)
    sync_roles()


class UsersConfig(AppConfig):
    name = "samspill.users"
    label = "users"
    verbose_name = _("Users and access")

    def ready(self):
        from samspill.platform import registry
        from samspill.platform.permissions import grant, register_model
        from samspill.users import (
            events,  # noqa: F401  (registers the event types)
            queries,
        )
        from samspill.users.models import AccessToken, User

        register_model(User)
        register_model(AccessToken, "revoke")
        grant(["management"], "users.view_user")
        registry.register_nav(
            registry.NavItem(
                group="admin",
                label=_("Users"),
                url_name="users:user_list",
                permission="users.view_user",
                icon="people",
                order=10,
            )
        )
        registry.register_search(
            registry.SearchProvider(
                key="users",
                label=_("Users"),
                permission="users.view_user",
                search=queries.search_users,
            )
        )
        # The profile shows one's notification e-mail setting (kept by the platform).
        from samspill.platform import notifications
        from samspill.users.registry import ProfilePanel, register_profile_panel

        register_profile_panel(
            ProfilePanel(
                key="notifications",
                title=notifications.PROFILE_PANEL_TITLE,
                template_name="platform/notifications/profile_panel.html",
                context=notifications.profile_panel_context,
                order=50,
            )
        )
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="samspill.sync_roles")
