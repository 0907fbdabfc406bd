"""What canned-query results look like to clients: formats, evidence, simple JSON rows, HTML tables, OpenAPI.

Pure functions over the catalogue, the store's serialised results and the page index, so the
``queries`` blueprint stays a thin layer of routes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from kennisgraaf import __version__
from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.site.pageindex import PageIndex
from kennisgraaf.sparql.catalogue import ANY, LEXICAL, MAX_LITERAL, CannedQuery, Catalogue, Parameter
from kennisgraaf.sparql.local import open_query, rows, run_local_query
from kennisgraaf.sparql.mediatypes import (
    CSV,
    HTML,
    JSON,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
)
from kennisgraaf.store.base import QueryResult, Solution, Term, boolean, solutions
from kennisgraaf.vocab import XSD, UriStrategy

# The ``?format=`` names of canned queries: ``json`` is the plain JSON rows, ``srj`` SPARQL JSON.
SELECT_FORMATS = {"html": HTML, "json": JSON, "srj": SPARQL_JSON, "xml": SPARQL_XML, "csv": CSV, "tsv": TSV}
ASK_FORMATS = {k: v for k, v in SELECT_FORMATS.items() if k in ("html", "json", "srj", "xml")}
GRAPH_FORMATS = {"html": HTML, "ttl": TURTLE, "jsonld": JSON_LD, "nt": N_TRIPLES, "rdf": RDF_XML}
FORMATS = {**SELECT_FORMATS, **GRAPH_FORMATS}
_NUMBERS = frozenset(ox.NamedNode(XSD[t]) for t in ("integer", "int", "long", "short", "nonNegativeInteger",
                                                      "positiveInteger", "decimal", "double", "float"))
_BOOLEAN = ox.NamedNode(XSD.boolean)


def formats_for(kind: str) -> dict[str, str]:
    """The ``?format=`` names and media types a query of this kind answers in (HTML first)."""
    return GRAPH_FORMATS if kind == "graph" else ASK_FORMATS if kind == "ask" else SELECT_FORMATS


def run_canned(dataset: BuiltDataset, catalogue: Catalogue, name: str, given: dict[str, str], fmt: str, *,
               asserted: bool = False) -> str:
    """Run a canned query on a built dataset for the command line (table, JSON or CSV; graphs as Turtle)."""
    query = catalogue.get(name)
    bound = catalogue.bind(query, given)
    store = dataset.open_store()
    catalogue.check(bound, lambda text: rows(open_query(dataset, store, text))[1])
    return run_local_query(dataset, bound.text, fmt, asserted=asserted)


# -- evidence and plain values --------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceLink:
    """A quote a row rests on, its document, and the link to the quote on the document page."""

    document: str
    quote: str
    href: str


def row_evidence(node: str, index: PageIndex, uris: UriStrategy, root: str = "") -> list[EvidenceLink]:
    """Every quote of ``node``, in text order, linked to ``/doc/document/<slug>#q-<start>-<end>``."""
    found = []
    for ev in index.evidence.get(node, []):
        locations = index.locations_of(ev)
        page = uris.doc_path(ev.document) or ev.document
        anchor = f"#{locations[0].anchor}" if locations else ""
        start = locations[0].start if locations else math.inf
        found.append((ev.document, start, EvidenceLink(ev.document, ev.quote, root.rstrip("/") + page + anchor)))
    return [link for *_, link in sorted(found, key=lambda f: (f[0], f[1], f[2].quote))]


def evidence_for(query: CannedQuery, rows: list[Solution], index: PageIndex, uris: UriStrategy,
                 root: str = "") -> list[list[EvidenceLink]] | None:
    """Per row, the evidence of the query's evidence variable (None when the query declares none)."""
    if query.evidence is None:
        return None
    return [row_evidence(row[query.evidence].value, index, uris, root) if query.evidence in row else []
            for row in rows]


