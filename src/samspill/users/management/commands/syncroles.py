from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from samspill.platform.permissions import ROLES
from samspill.users.roles import sync_roles


class Command(BaseCommand):
    help = "Make the role groups hold exactly the permissions the code grants them."

    def handle(self, *args, **options):
        counts = sync_roles()
        width = max(len(role) for role in counts)
        for role, count in counts.items():
            self.stdout.write(f"{role.ljust(width)}  {count:>4}  {ROLES.get(role, role)}")
        self.stdout.write(self.style.SUCCESS(_("Roles synchronised: %(n)d.") % {"n": len(counts)}))
