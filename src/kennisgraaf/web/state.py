"""Shared state of the app, reached by every blueprint through ``current_app.extensions``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from kennisgraaf.site.dumps import DumpCache
from kennisgraaf.site.pageindex import IndexCache, PageIndex, PageQueries
from kennisgraaf.site.pages import Labeller
from kennisgraaf.web.i18n import request_language

_LOCK = threading.RLock()
log = logging.getLogger("kennisgraaf.web")

# The templates of a resource page and the home page (with what they extend, import and include):
# the pages a visitor opens first, compiled ahead by prepare(). The rest compile on first use.
FIRST_TEMPLATES = ("resources/resource.html", "resources/_page.html", "resources/_macros.html",
                   "resources/_diagram.html", "resources/_source.html", "resources/home.html", "base.html",
                   "_site_nav.html")


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


def prepare(app: Flask, store_ready: threading.Event | None = None) -> threading.Thread:
    """Compile the first pages' templates, then (once ``store_ready`` is set) load the page index, in the background.

    ``serve`` calls it as soon as the app is made, so that the templates compile while it waits for
    the query workers, and its first requests need not wait for either (docs/benchmarks.md). It only
    fills caches that each request otherwise fills on first use, under the same locks: a request
    that comes first computes (or waits for) the same value, and a failure here is logged and left
    to that request to report.
    """

    def work() -> None:
        try:
            for name in FIRST_TEMPLATES:
                app.jinja_env.get_template(name)
            if store_ready is not None:
                store_ready.wait()
            with app.app_context():
                page_index()
        except Exception:  # the request that needs it reports it properly
            log.warning("preparing the page caches failed; the first request will try again", exc_info=True)

    thread = threading.Thread(target=work, name="kennisgraaf-prepare", daemon=True)
    thread.start()
    return thread