def plain(term: Term) -> Any:
    """A JSON value for a term: numbers and booleans as such, everything else as its text."""
    if isinstance(term, ox.Triple):
        return str(term)
    if isinstance(term, ox.Literal) and term.datatype in _NUMBERS:
        try:
            number = Decimal(term.value)
        except InvalidOperation:
            return term.value
        if number.is_finite():
            return int(number) if number == number.to_integral_value() else float(number)
    if isinstance(term, ox.Literal) and term.datatype == _BOOLEAN:
        return term.value in ("true", "1")
    return term.value


def simple_rows(query: CannedQuery, rows: list[Solution],
                evidence: list[list[EvidenceLink]] | None) -> list[dict[str, Any]]:
    """Rows as plain JSON objects; with ``_evidence`` (document, quote, href) when the query has evidence."""
    out = []
    for i, row in enumerate(rows):
        item: dict[str, Any] = {name: plain(term) for name, term in row.items()}
        if evidence is not None:
            item["_evidence"] = [{"document": e.document, "quote": e.quote, "href": e.href} for e in evidence[i]]
        out.append(item)
    return out


# -- HTML table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One table cell: its text and, for an IRI, the page it links to."""

    text: str
    href: str | None = None
    title: str | None = None


@dataclass
class Table:
    """A result as the HTML page shows it: columns, cells, and per row the evidence links."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    evidence: list[list[EvidenceLink]] | None = None
    truncated: bool = False
    boolean: bool | None = None

    @classmethod
    def build(cls, query: CannedQuery, result: QueryResult, index: PageIndex, uris: UriStrategy,
              lang: str) -> Table:
        if result.kind == "graph":
            return cls._graph(result, index, uris, lang)
        if result.kind == "ask":
            return cls([], boolean=boolean(result))
        variables, rows = solutions(result)
        hidden = {query.evidence, "citaat"} if query.evidence else set()  # the evidence column shows them all
        shown = [v for v in variables if v not in hidden and not (v.endswith("Label") and v[:-5] in variables)]
        table = cls(shown, truncated=result.truncated, evidence=evidence_for(query, rows, index, uris))
        for row in rows:
            table.rows.append([_cell(row.get(v), row.get(v + "Label"), index, uris, lang) for v in shown])
        return table

    @classmethod
    def _graph(cls, result: QueryResult, index: PageIndex, uris: UriStrategy, lang: str) -> Table:
        table = cls(["subject", "predicate", "object"], truncated=result.truncated)
        for triple in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES):
            table.rows.append([_cell(t, None, index, uris, lang)
                               for t in (triple.subject, triple.predicate, triple.object)])
        return table


def _cell(term: Term | None, label: Term | None, index: PageIndex, uris: UriStrategy, lang: str) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, ox.BlankNode | ox.Triple):
        return Cell(str(term))
    if not isinstance(term, ox.NamedNode):
        return Cell(term.value)
    text = label.value if label is not None else index.label(term.value, lang)
    short = term.value[len(uris.base):] if term.value.startswith(uris.base) else term.value
    return Cell(text or short, uris.doc_path(term.value) or term.value, short)


# -- OpenAPI --------------------------------------------------------------------------------


def parameter_schema(param: Parameter, options: list[str] | None = None) -> dict[str, object]:
    """The JSON Schema (OpenAPI 3.1) of a parameter's value; ``options`` lists an IRI parameter's instances."""
    extra = [ANY] if param.optional else []
    if param.optional or param.default is not None:
        extra.append("")  # empty means "not given": the default, or any value
    schema: dict[str, object]
    if param.type == "enum":
        schema = {"type": "string", "enum": [*param.values, *extra]}
    elif param.type == "iri":
        schema = ({"type": "string", "enum": [*options, *extra]} if options
                  else {"type": "string", "format": "iri-reference", "minLength": 1})
    elif param.datatype == str(XSD.string):
        schema = {"type": "string", "maxLength": MAX_LITERAL}
    elif param.datatype == str(XSD.boolean):
        schema = {"type": "string", "enum": ["true", "false", "1", "0", *extra]}
    else:
        any_ = ("|\\*" if param.optional else "") + ("|" if "" in extra else "")
        schema = {"type": "string", "pattern": f"^({LEXICAL[param.datatype or ''].pattern}{any_})$"}
    if param.default is not None:
        schema["default"] = param.default
    return schema


def openapi_parameters(query: CannedQuery, options: Mapping[str, list[str]]) -> list[dict[str, object]]:
    """The query's parameters as OpenAPI 3.1 query parameters (descriptions in nl and en)."""
    return [{
        "name": p.name,
        "in": "query",
        "required": p.default is None and not p.optional,
        "description": f"{p.label['nl']}: {p.description['nl']} — {p.label['en']}: {p.description['en']}",
        "schema": parameter_schema(p, options.get(p.name)),
    } for p in query.parameters]


