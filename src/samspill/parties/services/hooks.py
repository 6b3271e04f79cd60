"""Hook registries through which other domains take part in merges, erasures and
GDPR exports without this upstream domain importing them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps

from samspill.parties.models import (
    Party,
)

MergeHandler = Callable[[Party, Party, Any], None]
ErasureHandler = Callable[[Party, Any], None]

_merge_handlers: list[tuple[str, MergeHandler]] = []
_erasure_handlers: list[tuple[str, ErasureHandler]] = []
_personal_data_providers: dict[str, Callable[[Party], Any]] = {}


def _app_label_of(fn) -> str:
    config = apps.get_containing_app_config(fn.__module__)
    if config is None:
        raise ValueError(f"{fn!r} is not defined inside an installed app")
    return config.label


def register_merge_handler(fn: MergeHandler, *, app_label: str | None = None) -> MergeHandler:
    """Register fn(survivor, duplicate, actor), run inside the merge transaction. A domain
    with a ForeignKey to Party registers one in its AppConfig.ready() (a meta-test checks
    it) and moves its rows there, e.g.
    `Order.objects.filter(customer=duplicate).update(customer=survivor)`."""
    label = app_label or _app_label_of(fn)
    if all(existing is not fn for _label, existing in _merge_handlers):
        _merge_handlers.append((label, fn))
    return fn


def merge_handler_apps() -> set[str]:
    """App labels that registered a merge handler."""
    return {label for label, _fn in _merge_handlers}


def register_erasure_handler(fn: ErasureHandler, *, app_label: str | None = None) -> ErasureHandler:
    label = app_label or _app_label_of(fn)
    if all(existing is not fn for _label, existing in _erasure_handlers):
        _erasure_handlers.append((label, fn))
    return fn


def register_personal_data_provider(key: str, fn: Callable[[Party], Any]) -> None:
    _personal_data_providers[key] = fn
