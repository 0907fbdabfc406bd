"""Fair sharing between clients: a cap on each client's queries in flight and on its query time per minute.

Public endpoints share their engine this way (Wikidata's query service caps each client's
concurrent queries and query time per minute). Without it one client holding every slot of
``max_in_flight`` made every other client wait for 503s. Past either cap the client gets 429
with ``Retry-After`` and a message; everyone else is unaffected.

The client is the socket's address (``REMOTE_ADDR``). Behind a reverse proxy, set
``trusted_proxy`` to its address: waitress then takes the client from ``X-Forwarded-For`` sent by
that proxy only (see :mod:`kennisgraaf.web.server`); from anyone else the header is ignored, so a
client cannot escape its caps by inventing addresses.

The time budget is a token bucket: each client may spend ``client_seconds_per_minute`` seconds of
query time per minute, refilled continuously; a query is admitted while the bucket is not empty,
and its run time is taken out when it ends.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import has_request_context, request

from kennisgraaf.store.base import StoreError

MINUTE = 60.0
FORGET_AFTER = 600.0  # seconds after which an idle client with a full bucket is dropped from memory


@dataclass
class _Account:
    in_flight: int = 0
    seconds: float = 0.0  # budget left (may go negative: a long query overdraws)
    updated: float = 0.0


class FairShare:
    """Per-client caps; :meth:`enter` / :meth:`leave` around each query (thread-safe)."""

    def __init__(self, in_flight: int, seconds_per_minute: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.in_flight = in_flight
        self.budget = seconds_per_minute
        self.clock = clock
        self._accounts: dict[str, _Account] = {}
        self._lock = threading.Lock()
        self._last_sweep = clock()

    def _account(self, client: str, now: float) -> _Account:
        account = self._accounts.get(client)
        if account is None:
            account = self._accounts[client] = _Account(0, self.budget, now)
        account.seconds = min(self.budget, account.seconds + (now - account.updated) * self.budget / MINUTE)
        account.updated = now
        return account

    def enter(self, client: str) -> float:
        """Admit a query of ``client`` (raise a 429 :class:`StoreError` past a cap); return its start time."""
        with self._lock:
            now = self.clock()
            self._sweep(now)
            account = self._account(client, now)
            if account.in_flight >= self.in_flight:
                raise StoreError(
                    f"Too many queries at once from your address: at most {self.in_flight} may run at the same time "
                    "(client_in_flight). Wait for one to finish.", 429, {"Retry-After": "1"})
            if account.seconds <= 0:
                wait = math.ceil(-account.seconds * MINUTE / self.budget) + 1
                raise StoreError(
                    f"Your address has used its query time: {self.budget:g} s per minute "
                    f"(client_seconds_per_minute). Try again in {wait} s.", 429, {"Retry-After": str(wait)})
            account.in_flight += 1
            return now

    def leave(self, client: str, started: float) -> None:
        """Record the end of a query of ``client`` that :meth:`enter` admitted at ``started``."""
        with self._lock:
            now = self.clock()
            account = self._account(client, now)
            account.in_flight -= 1
            account.seconds -= now - started

    def _sweep(self, now: float) -> None:
        if now - self._last_sweep < FORGET_AFTER:
            return
        self._last_sweep = now
        for client, account in list(self._accounts.items()):
            if not account.in_flight and now - account.updated > FORGET_AFTER:
                del self._accounts[client]


def client_address() -> str | None:
    """The client of the current request (its socket address, or the trusted proxy's X-Forwarded-For)."""
    if not has_request_context():
        return None
    return request.remote_addr or "unknown"


class FairStore:
    """A store whose queries, when made for a request, count against that request's client."""

    def __init__(self, store: Any, share: FairShare) -> None:
        self._store = store
        self.share = share

    def query(self, text: str, **kwargs: Any) -> Any:
        client = client_address()
        if client is None:  # the app's own work outside a request (start-up, caches)
            return self._store.query(text, **kwargs)
        started = self.share.enter(client)
        try:
            return self._store.query(text, **kwargs)
        finally:
            self.share.leave(client, started)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)