ERROR = {"type": "object", "required": ["ok", "error", "status"],
         "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}}}
ROWS = {
    "type": "object", "required": ["query", "parameters", "asserted", "variables", "rows", "truncated"],
    "properties": {
        "query": {"type": "string"}, "asserted": {"type": "boolean"}, "truncated": {"type": "boolean"},
        "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
        "variables": {"type": "array", "items": {"type": "string"}},
        "boolean": {"type": "boolean"},
        "rows": {"type": "array", "items": {"type": "object", "properties": {"_evidence": {
            "type": "array", "items": {"type": "object", "required": ["document", "quote", "href"], "properties": {
                "document": {"type": "string"}, "quote": {"type": "string"}, "href": {"type": "string"}}}}}}},
    },
}
CATALOGUE = {"type": "object", "required": ["queries"],
             "properties": {"queries": {"type": "array", "items": {"type": "object", "required": ["name", "title"]}}}}
_TEXT = {"type": "string"}


def _responses(media_types: list[str], ok_schema: dict[str, Any]) -> dict[str, Any]:
    other = {SPARQL_JSON: {"type": "object"}, JSON_LD: {"type": ["array", "object"]}}
    ok = {mt: {"schema": ok_schema if mt == JSON else other.get(mt, _TEXT)} for mt in media_types}
    error = {"content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}, HTML: {"schema": _TEXT}}}
    return {
        "200": {"description": "The results / de resultaten", "content": ok},
        "400": {"description": "A parameter that cannot be used, named in the message", **error},
        "406": {"description": "None of the accepted media types is available", **error},
        "503": {"description": "The store is busy; retry later", **error},
        "504": {"description": "The query ran out of time", **error},
    }


def _common(formats: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": list(formats)},
         "description": "Result format; overrides Accept / resultaatformaat, gaat voor Accept"},
        {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["nl", "en"]},
         "description": "Language of the HTML page / taal van de HTML-pagina"},
    ]


def openapi_document(catalogue: Catalogue, options: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    """The OpenAPI 3.1 document: ``/queries`` and one GET operation per canned query."""
    paths: dict[str, Any] = {"/queries": {"get": {
        "operationId": "catalogue", "summary": "The catalogue of canned queries / de catalogus",
        "tags": ["catalogus"], "parameters": _common({"html": HTML, "json": JSON}),
        "responses": _responses([HTML, JSON], {"$ref": "#/components/schemas/Catalogue"})}}}
    for query in catalogue:
        formats = formats_for(query.kind)
        note = f"\n\nInferentie / inference: {query.inference['en']}" if query.inference else ""
        asserted = {"name": "asserted", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": ["true", "false", "1", "0", ""], "default": "false"},
                    "description": "Asserted facts only, without the OWL-RL inferences / alleen beweerde feiten"}
        paths[f"/queries/{query.name}"] = {"get": {
            "operationId": query.name, "summary": query.title["en"], "tags": list(query.tags),
            "description": f"{query.title['nl']}\n\n{query.description['nl']}\n\n{query.description['en']}{note}",
            "parameters": [*openapi_parameters(query, options.get(query.name, {})), asserted, *_common(formats)],
            "responses": _responses(list(formats.values()), {"$ref": "#/components/schemas/Rows"}),
        }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kennisgraaf: canned queries / vaste vragen", "version": __version__,
                 "description": "Named, parameterised questions over the kennisgraaf knowledge graph of the Dutch "
                                "sociaal domein. Parameters are bound as RDF terms. See /queries.",
                 "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}},
        "paths": paths,
        "components": {"schemas": {"Error": ERROR, "Rows": ROWS, "Catalogue": CATALOGUE}},
    }
