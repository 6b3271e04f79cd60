"""Request-scoped facts that services record without being passed them explicitly: the
channel a change came through (ui, api, import, automation, system)."""

from __future__ import annotations

import contextvars
from contextlib import contextmanager

CHANNELS = ("ui", "api", "import", "automation", "system")

_channel: contextvars.ContextVar[str] = contextvars.ContextVar("samspill_channel", default="system")


def current_channel() -> str:
    return _channel.get()


@contextmanager
def channel(name: str):
    if name not in CHANNELS:
        raise ValueError(f"unknown channel {name!r}")
    token = _channel.set(name)
    try:
        yield
    finally:
        _channel.reset(token)
