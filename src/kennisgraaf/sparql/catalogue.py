"""Canned queries: ``queries/*.rq`` files with a ``#+`` YAML header and typed parameters.

A header that does not parse, or that does not fit the query below it, fails loudly with the file
and the problem (:class:`CatalogueError`). Parameter values are checked against their declared
type and turned into RDF terms (pyoxigraph ``NamedNode``/``Literal``); they reach the query as an
inline ``VALUES`` block written from those terms' own N-Triples serialisation, injected at the
start of the outermost ``WHERE`` group, never by pasting the user's text into the query. The block
is parsed back by the engine before use and must yield exactly the intended terms (see
``docs/queries.md`` for why not pyoxigraph ``substitutions``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kennisgraaf import vocab
from kennisgraaf.sparql.lexer import SCHEME
from kennisgraaf.vocab import UriStrategy

HEADER = "#+"
ANY = "*"
RESERVED = frozenset({"format", "asserted"})
TYPES = ("iri", "literal", "enum")
# Plain strings: datatypes are compared with, and looked up by, the strings of the .rq headers (an
# rdflib URIRef never equals a str).
XSD = str(vocab.XSD)
RDF_LANG_STRING = str(vocab.RDF.langString)
MAX_LITERAL = 500
LEXICAL = {
    XSD + "string": re.compile(r"(?s).*"),
    XSD + "integer": re.compile(r"[+-]?\d{1,18}"),
    XSD + "decimal": re.compile(r"[+-]?(\d{1,18}(\.\d{0,12})?|\.\d{1,12})"),
    XSD + "boolean": re.compile(r"true|false|1|0"),
    XSD + "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    XSD + "gYear": re.compile(r"-?\d{4}"),
}


class CatalogueError(Exception):
    """A canned query file that cannot be used; the message names the file and the problem."""


class UnknownQuery(LookupError):
    """No canned query of that name; ``available`` lists the catalogue."""

    def __init__(self, name: str, available: list[str]) -> None:
        super().__init__(f"no canned query named {name!r}; available: {', '.join(available)}")
        self.name = name
        self.available = available


class ParameterError(ValueError):
    """A parameter value that cannot be used; the message names the parameter and what is allowed."""

    def __init__(self, parameter: str, message: str) -> None:
        super().__init__(f"parameter {parameter!r}: {message}")
        self.parameter = parameter


Term = ox.NamedNode | ox.Literal


@dataclass(frozen=True)
class Parameter:
    """One declared parameter: its type (IRI of a class, literal of a datatype, or an enumerated set)."""

    name: str
    type: str
    label: Mapping[str, str]
    description: Mapping[str, str]
    default: str | None = None
    optional: bool = False
    cls: str | None = None
    datatype: str | None = None
    values: Mapping[str, str] = field(default_factory=dict)

    def allowed(self) -> str:
        """Say in words what values are allowed (for error messages)."""
        any_ = f" or {ANY!r} for any" if self.optional else ""
        if self.type == "enum":
            return "one of " + ", ".join(repr(v) for v in self.values) + any_
        if self.type == "iri":
            return f"the IRI (absolute, or relative like 'id/…') of a <{self.cls}>{any_}"
        return f"a literal of <{self.datatype}>{any_}"

    def to_term(self, raw: str, uris: UriStrategy) -> Term | None:
        """Check ``raw`` against the type and return its RDF term (None: any value, no binding)."""
        value = raw.strip()
        if value == ANY:
            if self.optional:
                return None
            raise ParameterError(self.name, f"{ANY!r} (any value) is only allowed for optional parameters; "
                                            f"give {self.allowed()}")
        if self.type == "enum":
            if value not in self.values:
                raise ParameterError(self.name, f"{_show(value)} is not allowed; use {self.allowed()}")
            target = self.values[value]
            return ox.Literal(target, datatype=ox.NamedNode(self.datatype)) if self.datatype else _iri(
                self.name, target, uris)
        if self.type == "iri":
            return _iri(self.name, value, uris)
        return _literal(self.name, raw, self.datatype or XSD + "string")


def _show(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _iri(name: str, value: str, uris: UriStrategy) -> ox.NamedNode:
    prefix, _, rest = value.partition(":")
    if rest and prefix in uris.prefixes() and not rest.startswith("//"):
        value = uris.prefixes()[prefix] + rest
    elif not SCHEME.match(value):
        value = uris.base + value.lstrip("/")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise ParameterError(name, f"{_show(value)} is not a valid IRI ({exc})") from None


def _literal(name: str, raw: str, datatype: str) -> ox.Literal:
    value = raw if datatype == XSD + "string" else raw.strip()
    if len(value) > MAX_LITERAL:
        raise ParameterError(name, f"longer than {MAX_LITERAL} characters")
    if not LEXICAL[datatype].fullmatch(value):
        raise ParameterError(name, f"{_show(value)} is not a valid <{datatype}>")
    if datatype == XSD + "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(name, f"{_show(value)} is not a valid <{datatype}>") from None
    return ox.Literal(value) if datatype == XSD + "string" else ox.Literal(value, datatype=ox.NamedNode(datatype))


@dataclass(frozen=True)
class CannedQuery:
    """One ``.rq`` file: metadata from its header and the query body below it."""

    name: str
    path: Path
    title: Mapping[str, str]
    description: Mapping[str, str]
    tags: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    example: Mapping[str, str]
    body: str
    insert_at: int
    kind: str = "select"
    evidence: str | None = None
    inference: Mapping[str, str] | None = None
    # The questions this query answers (nl, en; ``id``: the number in questions.md, if any) and,
    # for its example parameters, rows that must be in the answer (variable → IRI or text).
    questions: tuple[Mapping[str, str], ...] = ()
    expected: tuple[Mapping[str, str], ...] = ()
    # Column headings per result variable (nl, en); a ``…Label`` column takes its variable's heading.
    columns: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def heading(self, variable: str, lang: str) -> str:
        """The heading of a result column in ``lang`` (the variable's name when none is declared)."""
        base = variable[:-5] if variable.endswith("Label") and variable not in self.columns else variable
        texts = self.columns.get(base)
        return texts[lang] if texts else variable

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(name, f"unknown parameter; {self.name} takes {self.parameter_names() or 'none'}")

    def parameter_names(self) -> str:
        return ", ".join(p.name for p in self.parameters)


@dataclass(frozen=True)
class BoundQuery:
    """A canned query with its parameter values checked: the full query text and the bound terms."""

    query: CannedQuery
    text: str
    values: Mapping[str, str]
    terms: Mapping[str, Term | None]


def values_block(terms: Mapping[str, Term]) -> str:
    """An inline ``VALUES`` block with one row: the terms in their N-Triples form (escaped by pyoxigraph)."""
    names = " ".join(f"?{n}" for n in terms)
    row = " ".join(str(t) for t in terms.values())
    return f"VALUES ({names}) {{ ({row}) }}"


def _same(got: object, term: Term) -> bool:
    """The engine gave back this term: IRIs and texts exactly; numbers, booleans and dates may come back in
    their canonical lexical form ('+7' → '7'), which their checked lexical form cannot turn into syntax."""
    if got == term:
        return True
    return (isinstance(got, ox.Literal) and isinstance(term, ox.Literal) and got.datatype == term.datatype
            and term.datatype.value not in (XSD + "string", RDF_LANG_STRING))


def _check_round_trip(terms: Mapping[str, Term]) -> None:
    """Parse the block back with the engine: it must give exactly these terms, or nothing is run."""
    solutions = list(ox.Store().query(f"SELECT * WHERE {{ {values_block(terms)} }}"))
    got = {n: solutions[0][n] for n in terms} if len(solutions) == 1 else {}
    for name, term in terms.items():
        if not _same(got.get(name), term):
            raise ParameterError(name, "this value cannot be bound safely")


def bind_query(query: CannedQuery, given: Mapping[str, str], uris: UriStrategy) -> BoundQuery:
    """Check the given values (defaults fill the gaps) and build the query text with a VALUES block."""
    for name in given:
        query.parameter(name)
    values: dict[str, str] = {}
    terms: dict[str, Term | None] = {}
    for param in query.parameters:
        raw = given.get(param.name)
        # An empty form field (or one of plain spaces) means "not given", except for a text, where it is
        # text. Control characters are not "empty": they go on to the type check and are refused.
        if raw is None or (raw.strip(" ") == "" and param.datatype != XSD + "string"):
            raw = param.default
        if raw is None:
            if not param.optional:
                raise ParameterError(param.name, f"required; give {param.allowed()}")
            raw = ANY
        values[param.name] = raw
        terms[param.name] = param.to_term(raw, uris)
    bound = {n: t for n, t in terms.items() if t is not None}
    body = query.body
    if bound:
        _check_round_trip(bound)
        body = body[: query.insert_at] + "\n  " + values_block(bound) + "\n" + body[query.insert_at:]
    return BoundQuery(query, uris.sparql_prologue() + body, values, terms)


class Catalogue:
    """The canned queries by name, with the prologue of one deployment's URI strategy."""

    def __init__(self, queries: Mapping[str, CannedQuery], uris: UriStrategy) -> None:
        self.queries = dict(sorted(queries.items()))
        self.uris = uris

    def __iter__(self) -> Iterator[CannedQuery]:
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)

    def get(self, name: str) -> CannedQuery:
        """The query called ``name``, or :class:`UnknownQuery` listing the catalogue."""
        if name not in self.queries:
            raise UnknownQuery(name, list(self.queries))
        return self.queries[name]

    def bind(self, query: CannedQuery, given: Mapping[str, str]) -> BoundQuery:
        """Check the given values (defaults fill the gaps) and build the query text with a VALUES block."""
        return bind_query(query, given, self.uris)

    def membership_query(self, bound: BoundQuery) -> str | None:
        """A SELECT naming each IRI parameter whose value is not an instance of its class (None: nothing to check)."""
        rows = []
        for param in bound.query.parameters:
            term = bound.terms.get(param.name)
            if param.type == "iri" and param.cls and isinstance(term, ox.NamedNode):
                rows.append(f"({ox.Literal(param.name)} {term} {ox.NamedNode(param.cls)})")
        if not rows:
            return None
        return ("SELECT ?parameter WHERE { VALUES (?parameter ?value ?class) { " + " ".join(rows)
                + " } FILTER NOT EXISTS { ?value a ?class } }")

    def check(self, bound: BoundQuery, select: Callable[[str], list[dict[str, str]]]) -> None:
        """Refuse an IRI value that is not an instance of its parameter's class, listing what is allowed.

        ``select`` runs a SELECT on the full graph (with inferences) and gives rows of plain strings.
        """
        text = self.membership_query(bound)
        if text is None:
            return
        for row in select(self.uris.sparql_prologue() + text):
            param = bound.query.parameter(row["parameter"])
            allowed = [self.relative(r["value"]) for r in self.options(param, select)]
            shown = ", ".join(allowed[:40]) + (", …" if len(allowed) > 40 else "")
            raise ParameterError(param.name, f"{bound.values[param.name]!r} is not a <{param.cls}>; allowed: {shown}")

    def options_query(self, param: Parameter) -> str:
        """A SELECT of the instances of an IRI parameter's class with a label each (the least nl one).

        Portable: the label is aggregated in a subquery (Virtuoso refuses ORDER BY on an aggregate's
        alias) with MIN(STR()) (SAMPLE differs between stores). Sort with :meth:`sorted_options`:
        Virtuoso 7.2 does not order on the aggregated label reliably.
        """
        return (self.uris.sparql_prologue()
                + "SELECT ?value ?label WHERE { { SELECT ?value (MIN(STR(?l)) AS ?label) WHERE { ?value a "
                + str(ox.NamedNode(param.cls or "")) + " . FILTER(isIRI(?value)) OPTIONAL { ?value"
                + " rdfs:label|skos:prefLabel ?l FILTER(LANGMATCHES(LANG(?l), 'nl')) } } GROUP BY ?value } }")

    def options(self, param: Parameter, select: Callable[[str], list[dict[str, str]]]) -> list[dict[str, str]]:
        """Rows (``value``, ``label`` when there is one) of :meth:`options_query`, by lower-case label, then IRI."""
        return sorted(select(self.options_query(param)),
                      key=lambda row: (bool(row.get("label")), row.get("label", "").lower(), row["value"]))

    def relative(self, value: str) -> str:
        """Show an IRI under the base in the relative form the headers use (``id/…``)."""
        return value[len(self.uris.base):] if value.startswith(self.uris.base) else value
