"""Hook registries through which domains plug into the shell without the shell importing
them: navigation, global search and the key figures of the party 360-degree view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from samspill.platform.permissions import allowed

# --- Navigation ---------------------------------------------------------------------------

NAV_GROUPS = ("main", "front", "back", "admin")


@dataclass(frozen=True)
class NavItem:
    group: str  # one of NAV_GROUPS
    label: Any  # lazy translated string
    url_name: str
    permission: str | None = None  # shown only with this permission
    icon: str = "circle"  # bootstrap-icons name
    order: int = 100
    staff_only: bool = False


_nav: list[NavItem] = []


def register_nav(item: NavItem) -> None:
    if item.group not in NAV_GROUPS:
        raise ValueError(f"unknown navigation group {item.group!r}")
    if item not in _nav:
        _nav.append(item)


def nav_for(user) -> dict[str, list[NavItem]]:
    groups: dict[str, list[NavItem]] = {g: [] for g in NAV_GROUPS}
    for item in sorted(_nav, key=lambda i: (i.order, str(i.label))):
        if item.staff_only and not (user.is_staff or user.is_superuser):
            continue
        if item.permission and not allowed(user, item.permission):
            continue
        groups[item.group].append(item)
    return groups


# --- Global search -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: Any  # translated label of the record type, e.g. "Organisation"
    title: str
    url: str
    subtitle: str = ""


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: Any
    permission: str
    search: Callable[[Any, str, int], list[SearchHit]]  # (user, query, limit) -> hits


_search: dict[str, SearchProvider] = {}


def register_search(provider: SearchProvider) -> None:
    _search[provider.key] = provider


def search(user, query: str, limit: int = 8) -> list[tuple[SearchProvider, list[SearchHit]]]:
    query = query.strip()
    if len(query) < 2:
        return []
    results = []
    for provider in _search.values():
        if allowed(user, provider.permission):
            hits = provider.search(user, query, limit)
            if hits:
                results.append((provider, hits))
    return results


# --- Key figures of the 360-degree view ------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    label: Any
    value: Any
    url: str = ""


@dataclass(frozen=True)
class KeyFigureProvider:
    key: str
    permission: str
    figures: Callable[[Any, Any], list[KeyFigure]]  # (user, party) -> figures
    order: int = 100


_key_figures: list[KeyFigureProvider] = []


def register_key_figures(provider: KeyFigureProvider) -> None:
    if all(p.key != provider.key for p in _key_figures):
        _key_figures.append(provider)


def key_figures(user, party) -> list[KeyFigure]:
    figures: list[KeyFigure] = []
    for provider in sorted(_key_figures, key=lambda p: p.order):
        if allowed(user, provider.permission):
            figures.extend(provider.figures(user, party))
    return figures


# --- Panels of the 360-degree view -------------------------------------------------------------


@dataclass(frozen=True)
class PartyPanel:
    """A card on a party's page contributed by another domain (e.g. the order history)."""

    key: str
    permission: str
    title: Any
    render: Callable[[Any, Any], str]  # (request, party) -> HTML of the card's body
    order: int = 100


_party_panels: list[PartyPanel] = []


def register_party_panel(panel: PartyPanel) -> None:
    if all(p.key != panel.key for p in _party_panels):
        _party_panels.append(panel)


def party_panels(request, party) -> list[tuple[PartyPanel, str]]:
    """The panels the user may see, rendered, in order."""
    return [
        (panel, panel.render(request, party))
        for panel in sorted(_party_panels, key=lambda p: p.order)
        if allowed(request.user, panel.permission)
    ]
