"""The store behind the app: one narrow interface, an embedded and a remote implementation.

Every query, from every route, goes through :meth:`GuardedStore.query`: admission by
:mod:`kennisgraaf.sparql.admission` (size, read-only, SERVICE, nesting, FROM graphs), the cap on queries
in flight (503 with Retry-After past it), the choice of the dataset (protocol parameters, else
the query's FROM / FROM NAMED, else the default graph: the materialised union, or the asserted
union when ``asserted``; named graphs: the real graphs, never the unions; a graph that is not in
the dataset is an empty graph), and a time limit. A query's own fault is a 4xx with the engine's
message; a fault of the store is logged under a short incident id that the client is given
(:func:`store_fault`), never the internals.

:class:`EmbeddedStore` runs queries in a pool of worker processes that each hold the dataset in
pyoxigraph (:mod:`kennisgraaf.store.embedded`); the remote store is in
:mod:`kennisgraaf.store.remote`, and :func:`kennisgraaf.store.backend.open_store` picks one from the settings.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import pyoxigraph as ox

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql import mediatypes
from kennisgraaf.sparql.admission import Admitted, GuardError, Limits, admit
from kennisgraaf.vocab import UriStrategy

SPARQL_JSON = mediatypes.SPARQL_JSON
log = logging.getLogger("kennisgraaf.store")

Kind = Literal["select", "ask", "graph"]
Binding = ox.NamedNode | ox.Literal
#: A value in a solution (RDF 1.2 triple terms included).
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
#: A solution of a SELECT query: its bound variables and their values.
Solution = dict[str, Term]


class StoreError(Exception):
    """A query the store could not answer; ``status`` is the HTTP status to give the client."""

    def __init__(self, message: str, status: int = 400, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.headers = dict(headers or {})
        self.incident: str | None = None


def query_hash(text: str) -> str:
    """A short hash of a query text: how the log names a query without writing it out."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def store_fault(message: str, detail: str, *, status: int = 500, query: str | None = None) -> StoreError:
    """A failure of the store, not of the query: logged in full under a short id; the client sees the id only.

    ``message`` is for the client (no host names, paths or tracebacks); ``detail`` goes to the log.
    """
    incident = secrets.token_hex(4)
    log.error("incident %s: %s%s", incident, detail, f" (query {query_hash(query)})" if query else "")
    error = StoreError(f"{message} (incident {incident}: the operator finds the details in the server log under "
                       "this id).", status)
    error.incident = incident
    return error


@dataclass(frozen=True)
class QueryResult:
    """Serialised results: ``kind`` of query, media type and bytes, and whether rows were cut off."""

    kind: Kind
    media_type: str
    body: bytes
    truncated: bool = False


