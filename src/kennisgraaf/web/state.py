"""Shared state of the app, reached by every blueprint through ``current_app.extensions``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app

_LOCK = threading.RLock()


def context() -> Any:
    """The app's :class:`kennisgraaf.web.Context` (settings, dataset, URI strategy, store)."""
    return current_app.extensions["kennisgraaf"]


def shared(key: str, factory: Callable[[], Any]) -> Any:
    """A value computed once per app and kept in the context's ``extras`` (thread-safe)."""
    extras = context().extras
    if key not in extras:
        with _LOCK:
            if key not in extras:
                extras[key] = factory()
    return extras[key]
