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

A repeated request does not enter Flask at all: ``RawAnswers`` (web/rawcache.py), WSGI middleware in front of
the app, keys each request by its raw WSGI environ (method, path, raw query string, host and
scheme, ``Accept``, ``Accept-Language``, the ``lang`` cookie, a POST's content type and body) and
learns, from each answer the Flask layer keeps or reuses, which canonical key that raw spelling
stands for. A later request with the same raw key is answered from the kept bytes (or with 304)
before Flask's request context, routing, hooks and Response objects exist.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

from flask import Flask, Response, g, request

from kennisgraaf import __version__
from kennisgraaf.web.i18n import request_language

K = TypeVar("K")
V = TypeVar("V")

#: Routes whose answer depends only on the dataset and the request.
CACHED_ENDPOINTS = frozenset({
    "sparql.endpoint", "queries.query_page", "resources.resource", "resources.home", "resources.ontology",
    "resources.graph", "why.why",
})
# Set per request or per connection by other layers: never part of a kept answer.
NOT_KEPT = frozenset({"set-cookie", "x-cache", "date", "content-length"})
FORM = "application/x-www-form-urlencoded"
# What a 304 repeats of its 200 (RFC 9110 §15.4.5: the validators and caching fields), plus CORS,
# which a browser checks on the revalidated answer of a cross-origin fetch.
NOT_MODIFIED_KEPT = frozenset({"etag", "cache-control", "vary", "expires", "content-location",
                               "access-control-allow-origin", "access-control-expose-headers"})
# Where the Flask layer tells the raw layer which kept answer (canonical key) a request was given.
KEPT_KEY = "kennisgraaf.kept_key"
# Where the raw layer hands its key of the request to the Flask layer (see request_key).
RAW_KEY = "kennisgraaf.raw_key"
# Routes whose canonical key is the raw layer's key when there is one: ad-hoc query texts are rarely
# spelled two ways, so merging spellings buys little there and hashing the request twice costs a miss.
RAW_KEYED_ENDPOINTS = frozenset({"sparql.endpoint"})


@dataclass(frozen=True)
class Kept:
    """A serialised answer: status, headers and body bytes."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @cached_property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers)

    # Computed once per kept answer, not per hit (cached_property writes past the frozen dataclass).
    @cached_property
    def hit_headers(self) -> list[tuple[str, str]]:
        """The headers of a hit: the kept ones, its length and ``X-Cache: hit``."""
        return [*self.headers, ("Content-Length", str(len(self.body))), ("X-Cache", "hit")]

    @cached_property
    def not_modified_headers(self) -> list[tuple[str, str]]:
        """The headers of a 304 for this answer."""
        return [*((k, v) for k, v in self.headers if k.lower() in NOT_MODIFIED_KEPT), ("X-Cache", "hit")]


class Recent(Generic[K, V]):
    """Least-recently-used entries within ``budget``, each weighing ``weigh(value)`` (1 by default);
    safe to use from many threads. One implementation for the kept answers and the raw index."""

    def __init__(self, budget: int, weigh: Callable[[V], int] = lambda _value: 1) -> None:
        self.budget = budget
        self.used = 0
        self._weigh = weigh
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key`` as the most recent entry; evict the oldest to stay within the budget."""
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.used -= self._weigh(old)
            self._entries[key] = value
            self.used += self._weigh(value)
            while self.used > self.budget:
                _, evicted = self._entries.popitem(last=False)
                self.used -= self._weigh(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self._entries)


class AnswerCache(Recent[str, Kept]):
    """Kept answers within ``max_bytes`` (their bodies and headers)."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(max_bytes, lambda kept: kept.size)

    @property
    def max_bytes(self) -> int:
        return self.budget

    def put(self, key: str, kept: Kept) -> bool:  # type: ignore[override]
        """Keep ``kept`` unless it is over an eighth of the budget (one huge answer would evict everything)."""
        if kept.size > self.budget // 8:
            return False
        super().put(key, kept)
        return True


def request_key(version: str) -> str | None:
    """The hash of everything an answer of this route depends on, or None for a route that is not cached."""
    if request.endpoint not in CACHED_ENDPOINTS or request.method not in ("GET", "HEAD", "POST"):
        return None
    raw = request.environ.get(RAW_KEY)
    if raw is not None and request.endpoint in RAW_KEYED_ENDPOINTS:
        # The raw key hashes every raw field the canonical one reads (and the version), so it never
        # stands for two answers; two spellings of one request are then kept twice, not computed wrong.
        return raw.hex()
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
        if (request.method in ("GET", "HEAD") and "HTTP_IF_NONE_MATCH" in request.environ
                and key in request.if_none_match):
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
        request.environ[KEPT_KEY] = key  # this raw spelling may be answered by the raw layer from now on
        response = Response(kept.body, status=kept.status, headers=list(kept.headers))
        response.headers["X-Cache"] = "hit"
        return response

    @app.after_request
    def keep(response: Response) -> Response:
        key = g.get("answer_key")
        if key is None or g.get("answer_reused"):
            return response
        response.headers.add("X-Cache", "miss")  # only this hook sets it on a miss: no need to scan for one
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
            if cache.put(key, Kept(200, headers, response.get_data())):
                request.environ[KEPT_KEY] = key
        return response

    return cache
