"""What automation rules may do to a party, registered with platform.actions. Each action
calls the parties service, so validation, permissions, audit and events apply as if a
person had done it."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samspill.parties import services
from samspill.parties.forms import ROLE_CHOICES
from samspill.parties.models import Party, Tag
from samspill.platform.errors import NotFound, ValidationFailed


def _party(subject_id) -> Party:
    try:
        return Party.objects.current().get(pk=subject_id)
    except (Party.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("There is no party with id %(id)s.") % {"id": subject_id}) from exc


def add_tag(subject_id, params, actor):
    party = _party(subject_id)
    names = {t.name.lower() for t in party.tags.all()}
    if params["tag"].lower() in names:
        return party
    return services.set_tags(actor=actor, party=party, tags=[*party.tags.all(), params["tag"]])


def remove_tag(subject_id, params, actor):
    party = _party(subject_id)
    keep = [t for t in party.tags.all() if t.name.lower() != params["tag"].lower()]
    return services.set_tags(actor=actor, party=party, tags=keep)


def assign_owner(subject_id, params, actor):
    party = _party(subject_id)
    owner = get_user_model().objects.filter(username=params["owner"], is_active=True).first()
    if owner is None:
        raise ValidationFailed(errors={"owner": [_("There is no active user with this username.")]})
    return services.update_party(actor=actor, party=party, owner=owner)


def add_role(subject_id, params, actor):
    party = _party(subject_id)
    return services.set_roles(actor=actor, party=party, roles={*party.roles, params["role"]})


def remove_role(subject_id, params, actor):
    party = _party(subject_id)
    return services.set_roles(actor=actor, party=party, roles=set(party.roles) - {params["role"]})


def _tag_choices():
    return [(t.name, t.name) for t in Tag.objects.order_by("name")]


def register() -> None:
    """Register the actions when the platform offers the registry."""
    try:
        from samspill.platform.actions import Action, Param, register_action
    except ImportError:  # an older platform without automation actions
        return
    register_action(
        Action(
            key="parties.add_tag",
            label=gettext_lazy("Add a tag to the contact"),
            subject_kind="party",
            params={
                "tag": Param(
                    str,
                    label=gettext_lazy("Tag"),
                    help_text=gettext_lazy("A new name creates the tag."),
                )
            },
            run=add_tag,
            permission="parties.change_party",
        )
    )
    register_action(
        Action(
            key="parties.remove_tag",
            label=gettext_lazy("Remove a tag from the contact"),
            subject_kind="party",
            params={"tag": Param(str, label=gettext_lazy("Tag"), choices=_tag_choices)},
            run=remove_tag,
            permission="parties.change_party",
        )
    )
    register_action(
        Action(
            key="parties.assign_owner",
            label=gettext_lazy("Assign the contact to a colleague"),
            subject_kind="party",
            params={"owner": Param(str, label=gettext_lazy("Username"))},
            run=assign_owner,
            permission="parties.change_party",
        )
    )
    for key, label, run in (
        ("parties.add_role", gettext_lazy("Give the contact a role"), add_role),
        ("parties.remove_role", gettext_lazy("Take a role from the contact"), remove_role),
    ):
        register_action(
            Action(
                key=key,
                label=label,
                subject_kind="party",
                params={"role": Param(str, label=gettext_lazy("Role"), choices=ROLE_CHOICES)},
                run=run,
                permission="parties.change_party",
            )
        )
