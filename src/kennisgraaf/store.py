"""The store behind the app: one narrow interface, embedded (pyoxigraph) or remote implementations.

Every caller (SPARQL endpoint, canned queries, resource pages, dumps) goes through
:meth:`Store.query`, which returns the results already serialised in the media type asked for.
SPARQL JSON results are the lingua franca between layers: :func:`parse_json_rows` turns them into
rows of :class:`Term` for code that needs Python values.

This first implementation runs queries in-process. DESIGN §6 asks for a killable worker pool
with time limits; the endpoint work replaces :class:`EmbeddedStore` internals without changing
this interface.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import pyoxigraph as ox

from kennisgraaf.dataset import BuiltDataset
from kennisgraaf.vocab import UriStrategy

SPARQL_JSON = "application/sparql-results+json"

Kind = Literal["select", "ask", "graph"]


class StoreError(Exception):
    """A query the store could not answer; ``status`` is the HTTP status to give the client."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class QueryResult:
    """Serialised results: ``kind`` of query, media type and bytes, and whether rows were cut off."""

    kind: Kind
    media_type: str
    body: bytes
    truncated: bool = False


@dataclass(frozen=True)
class Term:
    """An RDF term as SPARQL JSON results describe it."""

    type: str  # "uri" | "literal" | "bnode" | "triple"
    value: str
    datatype: str | None = None
    lang: str | None = None


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
        """Run a read-only query; ``accept`` is a media type of a SPARQL results or RDF format."""
        ...


def parse_json_rows(result: QueryResult) -> tuple[list[str], list[dict[str, Term]]]:
    """Turn SPARQL JSON results into (variables, rows of Terms)."""
    data = json.loads(result.body)
    variables = data["head"].get("vars", [])
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append({
            name: Term(t["type"], t["value"], t.get("datatype"), t.get("xml:lang"))
            for name, t in binding.items()
        })
    return variables, rows


class EmbeddedStore:
    """pyoxigraph in memory, loaded from a built dataset (in-process; see the module note)."""

    def __init__(self, dataset: BuiltDataset, result_limit: int = 50000) -> None:
        self.dataset = dataset
        self.result_limit = result_limit
        self._store = dataset.open_store()
        self._prefixes = UriStrategy(dataset.base).prefixes()

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
        if default_graphs:
            default: object = [ox.NamedNode(iri) for iri in default_graphs]
        else:
            default = ox.NamedNode(self.dataset.asserted_graph_iri()) if asserted else ox.DefaultGraph()
        named = named_graphs if named_graphs is not None else self.dataset.named_graph_iris()
        try:
            results = self._store.query(
                text,
                prefixes=self._prefixes,
                default_graph=default,
                named_graphs=[ox.NamedNode(iri) for iri in named],
                substitutions={ox.Variable(k): v for k, v in (bindings or {}).items()} or None,
            )
        except SyntaxError as exc:
            raise StoreError(str(exc), 400) from None
        if isinstance(results, ox.QueryBoolean):
            fmt = ox.QueryResultsFormat.from_media_type(accept)
            if fmt is None:
                raise StoreError(f"cannot serialise ASK results as {accept}", 406)
            return QueryResult("ask", fmt.media_type, results.serialize(format=fmt))
        if isinstance(results, ox.QueryTriples):
            fmt_rdf = ox.RdfFormat.from_media_type(accept)
            if fmt_rdf is None:
                raise StoreError(f"cannot serialise graph results as {accept}", 406)
            triples = []
            for triple in results:
                if len(triples) >= self.result_limit:
                    return QueryResult("graph", fmt_rdf.media_type, _ser(triples, fmt_rdf, self._prefixes), True)
                triples.append(triple)
            return QueryResult("graph", fmt_rdf.media_type, _ser(triples, fmt_rdf, self._prefixes))
        fmt = ox.QueryResultsFormat.from_media_type(accept)
        if fmt is None:
            raise StoreError(f"cannot serialise SELECT results as {accept}", 406)
        return QueryResult("select", fmt.media_type, results.serialize(format=fmt))


def _ser(triples: list[ox.Triple], fmt: ox.RdfFormat, prefixes: dict[str, str]) -> bytes:
    kwargs = {} if fmt in (ox.RdfFormat.N_TRIPLES,) else {"prefixes": prefixes}
    return ox.serialize(triples, format=fmt, **kwargs)
