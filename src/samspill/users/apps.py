from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender, **kwargs):
    # Framework plumbing: keep the role groups equal to the code after every migrate.
    from samspill.users.roles import sync_roles

    sync_roles()


class UsersConfig(AppConfig):
    name = "samspill.users"
    label = "users"
    verbose_name = _("Users and access")

    def ready(self):
        from samspill.platform.permissions import register_model
        from samspill.users.models import AccessToken, User

        register_model(User)
        register_model(AccessToken, "revoke")
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="samspill.sync_roles")
