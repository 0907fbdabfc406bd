"""The Flask app: ``create_app`` wires settings, store and blueprints; nothing happens at import time.

Blueprints reach shared state through ``current_app.extensions["kennisgraaf"]`` (a :class:`Context`),
never by importing each other or this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask

from kennisgraaf.build.cached import dataset_for
from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings, load_settings
from kennisgraaf.store.backend import open_store
from kennisgraaf.store.base import Store
from kennisgraaf.vocab import UriStrategy
from kennisgraaf.web import cache, errors, i18n, rawcache
from kennisgraaf.web.dumps import bp as dumps_bp
from kennisgraaf.web.fairness import FairShare, FairStore
from kennisgraaf.web.listings import bp as listings_bp
from kennisgraaf.web.queries import bp as queries_bp
from kennisgraaf.web.resources import bp as resources_bp
from kennisgraaf.web.sparql import bp as sparql_bp
from kennisgraaf.web.why import bp as why_bp


@dataclass
class Context:
    """What every blueprint needs: settings, the built dataset, the URI strategy and the store."""

    settings: Settings
    dataset: BuiltDataset
    uris: UriStrategy
    store: Store
    extras: dict[str, Any] = field(default_factory=dict)


def create_app(
    settings: Settings | None = None, *, dataset: BuiltDataset | None = None, store: Store | None = None
) -> Flask:
    """Build the Flask app for ``settings`` (default: loaded from file and environment)."""
    settings = settings or load_settings()
    dataset = dataset or dataset_for(settings)
    store = FairStore(store or open_store(settings, dataset),
                      FairShare(settings.client_in_flight, settings.client_seconds_per_minute))
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    # A form-encoded query can take up to three bytes per byte of query text; the endpoint gives
    # its own 413 with a reason for a query over max_query_bytes.
    app.config["MAX_CONTENT_LENGTH"] = 3 * settings.max_query_bytes + 65536
    app.json.ensure_ascii = False
    app.extensions["kennisgraaf"] = Context(settings, dataset, UriStrategy(dataset.base), store)
    # First: its after-request hook runs last and keeps the answer with every other hook's headers.
    answers = cache.init_app(app, settings.cache_mb * 1024 * 1024, settings.cache_max_age)
    app.extensions["kennisgraaf.answers"] = answers
    if settings.cache_mb:
        # Repeated requests are answered in front of Flask (web/rawcache.py); the raw index
        # holds keys only, one per 4 KB of the answer budget.
        app.wsgi_app = rawcache.RawAnswers(app.wsgi_app, answers, lambda: app.extensions["kennisgraaf"].dataset.key,
                                           app.config["MAX_CONTENT_LENGTH"], max(256, answers.max_bytes // 4096))
    errors.init_app(app)
    i18n.init_app(app)
    app.register_blueprint(queries_bp)
    app.register_blueprint(resources_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(dumps_bp)
    app.register_blueprint(sparql_bp)
    app.register_blueprint(why_bp)
    return app
