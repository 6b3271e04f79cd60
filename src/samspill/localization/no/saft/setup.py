"""Wiring of the SAF-T export, called from NorwayConfig.ready(): its event type and its
entry in the navigation (finance and management see it)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def ready() -> None:
    from samspill.localization.no.saft import events  # noqa: F401  (registers the event type)
    from samspill.localization.no.saft.services import PERMISSION
    from samspill.platform import registry

    registry.register_nav(
        registry.NavItem(
            group="back",
            label=_("SAF-T export"),
            url_name="saft:export",
            permission=PERMISSION,
            icon="file-earmark-code",
            order=14,
        )
    )
