"""What canned-query results look like to clients: formats, evidence, simple JSON rows, HTML tables.

Pure functions over the catalogue, the store's serialised results and the page index, so the
``queries`` blueprint stays a thin layer of routes.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.site.pageindex import LABEL_PROPERTIES, PageIndex
from kennisgraaf.sparql.catalogue import CannedQuery, Catalogue
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


def simple_rows(query: CannedQuery, rows: list[Solution], evidence: list[list[EvidenceLink]] | None,
                fallbacks: list[set[str]] | None = None) -> list[dict[str, Any]]:
    """Rows as plain JSON objects; with ``_evidence`` (document, quote, href) when the query has evidence,
    and ``_fallback`` naming the columns whose text is not in the language asked for."""
    out = []
    for i, row in enumerate(rows):
        item: dict[str, Any] = {name: plain(term) for name, term in row.items()}
        if fallbacks is not None and fallbacks[i]:
            item["_fallback"] = sorted(fallbacks[i])
        if evidence is not None:
            item["_evidence"] = [{"document": e.document, "quote": e.quote, "href": e.href} for e in evidence[i]]
        out.append(item)
    return out


# -- the reader's language -----------------------------------------------------------------


def label_in(index: PageIndex, iri: str, lang: str) -> tuple[str, str] | None:
    """The best label of ``iri`` for a reader of ``lang``, and its language ('' untagged).

    Preferred: ``lang``, then an untagged label, then the other language (a fallback the caller
    marks); label properties in the page index's order (skos:prefLabel, rdfs:label, …).
    """
    by_prop = index.labels.get(iri)
    if not by_prop:
        return None
    other = "nl" if lang == "en" else "en"
    for code in (lang, "", other):
        for prop in LABEL_PROPERTIES:
            if code in by_prop.get(prop, {}):
                return by_prop[prop][code], code
    for labels in by_prop.values():
        for code, text in sorted(labels.items()):
            return text, code
    return None


def label_text_in(index: PageIndex, iri: str, default: str, lang: str) -> tuple[str, str | None]:
    """The label of ``iri`` in ``lang`` (else ``default``), and its language when it is a fallback."""
    found = label_in(index, iri, lang)
    if found is None:
        return default, None
    text, code = found
    return text, code if code and code != lang else None


@dataclass
class Localised:
    """SELECT rows with a ``…Label`` column in the reader's language for every IRI column.

    ``fallbacks`` holds, per row, the columns whose text is in another language than asked
    (no label in that language, or text the documents give in Dutch only).
    """

    variables: list[str]
    rows: list[Solution]
    fallbacks: list[set[str]]
    lang: str


def localise(variables: list[str], rows: list[Solution], index: PageIndex, lang: str) -> Localised:
    """Relabel the IRI columns of ``rows`` in ``lang`` (the query's own labels are Dutch)."""
    iri_columns = [v for v in variables if not (v.endswith("Label") and v[:-5] in variables)
                   and any(isinstance(row.get(v), ox.NamedNode) for row in rows)]
    shown = list(variables)
    for v in iri_columns:
        if v + "Label" not in shown:
            shown.insert(shown.index(v) + 1, v + "Label")
    out, fallbacks = [], []
    for row in rows:
        row = dict(row)
        for v in iri_columns:
            term = row.get(v)
            found = label_in(index, term.value, lang) if isinstance(term, ox.NamedNode) else None
            if found is not None:
                text, code = found
                row[v + "Label"] = ox.Literal(text, language=code) if code else ox.Literal(text)
        other = {name for name, term in row.items()
                 if isinstance(term, ox.Literal) and term.language and term.language != lang}
        out.append(row)
        fallbacks.append(other)
    return Localised(shown, out, fallbacks, lang)


# -- HTML table -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, for an IRI the page it links to, and the text's language if not the page's."""

    text: str
    href: str | None = None
    title: str | None = None
    fallback: str | None = None  # e.g. "nl" on an English page: no English label (or Dutch-only text)


@dataclass
class Table:
    """A result as the HTML page shows it: columns (variables and headings), cells, evidence per row."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    evidence: list[list[EvidenceLink]] | None = None
    truncated: bool = False
    boolean: bool | None = None
    headings: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, query: CannedQuery, result: QueryResult, index: PageIndex, uris: UriStrategy,
              lang: str) -> Table:
        if result.kind == "graph":
            return cls._graph(result, index, uris, lang)
        if result.kind == "ask":
            return cls([], boolean=boolean(result))
        variables, rows = solutions(result)
        loc = localise(variables, rows, index, lang)
        hidden = {query.evidence, "citaat"} if query.evidence else set()  # the evidence column shows them all
        shown = [v for v in loc.variables if v not in hidden and not (v.endswith("Label") and v[:-5] in loc.variables)]
        table = cls(shown, truncated=result.truncated, evidence=evidence_for(query, rows, index, uris),
                    headings=[query.heading(v, lang) for v in shown])
        for row, other in zip(loc.rows, loc.fallbacks, strict=True):
            table.rows.append([_cell(row.get(v), row.get(v + "Label"), uris, other, v) for v in shown])
        return table

    @classmethod
    def _graph(cls, result: QueryResult, index: PageIndex, uris: UriStrategy, lang: str) -> Table:
        columns = ["subject", "predicate", "object"]
        headings = ["onderwerp", "eigenschap", "waarde"] if lang == "nl" else ["subject", "predicate", "object"]
        table = cls(columns, truncated=result.truncated, headings=headings)
        for triple in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES):
            terms = dict(zip(columns, (triple.subject, triple.predicate, triple.object), strict=True))
            loc = localise(columns, [terms], index, lang)
            table.rows.append([_cell(loc.rows[0].get(v), loc.rows[0].get(v + "Label"), uris, loc.fallbacks[0], v)
                               for v in columns])
        return table


def _cell(term: Term | None, label: Term | None, uris: UriStrategy, fallbacks: set[str], variable: str) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, ox.BlankNode | ox.Triple):
        return Cell(str(term))
    if not isinstance(term, ox.NamedNode):
        return Cell(term.value, fallback=term.language if variable in fallbacks else None)
    short = term.value[len(uris.base):] if term.value.startswith(uris.base) else term.value
    marked = label.language if isinstance(label, ox.Literal) and variable + "Label" in fallbacks else None
    return Cell(label.value if label is not None else short, uris.doc_path(term.value) or term.value, short, marked)


def csv_text(localised: Localised) -> str:
    """SPARQL 1.1 CSV of localised rows (plain values, CRLF), with the ``…Label`` columns in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(localised.variables)
    for row in localised.rows:
        writer.writerow([_csv_value(row.get(v)) for v in localised.variables])
    return out.getvalue()


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode | ox.Triple):
        return str(term)
    return term.value
