"""What automation rules may do in the CRM, registered with platform.actions: plan a
follow-up activity for the party an event is about. It calls the CRM service, so
validation, permissions, audit and events apply as if a person had done it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from samspill.crm import services
from samspill.crm.models import Activity
from samspill.platform.actions import Action, Param, register_action


def register() -> None:
    register_action(
        Action(
            key="crm.create_follow_up",
            label=gettext_lazy("Plan a follow-up activity"),
            subject_kind="party",
            params={
                "subject": Param(str, label=gettext_lazy("Subject")),
                "kind": Param(
                    str,
                    label=gettext_lazy("Kind"),
                    required=False,
                    choices=Activity.Kind.choices,
                ),
                "days": Param(
                    int,
                    label=gettext_lazy("Due in days"),
                    required=False,
                    help_text=gettext_lazy("0: in an hour; otherwise at 09:00 that day."),
                ),
                "owner": Param(
                    str,
                    label=gettext_lazy("Username of who follows up"),
                    required=False,
                    help_text=gettext_lazy("Empty: the contact's owner."),
                ),
                "notes": Param(str, label=gettext_lazy("Notes"), required=False, multiline=True),
            },
            run=services.create_follow_up,
            permission="crm.add_activity",
            description=gettext_lazy(
                "Creates a call, meeting, email or task for the contact the event is about."
            ),
        )
    )
