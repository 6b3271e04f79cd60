"""Hooks through which higher layers add to the pages of the users app without this app
importing them (the organisation adds "Teams" to the profile and to the user page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfilePanel:
    key: str
    title: Any  # lazy translated
    template_name: str
    # (viewer, user) -> template context; None hides the panel for this viewer
    context: Callable[[Any, Any], dict | None]
    order: int = 100


_panels: dict[str, ProfilePanel] = {}


def register_profile_panel(panel: ProfilePanel) -> None:
    _panels[panel.key] = panel


def profile_panels(viewer, user) -> list[tuple[ProfilePanel, dict]]:
    """The panels to show on `user`'s profile or user page, as seen by `viewer`."""
    result = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.key)):
        context = panel.context(viewer, user)
        if context is not None:
            result.append((panel, context))
    return result
