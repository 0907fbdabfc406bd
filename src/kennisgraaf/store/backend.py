"""Pick the store the settings ask for: remote when ``store`` is a URL, else embedded.

Each store's module is imported when it is picked: the remote one loads an HTTP client (requests)
that an embedded ``serve`` never uses, and the embedded one the worker pool.
"""

from __future__ import annotations

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.sparql.admission import Limits
from kennisgraaf.store.base import GuardedStore


def open_store(settings: Settings, dataset: BuiltDataset) -> GuardedStore:
    """The store ``settings`` ask for: remote when ``settings.store`` is a URL, else embedded."""
    limits = Limits(max_bytes=settings.max_query_bytes, max_depth=settings.max_nesting)
    if settings.store:
        from kennisgraaf.store.credentials import credentials_for
        from kennisgraaf.store.remote import RemoteStore

        # Raises CredentialsError (naming the setting, never its value) for unusable credentials.
        url, credentials = credentials_for(settings, settings.store)
        return RemoteStore(url, dataset, result_limit=settings.result_limit, credentials=credentials,
                           timeout=settings.query_timeout, max_in_flight=settings.max_in_flight, limits=limits)
    from kennisgraaf.store.embedded import EmbeddedStore

    return EmbeddedStore(dataset, settings.result_limit, timeout=settings.query_timeout, workers=settings.workers,
                         max_in_flight=settings.max_in_flight, limits=limits,
                         memory_mb=settings.worker_memory_mb, result_bytes=settings.max_result_bytes,
                         recycle_mb=settings.worker_recycle_mb)
