import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from samspill.platform.context import channel
from samspill.platform.errors import DomainError
from samspill.platform.permissions import ROLES
from samspill.users import services


class Command(BaseCommand):
    help = (
        "Create a user with roles. The password comes from --password, else the "
        "SAMSPILL_PASSWORD environment variable, else a prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--role",
            action="append",
            default=[],
            dest="roles",
            metavar="ROLE",
            help=f"Repeat for several roles. One of: {', '.join(ROLES)}.",
        )
        parser.add_argument("--password", default=None)
        parser.add_argument("--language", default="nb", choices=["nb", "en"])
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Also a Django superuser and staff member (the admin role is given with "
            "--role admin).",
        )
        parser.add_argument(
            "--no-input",
            "--noinput",
            action="store_false",
            dest="interactive",
            help="Never prompt; fail when no password is given.",
        )

    def handle(self, *args, username, roles, interactive, **options):
        unknown = [r for r in roles if r not in ROLES]
        if unknown:
            raise CommandError(
                _("Unknown role: %(roles)s. Known roles: %(known)s.")
                % {"roles": ", ".join(unknown), "known": ", ".join(ROLES)}
            )
        password = options["password"] or os.environ.get("SAMSPILL_PASSWORD") or None
        if password is None:
            if not interactive:
                raise CommandError(
                    _("Give a password with --password or the SAMSPILL_PASSWORD variable.")
                )
            password = self.prompt_password()
        try:
            with channel("system"):
                user = services.create_user(
                    actor=None,
                    username=username,
                    password=password,
                    email=options["email"],
                    first_name=options["first_name"],
                    last_name=options["last_name"],
                    language=options["language"],
                    roles=roles,
                    is_superuser=options["superuser"],
                )
        except DomainError as exc:
            details = [m for messages in exc.errors.values() for m in messages] or [exc.message]
            raise CommandError("\n".join(str(m) for m in details)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Created user %(username)s with roles: %(roles)s.")
                % {"username": user.username, "roles": ", ".join(user.role_names) or "–"}
            )
        )

    def prompt_password(self) -> str:
        for _attempt in range(3):
            first = getpass.getpass(_("Password: "))
            second = getpass.getpass(_("Password (again): "))
            if not first:
                self.stderr.write(_("The password cannot be empty."))
            elif first != second:
                self.stderr.write(_("The passwords do not match."))
            else:
                return first
        raise CommandError(_("No password given."))
