"""A remote SPARQL 1.1 store: queries over the SPARQL 1.1 Protocol (loading it: :mod:`kennisgraaf.store.loader`).

:class:`RemoteStore` always names its dataset: the default graph is ``graph/union`` (or
``graph/asserted``, or what the request or the query's FROM names) and the named graphs are the
real ones, so ``GRAPH ?g`` never sees the unions and answers equal the embedded store's.
Bindings (page and canned-query parameters) go in as a ``VALUES`` block at the start of the
query's outermost group, which every store parses (Virtuoso refuses a trailing ``VALUES`` after
an ``ASK``).

Status codes by cause: the store does not answer within the query's time limit, or stops the
query at its own limit (Virtuoso ``SR171``, its cost estimate, or incomplete "anytime" results),
→ 504; the store cannot be reached → 503 with ``Retry-After``; the store refuses our credentials →
502 saying so; the store refuses the query → its status (400 …) with its message; anything else
from the store → 502. A fault of the store reaches the client as a short message with an incident
id, its details (URL, account, the store's words) only the log (:func:`store_fault`). Every
message and log line goes through :class:`~kennisgraaf.store.credentials.Redactor`.
A result Virtuoso cut at its ``ResultSetMaxRows`` (it says so in ``X-SPARQL-MaxRows``) is marked
truncated, as ours are.

Deviations tolerated on read: Virtuoso writes blank nodes in SPARQL JSON as ``nodeID://b123``,
which is no blank node label; the prefix is dropped as the results stream in.
"""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import IO, Any

import pyoxigraph as ox
import requests

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql import mediatypes
from kennisgraaf.sparql.admission import Limits
from kennisgraaf.sparql.results import serialise_solutions
from kennisgraaf.store.base import Binding, GuardedStore, QueryPlan, QueryResult, StoreError, store_fault
from kennisgraaf.store.client import connection_reason, open_session, text_of
from kennisgraaf.store.credentials import Credentials, credentials_in_url, refusal
from kennisgraaf.store.loader import UNION_GRAPH

RETRY_AFTER = "5"
# A store's own time limit, as Virtuoso (SR171, its cost estimate) and others word it.
_STORE_TIMEOUT = re.compile(r"(?i)SR171|transaction timed out|estimated execution time|timed out|timeout|"
                            r"operation has been cancelled")