class Store(Protocol):
    """What the app needs from a store."""

    def query(
        self,
        text: str,
        *,
        accept: str = SPARQL_JSON,
        asserted: bool = False,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: Mapping[str, ox.NamedNode | ox.Literal] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a read-only query; ``accept`` is a media type (or an Accept header) of a result format."""
        ...


def solutions(result: QueryResult) -> tuple[list[str], list[Solution]]:
    """SELECT results as (variables, rows): each row maps the bound variables to pyoxigraph terms."""
    parsed = _parse(result)
    if isinstance(parsed, ox.QueryBoolean):
        raise TypeError("an ASK result has no solutions")
    variables = [v.value for v in parsed.variables]
    return variables, [{name: term for name, term in zip(variables, solution, strict=True) if term is not None}
                       for solution in parsed]


def boolean(result: QueryResult) -> bool:
    """The answer of an ASK query."""
    parsed = _parse(result)
    if not isinstance(parsed, ox.QueryBoolean):
        raise TypeError("not an ASK result")
    return bool(parsed)


def _parse(result: QueryResult) -> ox.QuerySolutions | ox.QueryBoolean:
    fmt = ox.QueryResultsFormat.from_media_type(result.media_type)
    if fmt is None:
        raise TypeError(f"{result.media_type} is not a format of SELECT or ASK results")
    return ox.parse_query_results(result.body, format=fmt)


@dataclass(frozen=True)
class QueryPlan:
    """An admitted query, ready for an engine: the media type to write and the dataset to use."""

    admitted: Admitted
    kind: Kind | None
    media_type: str
    default_graph: list[str] | None  # None: the store's default graph (the full union)
    named_graphs: list[str]
    own_named_graphs: bool = False  # named_graphs are the dataset's real graphs (no FROM NAMED or protocol list)


def _check_iri(name: str) -> None:
    """A graph name must be an IRI the engine accepts (a malformed one is the request's fault)."""
    try:
        ox.NamedNode(name)
    except ValueError as exc:
        raise StoreError(f"The graph name <{name}> is not a valid IRI: {exc}.") from None


class GuardedStore:
    """Admission, dataset choice, in-flight cap and time limit shared by both stores."""

    def __init__(self, dataset: BuiltDataset, *, result_limit: int = DEFAULTS.result_limit,
                 timeout: float = DEFAULTS.query_timeout, max_in_flight: int = DEFAULTS.max_in_flight,
                 limits: Limits | None = None) -> None:
        self.dataset = dataset
        self.result_limit = result_limit
        self.timeout = timeout
        self.max_in_flight = max_in_flight
        self.limits = limits or Limits()
        self.uris = UriStrategy(dataset.base)
        self.prefixes = self.uris.prefixes()
        self.named = dataset.named_graph_iris()
        self.graphs = frozenset([*self.named, dataset.asserted_graph_iri()])
        self._slots = threading.BoundedSemaphore(max_in_flight)

    def plan(self, text: str, *, accept: str = SPARQL_JSON, asserted: bool = False,
             default_graphs: Sequence[str] | None = None, named_graphs: Sequence[str] | None = None) -> QueryPlan:
        """Admit ``text`` and choose its media type and dataset (raises :class:`StoreError`)."""
        try:
            # Any graph name is allowed: one that is not in the dataset is an empty graph (SPARQL 1.1
            # Protocol, as the W3C tests, Oxigraph and Fuseki have it). The engine looks names up in
            # its own store only; it never dereferences them or reads a file.
            admitted = admit(text, limits=self.limits, base=self.dataset.base, prefixes=self.prefixes)
        except GuardError as exc:
            raise StoreError(exc.message, exc.status) from None
        kind = admitted.form
        supported = mediatypes.GRAPH_TYPES if kind == "graph" else mediatypes.RESULT_TYPES
        if accept in supported:  # the endpoint has negotiated already: no Accept header to read again
            media_type = accept
        else:
            try:
                media_type = mediatypes.negotiate(accept, supported)
            except mediatypes.NotAcceptable as exc:
                raise StoreError(str(exc), 406) from None
        own = False
        if default_graphs is not None or named_graphs is not None:
            default = list(default_graphs) if default_graphs is not None else self._default(asserted)
            named = list(named_graphs) if named_graphs is not None else list(self.named)
            own = named_graphs is None
        elif admitted.has_dataset_clause:
            default, named = admitted.from_graphs, admitted.from_named_graphs
        else:
            default, named, own = self._default(asserted), list(self.named), True
        for name in [*(default or []), *named]:
            if name not in self.graphs:  # the dataset's own graph names are IRIs
                _check_iri(name)
        return QueryPlan(admitted, kind, media_type, default, named, own)

    def _default(self, asserted: bool) -> list[str] | None:
        return [self.dataset.asserted_graph_iri()] if asserted else None

    def query(
        self,
        text: str,
        *,
        accept: str = SPARQL_JSON,
        asserted: bool = False,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        bindings: Mapping[str, Binding] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a read-only query (see the module note for what is checked and how)."""
        plan = self.plan(text, accept=accept, asserted=asserted, default_graphs=default_graphs,
                         named_graphs=named_graphs)
        if not self._slots.acquire(blocking=False):
            raise StoreError(
                f"The endpoint is busy ({self.max_in_flight} queries in flight); try again in a moment.",
                503, {"Retry-After": "2"},
            )
        try:
            return self.execute(plan, dict(bindings or {}), self.timeout if timeout is None else timeout)
        finally:
            self._slots.release()

    def execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
        raise NotImplementedError

    def timeout_error(self, timeout: float) -> StoreError:
        return StoreError(f"The query did not finish within the time limit of {timeout:g} s and was stopped.", 504)

    def close(self) -> None:
        """Release what the store holds (processes, connections)."""
