"""A remote SPARQL 1.1 store: queries over the SPARQL 1.1 Protocol, loading over the Graph Store Protocol.

``load_into`` puts every named graph of the build into the store (``PUT ?graph=``), plus the two
materialised unions: the asserted union as ``graph/asserted`` and the full union both as the
store's default graph (for people who query the store directly) and as ``graph/union``.
:class:`RemoteStore` always names its dataset: the default graph is ``graph/union`` (or
``graph/asserted``, or what the request or the query's FROM names) and the named graphs are the
real ones, so ``GRAPH ?g`` never sees the unions and answers equal the embedded store's.

The app's request to the store has the query's time limit: past it the client gets 504 and the
app stops reading. That does not stop the store's own work: give the store a server-side limit
too (``oxigraph serve --timeout-s``, Fuseki's ``arq:queryTimeout``, Virtuoso's
``MaxQueryExecutionTime``). Results are read as SPARQL JSON or N-Triples and written again in the
requested format, so the result limit and the formats are the embedded store's.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import pyoxigraph as ox
import requests

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql import mediatypes
from kennisgraaf.sparql.admission import Limits
from kennisgraaf.sparql.results import serialise_solutions
from kennisgraaf.store.base import Binding, GuardedStore, QueryPlan, QueryResult, StoreError

UNION_GRAPH = "union"
USER_AGENT = "kennisgraaf"


class RemoteStore(GuardedStore):
    """The dataset in a SPARQL 1.1 store at ``endpoint`` (its query URL), loaded with :func:`load_into`."""

    def __init__(self, endpoint: str, dataset: BuiltDataset, *, result_limit: int = DEFAULTS.result_limit,
                 timeout: float = DEFAULTS.query_timeout, max_in_flight: int = DEFAULTS.max_in_flight,
                 limits: Limits | None = None, connect_timeout: float = 5.0) -> None:
        super().__init__(dataset, result_limit=result_limit, timeout=timeout, max_in_flight=max_in_flight,
                         limits=limits)
        self.endpoint = endpoint
        self.connect_timeout = connect_timeout
        self.union_graph = dataset.graph_iri(UNION_GRAPH)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def execute(self, plan: QueryPlan, bindings: dict[str, Binding], timeout: float) -> QueryResult:
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
            raise StoreError(f"The SPARQL store at {self.endpoint} cannot be reached: {exc}", 502) from None
        with response:
            if response.status_code != 200:
                raise _remote_error(response)
            response.raw.decode_content = True
            try:
                return self._read(plan, response, lambda: time.monotonic() > deadline)
            except requests.RequestException as exc:
                if isinstance(exc, requests.Timeout) or time.monotonic() > deadline:
                    raise self.timeout_error(timeout) from None
                raise StoreError(f"The SPARQL store's answer broke off: {exc}", 502) from None
            except _Overrun:
                raise self.timeout_error(timeout) from None
            except (SyntaxError, OSError, ValueError) as exc:
                if time.monotonic() > deadline:
                    raise self.timeout_error(timeout) from None
                raise StoreError(f"The SPARQL store's answer could not be read: {exc}", 502) from None

    def _text(self, plan: QueryPlan, bindings: dict[str, Binding]) -> str:
        """The query with BASE and our prefixes in front, and bindings as a trailing VALUES clause."""
        declared = plan.admitted.prefixes
        # One line in front of the query's first line, so that the store's error messages keep the
        # query's line numbers.
        prologue = f"BASE <{self.dataset.base}> " + "".join(
            f"PREFIX {name}: <{iri}> " for name, iri in self.prefixes.items() if name not in declared)
        text = prologue + plan.admitted.text
        if bindings:
            names = " ".join(f"?{name}" for name in bindings)
            values = " ".join(str(term) for term in bindings.values())
            text += f"\nVALUES ({names}) {{ ({values}) }}\n"
        return text

    def _read(self, plan: QueryPlan, response: requests.Response, late: Callable[[], bool]) -> QueryResult:
        if plan.kind == "graph":
            triples = ox.parse(input=response.raw, format=ox.RdfFormat.N_TRIPLES)
            kept, truncated = _take(triples, self.result_limit, late)
            fmt = mediatypes.rdf_format(plan.media_type)
            kwargs: dict[str, Any] = {"prefixes": self.prefixes} if fmt in (
                ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else {}
            return QueryResult("graph", plan.media_type, ox.serialize(kept, format=fmt, **kwargs), truncated)
        results = ox.parse_query_results(input=response.raw, format=ox.QueryResultsFormat.JSON)
        if isinstance(results, ox.QueryBoolean):
            fmt_results = ox.QueryResultsFormat.from_media_type(plan.media_type)
            return QueryResult("ask", plan.media_type, results.serialize(format=fmt_results))
        variables = [v.value for v in results.variables]
        rows, truncated = _take((tuple(solution) for solution in results), self.result_limit, late)
        body = serialise_solutions(variables, rows, plan.media_type)
        return QueryResult("select", plan.media_type, body, truncated)

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


def _remote_error(response: requests.Response) -> StoreError:
    message = response.text[:2000].strip()
    if response.status_code in (400, 406, 413, 414, 415):
        return StoreError(message or f"The SPARQL store refused the query ({response.status_code}).",
                          response.status_code)
    if response.status_code in (503, 504):
        return StoreError(f"The SPARQL store is busy or timed out ({response.status_code}): {message}",
                          response.status_code, {"Retry-After": response.headers.get("Retry-After", "5")})
    return StoreError(f"The SPARQL store failed ({response.status_code}): {message}", 502)


# --- loading -----------------------------------------------------------------------------------


def graphs_to_load(dataset: BuiltDataset) -> dict[str | None, list[ox.Triple]]:
    """Triples per target graph IRI (None: the store's default graph), unions included."""
    graphs: dict[str | None, list[ox.Triple]] = defaultdict(list)
    inferred = dataset.inferred_graph_iri()
    union: dict[ox.Triple, None] = {}
    asserted: dict[ox.Triple, None] = {}
    for quad in ox.parse(path=str(dataset.quads_file), format=ox.RdfFormat.N_QUADS):
        triple = ox.Triple(quad.subject, quad.predicate, quad.object)
        graphs[quad.graph_name.value].append(triple)
        union[triple] = None
        if quad.graph_name.value != inferred:
            asserted[triple] = None
    graphs[dataset.asserted_graph_iri()] = list(asserted)
    graphs[dataset.graph_iri(UNION_GRAPH)] = list(union)
    graphs[None] = list(union)
    return dict(graphs)


def load_into(url: str, dataset: BuiltDataset, *, timeout: float = 120.0,
              progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """PUT every graph of ``dataset`` into the Graph Store Protocol endpoint ``url``; return triples per graph."""
    loaded: dict[str, int] = {}
    with requests.Session() as session:
        session.headers["User-Agent"] = USER_AGENT
        for graph, triples in sorted(graphs_to_load(dataset).items(), key=lambda item: item[0] or ""):
            params = {"graph": graph} if graph is not None else {"default": ""}
            body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            try:
                response = session.put(url, params=params, data=body, timeout=timeout,
                                       headers={"Content-Type": "application/n-triples"})
            except requests.RequestException as exc:
                raise StoreError(f"cannot reach the graph store at {url}: {exc}", 502) from None
            if response.status_code not in (200, 201, 204):
                raise StoreError(f"the graph store refused {graph or 'the default graph'} "
                                 f"({response.status_code}): {response.text[:500]}", 502)
            loaded[graph or "(default graph)"] = len(triples)
            if progress is not None:
                progress(f"{graph or '(default graph)'}: {len(triples)} triples")
    return loaded
