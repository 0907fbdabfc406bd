"""Answers reused while the dataset is unchanged, and conditional requests (docs/endpoint.md, Caching).

The dataset behind an app is read-only between builds, so an answer depends only on the dataset's
version and the request: its path, its parameters (the query text, the canned query's bound
values, ``default-graph-uri``/``named-graph-uri``, ``asserted``, ``format``), the body of a POST,
``Accept``, the page language and the host (absolute links in the answer). That request key is
known before the answer is computed, so

- its hash is the **ETag**, and a GET with a matching ``If-None-Match`` gets ``304`` at once,
  before any route (and any store call) runs;
- the serialised answer is kept in a bounded least-recently-used cache (``cache_mb``) and given
  again with ``X-Cache: hit`` (``miss`` when computed); a new build has a new version, hence new
  keys, and the old entries age out;
- ``Cache-Control: public, max-age`` lets a CDN keep it (``private`` when the answer sets the
  language cookie), with ``Vary`` naming what the answer depends on.

Only 200 answers are kept: never errors (4xx, 503, 504 …) and never a truncated answer, which
says ``X-Result-Truncated: true`` and ``Cache-Control: no-store``. A miss goes through the store
as before, with its time limit and the per-client caps. Answers over an eighth of the budget are
not kept (one huge answer would evict everything else).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, g, request

from kennisgraaf import __version__
from kennisgraaf.web.i18n import request_language

#: Routes whose answer depends only on the dataset and the request.
CACHED_ENDPOINTS = frozenset({
    "sparql.endpoint", "queries.query_page", "resources.resource", "resources.home", "resources.ontology",
    "resources.graph", "why.why",
})
# Set per request or per connection by other layers: never part of a kept answer.
NOT_KEPT = frozenset({"set-cookie", "x-cache", "date", "content-length"})
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Kept:
    """A serialised answer: status, headers and body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)


class AnswerCache:
    """Least-recently-used answers within ``max_bytes``; safe to use from many threads."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0
        self._entries: OrderedDict[str, Kept] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Kept | None:
        with self._lock:
            kept = self._entries.get(key)
            if kept is not None:
                self._entries.move_to_end(key)
            return kept

    def put(self, key: str, kept: Kept) -> bool:
        """Keep ``kept`` under ``key`` unless it is over an eighth of the budget; evict the oldest to fit."""
        if kept.size > self.max_bytes // 8:
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.used -= old.size
            self._entries[key] = kept
            self.used += kept.size
            while self.used > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.used -= evicted.size
        return True

    def __len__(self) -> int:
        return len(self._entries)


def request_key(version: str) -> str | None:
    """The hash of everything an answer of this route depends on, or None for a route that is not cached."""
    if request.endpoint not in CACHED_ENDPOINTS or request.method not in ("GET", "HEAD", "POST"):
        return None
    parts: list[object] = [version, __version__, request.host_url, request.path,
                           sorted(request.args.items(multi=True)), request.headers.get("Accept", ""),
                           request_language()]
    if request.method == "POST":
        parts.append(request.mimetype)
        if request.mimetype == FORM:
            parts.append(sorted(request.form.items(multi=True)))
        else:
            parts.append(request.get_data())  # kept by werkzeug for the route to read again
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def init_app(app: Flask, max_bytes: int, max_age: int) -> AnswerCache:
    """Answer from the cache before the routes run; keep 200 answers after. Register before other hooks,
    so that :func:`keep` (after-request hooks run in reverse order) sees every header they add."""
    cache = AnswerCache(max_bytes)

    @app.before_request
    def reuse() -> Response | None:
        key = request_key(app.extensions["kennisgraaf"].dataset.key)
        if key is None:
            return None
        g.answer_key = key
        if request.method in ("GET", "HEAD") and key in request.if_none_match:
            g.answer_reused = True
            response = Response(status=304)
            response.set_etag(key)
            response.headers["Cache-Control"] = f"public, max-age={max_age}"
            response.headers["X-Cache"] = "hit"
            return response
        kept = cache.get(key) if max_bytes else None
        if kept is None:
            return None
        g.answer_reused = True
        response = Response(kept.body, status=kept.status, headers=list(kept.headers))
        response.headers["X-Cache"] = "hit"
        return response

    @app.after_request
    def keep(response: Response) -> Response:
        key = g.get("answer_key")
        if key is None or g.get("answer_reused"):
            return response
        response.headers["X-Cache"] = "miss"
        if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
            return response
        if response.headers.get("X-Result-Truncated") == "true":
            response.headers["Cache-Control"] = "no-store"  # a cut-off answer is never given again
            return response
        response.set_etag(key)
        scope = "private" if "Set-Cookie" in response.headers else "public"
        response.headers["Cache-Control"] = f"{scope}, max-age={max_age}"
        if max_bytes:
            headers = tuple((k, v) for k, v in response.headers.items() if k.lower() not in NOT_KEPT)
            cache.put(key, Kept(200, headers, response.get_data()))
        return response

    return cache
