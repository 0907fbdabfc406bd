"""Shared state of the app, reached by every blueprint through ``current_app.extensions``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from flask import current_app

from kennisgraaf.site.dumps import DumpCache
from kennisgraaf.site.pageindex import IndexCache, PageIndex, PageQueries
from kennisgraaf.site.pages import Labeller
from kennisgraaf.web.i18n import request_language

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


# The page machinery every blueprint shares: one per app, built on first use.

def page_queries() -> PageQueries:
    """The site's page queries on the app's store (with their per-dataset results kept)."""
    return shared("pages.queries", lambda: PageQueries(context().store, context().uris))


def page_index() -> PageIndex:
    """Labels, evidence, quote locations and documents, loaded once per app."""
    return shared("pages.index", lambda: IndexCache(page_queries())).get()


def dump_cache() -> DumpCache:
    """The dump files, made once and kept in memory."""
    return shared("dumps.cache", lambda: DumpCache(context().dataset))


def labeller() -> Labeller:
    """Links with labels in the request's language."""
    return Labeller(page_index(), context().uris, request_language())