class RemoteStore(GuardedStore):
    """The dataset in a SPARQL 1.1 store at ``endpoint`` (its query URL), loaded with
    :func:`~kennisgraaf.store.loader.load_into`."""

    def __init__(self, endpoint: str, dataset: BuiltDataset, *, result_limit: int = DEFAULTS.result_limit,
                 timeout: float = DEFAULTS.query_timeout, max_in_flight: int = DEFAULTS.max_in_flight,
                 limits: Limits | None = None, connect_timeout: float = 5.0,
                 credentials: Credentials | None = None) -> None:
        super().__init__(dataset, result_limit=result_limit, timeout=timeout, max_in_flight=max_in_flight,
                         limits=limits)
        self.endpoint, self.credentials, self.redact = credentials_in_url(endpoint, credentials)
        self.connect_timeout = connect_timeout
        self.union_graph = dataset.graph_iri(UNION_GRAPH)
        self.session = open_session(self.credentials)
        self._local = threading.local()  # the answer being read, per request thread

    def execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
        try:
            return self._execute(plan, bindings, timeout)
        except StoreError as exc:
            # The one place every message passes: no secret reaches a client, a log or /health
            # (a fault with an incident id was redacted before it was logged: _fault).
            if exc.incident:
                raise
            raise StoreError(self.redact(exc.message), exc.status, exc.headers) from None

    def _fault(self, message: str, detail: str, status: int, headers: dict[str, str] | None = None) -> StoreError:
        """A failure of the store: the client gets ``message`` and an incident id, the log the (redacted) detail."""
        fault = store_fault(message, self.redact(f"remote store {self.endpoint}: {detail}"), status=status)
        fault.headers.update(headers or {})
        return fault

    def _execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
        deadline = time.monotonic() + timeout
        wire = "application/n-triples" if plan.kind == "graph" else mediatypes.SPARQL_JSON
        data: list[tuple[str, str]] = [("query", self._text(plan, bindings))]
        data += [("default-graph-uri", g) for g in (plan.default_graph or [self.union_graph])]
        data += [("named-graph-uri", g) for g in plan.named_graphs]
        try:
            response = self.session.post(
                self.endpoint, data=data, stream=True,
                headers={"Accept": wire, "Accept-Encoding": "identity"},
                timeout=(min(self.connect_timeout, timeout), max(0.01, deadline - time.monotonic())),
            )
        except requests.Timeout:
            raise self.timeout_error(timeout) from None
        except requests.RequestException as exc:
            raise self._fault("The SPARQL store cannot be reached; try again in a moment.",
                              f"cannot be reached: {connection_reason(exc)}", 503,
                              {"Retry-After": RETRY_AFTER}) from None
        with response:
            if response.status_code != 200:
                raise self._error(response, timeout)
            if response.headers.get("X-SQL-State"):
                # Virtuoso's "anytime" answer: cut off at its own time limit, yet 200.
                raise StoreError("The SPARQL store stopped the query at its own time limit (it sent incomplete "
                                 "results).", 504)
            response.raw.decode_content = True
            try:
                result = self._read(plan, response, lambda: time.monotonic() > deadline)
                if "X-SPARQL-MaxRows" in response.headers and not result.truncated:
                    # Virtuoso reached its ResultSetMaxRows: the answer may be cut; say so, as we do.
                    result = dataclasses.replace(result, truncated=True)
                return result
            except requests.RequestException as exc:
                if isinstance(exc, requests.Timeout) or time.monotonic() > deadline:
                    raise self.timeout_error(timeout) from None
                raise self._fault("The SPARQL store's answer broke off.",
                                  f"answer broke off: {connection_reason(exc)}", 502) from None
            except _Overrun:
                raise self.timeout_error(timeout) from None
            except (SyntaxError, OSError, ValueError) as exc:
                if time.monotonic() > deadline:
                    raise self.timeout_error(timeout) from None
                if _STORE_TIMEOUT.search(self._tail.decode("utf-8", "replace")):
                    # Oxigraph's own time limit: a 200 whose body breaks off with "… has been cancelled".
                    raise StoreError("The SPARQL store stopped the query at its own time limit (its answer broke "
                                     "off: " + self._tail.decode("utf-8", "replace")[-120:].strip() + ").",
                                     504) from None
                raise self._fault("The SPARQL store's answer could not be read.", f"unreadable answer: {exc}",
                                  502) from None

    def _error(self, response: requests.Response, timeout: float) -> StoreError:
        message = text_of(response)
        status = response.status_code
        if status in (401, 403):
            reason = f"{status} {'Unauthorized' if status == 401 else 'Forbidden'}"
            shown = (f"The SPARQL store refused the app's credentials ({reason})." if self.credentials else
                     f"The SPARQL store asks for credentials ({reason}) and the app has none.")
            return self._fault(shown, refusal(status, self.credentials, "SPARQL store", "store_user, "
                                               "store_password, store_auth, store_token or store_headers"), 502)
        if status in (400, 406, 413, 414, 415):
            return StoreError(message or f"The SPARQL store refused the query ({status}).", status)
        # Virtuoso repeats the query after "SPARQL query:"; only the message before it counts.
        if status == 504 or (status >= 500 and _STORE_TIMEOUT.search(message.split("SPARQL query:")[0])):
            return StoreError("The SPARQL store stopped the query at its own time limit.", 504)
        if status == 503:
            return StoreError("The SPARQL store is busy; try again in a moment.", 503,
                              {"Retry-After": response.headers.get("Retry-After", RETRY_AFTER)})
        return self._fault("The SPARQL store failed.", f"{status}: {message}", 502)

    def _text(self, plan: QueryPlan, bindings: dict[str, Binding]) -> str:
        """The query with BASE and our prefixes in front, and bindings as a VALUES block in its outermost group."""
        declared = plan.admitted.prefixes
        # One line in front of the query's first line, so that the store's error messages keep the
        # query's line numbers.
        prologue = f"BASE <{self.dataset.base}> " + "".join(
            f"PREFIX {name}: <{iri}> " for name, iri in self.prefixes.items() if name not in declared)
        text = plan.admitted.text
        if bindings:
            names = " ".join(f"?{name}" for name in bindings)
            values = " ".join(str(term) for term in bindings.values())
            at = outer_group_start(text)
            if at is None:
                raise StoreError("This query has no group to bind parameters in.", 400)
            text = text[:at] + f" VALUES ({names}) {{ ({values}) }} " + text[at:]
        return prologue + text

    @property
    def _tail(self) -> bytes:
        reader = getattr(self._local, "reader", None)
        return reader.tail if reader is not None else b""

    def _read(self, plan: QueryPlan, response: requests.Response, late: Callable[[], bool]) -> QueryResult:
        reader = self._local.reader = BlankNodeFix(response.raw)
        if plan.kind == "graph":
            triples = ox.parse(input=reader, format=ox.RdfFormat.N_TRIPLES)
            kept, truncated = _take(triples, self.result_limit, late)
            fmt = mediatypes.rdf_format(plan.media_type)
            kwargs: dict[str, Any] = {"prefixes": self.prefixes} if fmt in (
                ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
            return QueryResult("graph", plan.media_type, ox.serialize(kept, format=fmt, **kwargs), truncated)
        results = ox.parse_query_results(input=reader, format=ox.QueryResultsFormat.JSON)
        if isinstance(results, ox.QueryBoolean):
            fmt_results = ox.QueryResultsFormat.from_media_type(plan.media_type)
            return QueryResult("ask", plan.media_type, results.serialize(format=fmt_results))
        variables = [v.value for v in results.variables]
        rows, truncated = _take((tuple(solution) for solution in results), self.result_limit, late)
        body = serialise_solutions(variables, rows, plan.media_type)
        return QueryResult("select", plan.media_type, body, truncated)

    def describe(self) -> str:
        """The store for operators: its URL and how we authenticate, without secrets."""
        return f"{self.endpoint} ({self.credentials.describe()})"

    def close(self) -> None:
        self.session.close()


class _Overrun(Exception):
    """The deadline passed while the answer was being read."""


def _take(items: Iterator[Any] | Any, limit: int, late: Callable[[], bool]) -> tuple[list[Any], bool]:
    kept: list[Any] = []
    for item in items:
        if len(kept) == limit:
            return kept, True
        kept.append(item)
        if len(kept) % 1000 == 0 and late():
            raise _Overrun
    if late():
        raise _Overrun
    return kept, False


class BlankNodeFix:
    """A byte stream of query results (SPARQL JSON or N-Triples) with Virtuoso's ``"type": "bnode", "value": "nodeID://b1"``
    turned into ``"value": "b1"`` (a valid label), as it streams.

    The pattern cannot occur inside a JSON string (its quotes would be escaped there), so only blank
    node values are touched; a tail is held back so that a match split between reads is still found.
    """

    _PATTERN = re.compile(rb'("type"\s{0,8}:\s{0,8}"bnode"\s{0,8},\s{0,8}"value"\s{0,8}:\s{0,8}")nodeID://')
    _HOLD = 80

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.pending = b""  # read, not yet fixed for certain (may hold the start of a match)
        self.ready = b""  # fixed
        self.done = False
        self.tail = b""  # the last bytes read: why an answer broke off

    def read(self, size: int = -1) -> bytes:
        while not self.done and (size < 0 or len(self.ready) < size):
            chunk = self.raw.read(65536)
            if not chunk:
                self.done = True
            self.tail = (self.tail + chunk)[-300:]
            self.pending = self._PATTERN.sub(rb"\1", self.pending + chunk)
            # Keep back a tail that may hold the start of a match; what is before it is final.
            cut = len(self.pending) if self.done else max(0, len(self.pending) - self._HOLD)
            self.ready += self.pending[:cut]
            self.pending = self.pending[cut:]
        if size < 0:
            out, self.ready = self.ready, b""
        else:
            out, self.ready = self.ready[:size], self.ready[size:]
        return out


def outer_group_start(text: str) -> int | None:
    """Offset just after the ``{`` that opens the query's outermost group pattern (its WHERE clause).

    Skips comments, strings and IRIs. The WHERE keyword is optional in SELECT, ASK and DESCRIBE;
    without one, the first ``{`` at the top level opens the group (a CONSTRUCT template always has
    a WHERE after it).
    """
    depth, first, i = 0, None, 0
    while i < len(text):
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        if char in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else char
            end = i + len(quote)
            while end < len(text) and not text.startswith(quote, end):
                end += 2 if text[end] == "\\" else 1
            i = end + len(quote)
            continue
        iri = _IRIREF.match(text, i) if char == "<" else None
        if iri:
            i = iri.end()
            continue
        if char == "{":
            if depth == 0 and first is None:
                first = i + 1
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and _WHERE.match(text, i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_?$:")):
            brace = text.find("{", i)
            return brace + 1 if brace >= 0 else None
        i += 1
    return first


_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WHERE = re.compile(r"(?i)WHERE\b")
