"""Repeated requests answered in front of Flask, from the raw WSGI request (docs/endpoint.md, Caching).

The Flask layer (:mod:`kennisgraaf.web.cache`) knows an answer's canonical key only once Flask has
parsed the request. This layer hashes the raw request instead (:func:`raw_key`) and remembers which
kept answer a raw key was given, so a repeat gets the kept bytes (or a 304) without Flask: a few
microseconds instead of a Flask request. It keeps keys only; the answers stay in the
:class:`~kennisgraaf.web.cache.AnswerCache` and its byte budget.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.http import parse_etags
from werkzeug.sansio.http import parse_cookie

from kennisgraaf import __version__
from kennisgraaf.web.cache import KEPT_KEY, RAW_KEY, AnswerCache, Recent


class RawIndex(Recent[bytes, str]):
    """Raw request key → canonical key, least recently used out past ``max_entries``.

    It holds keys only (16 + 32 bytes), never answers: the answers stay in the :class:`AnswerCache`
    and its byte budget, and a raw key whose answer was evicted is a miss.
    """

    def __init__(self, max_entries: int) -> None:
        super().__init__(max_entries)

    @property
    def max_entries(self) -> int:
        return self.budget


StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def raw_key(environ: dict[str, Any], version: str, body: bytes) -> bytes:
    """The hash of everything in the raw request that an answer can depend on.

    Whatever the Flask layer's key reads (path, parameters, ``Accept``, the page language from
    ``?lang=``, the ``lang`` cookie or ``Accept-Language``, host and scheme for absolute links, a
    POST's type and body) is here in its raw form, so one raw key never stands for two answers;
    two raw spellings of one request (parameters in another order) may share one kept answer.
    The method is part of it, HEAD spelled as GET: a HEAD is GET's answer without its body (the hit
    leaves the body out), and on ``/sparql``, whose kept answers are keyed by this key, HEAD and GET
    then share one ETag. ``X-Forwarded-*`` is not: the app
    does not read them (waitress trusts only ``X-Forwarded-For``, from ``trusted_proxy``, and that
    names the client for the fairness caps, not the answer).
    """
    cookie = environ.get("HTTP_COOKIE")
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME', '')}:{environ.get('SERVER_PORT', '')}"
    method = environ.get("REQUEST_METHOD")
    parts = (version, __version__, "GET" if method == "HEAD" else method, environ.get("wsgi.url_scheme"), host,
             environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
             environ.get("HTTP_ACCEPT", ""), environ.get("HTTP_ACCEPT_LANGUAGE", ""),
             parse_cookie(cookie).get("lang") if cookie else None, environ.get("CONTENT_TYPE", ""), len(body))
    digest = hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(body)
    return digest.digest()


class RawAnswers:
    """WSGI middleware: answer a request whose raw key is known from the kept bytes, without Flask.

    GET and HEAD anywhere, and POST to ``/sparql`` (its body, within ``max_body`` bytes, is read
    once for the key and handed on to Flask as a fresh stream); everything else goes straight to
    the app. On a miss Flask runs as before; when its cache layer keeps or reuses an answer it
    names the canonical key in the environ, and a 200 without ``Set-Cookie`` (a cookie belongs to
    one client) is then recorded under the raw key. A new dataset version empties both caches.
    """

    def __init__(self, app: WsgiApp, answers: AnswerCache, version: Callable[[], str], max_body: int,
                 max_entries: int) -> None:
        self.app = app
        self.answers = answers
        self.version = version
        self.max_body = max_body
        self.index = RawIndex(max_entries)
        self._seen_version: str | None = None

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD")
        body = b""
        if method == "POST" and environ.get("PATH_INFO") == "/sparql":
            read = self._read_body(environ)
            if read is None:
                return self.app(environ, start_response)
            body = read
        elif method not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        version = self.version()
        if version != self._seen_version:
            self.index.clear()
            self.answers.clear()
            self._seen_version = version
        raw = raw_key(environ, version, body)
        environ[RAW_KEY] = raw
        canonical = self.index.get(raw)
        if canonical is not None:
            kept = self.answers.get(canonical)
            if kept is not None:
                if method != "POST" and self._not_modified(environ, canonical):
                    start_response("304 Not Modified", kept.not_modified_headers)
                    return []
                start_response("200 OK", kept.hit_headers)
                return [] if method == "HEAD" else [kept.body]
        return self._miss(environ, start_response, raw)

    def _miss(self, environ: dict[str, Any], start_response: StartResponse, raw: bytes) -> Iterable[bytes]:
        answer: list[Any] = []

        def recording_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answer[:] = [status, headers]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        body = self.app(environ, recording_start)
        canonical = environ.get(KEPT_KEY)
        # werkzeug calls start_response before it returns the body, so the answer's head is known here.
        if canonical is not None and answer and answer[0].startswith("200 ") and not any(
                name.lower() == "set-cookie" for name, _ in answer[1]):
            self.index.put(raw, canonical)
        return body

    def _read_body(self, environ: dict[str, Any]) -> bytes | None:
        """The request body, put back for Flask; None past ``max_body`` or without a length (Flask decides)."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or "")
        except ValueError:
            return None
        if not 0 <= length <= self.max_body:
            return None  # the app answers 413 without this layer reading it
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        return body

    @staticmethod
    def _not_modified(environ: dict[str, Any], canonical: str) -> bool:
        header = environ.get("HTTP_IF_NONE_MATCH")
        return bool(header) and parse_etags(header).contains(canonical)
