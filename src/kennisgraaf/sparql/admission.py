"""Query admission: what a query may ask before any engine sees it (DESIGN §6).

Checked here, for every store and every route: the size of the query text (413), updates (403:
the endpoint is read-only), ``SERVICE`` (400: no outbound requests from a query), the nesting
depth of ``{ } ( ) [ ]`` (400: pyoxigraph crashes on deep nesting), IRIs in ``BASE`` / ``FROM`` that
cannot be resolved (400), and, when ``graphs`` is given, ``FROM`` / ``FROM NAMED`` outside it. The
engine's own parser gives syntax errors.

The checks read the query with the one SPARQL tokenizer (:mod:`kennisgraaf.sparql.lexer`), not a parser: a full
SPARQL parser in Python (rdflib's) takes tens of milliseconds per query and hundreds for large
ones, while holding the interpreter lock. A lexer is only safe if it splits the text exactly
where the engine does; the lexer's module note says how it handles the one ambiguity.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin

from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql.lexer import AmbiguousQuery, first_keyword, scan

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
READ_ONLY_MESSAGE = (
    "This SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) "
    "are refused. Data changes go through the data files of the project and a new build."
)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}
Form = Literal["select", "ask", "graph"]


class GuardError(Exception):
    """A query that is not admitted; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Limits:
    """Admission limits (see the ``max_query_bytes`` and ``max_nesting`` settings)."""

    max_bytes: int = DEFAULTS.max_query_bytes
    max_depth: int = DEFAULTS.max_nesting
    max_operations: int = 2000
    # Triple patterns, list items and (expr AS ?x): each adds a level to pyoxigraph's algebra tree,
    # which overflows its stack at about 2,600 (measured: docs/security.md); a third of that is allowed.
    max_terms: int = 1000


@dataclass
class Admitted:
    """What admission learnt about a query: its dataset clauses and declared prefixes."""

    text: str
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    depth: int = 0
    form: Form | None = None  # the kind of result (see query_form)

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


def admit(
    text: str,
    *,
    limits: Limits = Limits(),
    graphs: Collection[str] | None = None,
    base: str = "",
    prefixes: Mapping[str, str] | None = None,
) -> Admitted:
    """Admit ``text`` as a read-only query or raise :class:`GuardError`.

    ``graphs`` are the graph IRIs a ``FROM``/``FROM NAMED`` may name (None: no check); ``base``
    and ``prefixes`` resolve relative and prefixed graph names the way the engine will.
    """
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        raise GuardError(f"The query is {size} bytes long; this endpoint accepts at most {limits.max_bytes}.", 413)
    if not text.strip():
        raise GuardError("The query is empty.")
    keyword = first_keyword(text)
    if keyword in UPDATE_KEYWORDS:
        raise GuardError(READ_ONLY_MESSAGE, 403)
    try:
        found = scan(text, limits.max_depth, limits.max_operations)
    except AmbiguousQuery as exc:
        raise GuardError(str(exc)) from None
    if found.service:
        raise GuardError("SERVICE is not allowed: queries on this endpoint cannot call other endpoints.")
    if found.depth > limits.max_depth:
        raise GuardError(
            f"The query nests {{ }}, ( ) or [ ] {found.depth} deep; this endpoint accepts at most {limits.max_depth}."
        )
    if found.operations > limits.max_operations:
        raise GuardError(
            f"The query chains more than {limits.max_operations} operators (UNION, OPTIONAL, BIND, FILTER, "
            "||, +, / …); this endpoint accepts at most that many."
        )
    if found.terms > limits.max_terms:
        raise GuardError(
            f"The query has {found.terms} triple patterns, list items and AS expressions; this endpoint accepts "
            f"at most {limits.max_terms} (long flat lists overflow the query engine as deep nesting does)."
        )
    known = {**(prefixes or {}), **found.prefixes}
    try:
        base = urljoin(base, found.base) if found.base is not None else base
        admitted = Admitted(
            text,
            _unique(_resolve(g, base, known) for g in found.from_graphs),
            _unique(_resolve(g, base, known) for g in found.from_named),
            found.prefixes,
            found.depth,
            _FORMS.get(keyword or ""),  # type: ignore[arg-type]
        )
    except ValueError as exc:  # urljoin on a malformed IRI, e.g. BASE <http://[x>
        raise GuardError(f"The query's BASE or FROM holds an IRI that is not valid: {exc}.") from None
    if graphs is not None:
        check_graphs([*admitted.from_graphs, *admitted.from_named_graphs], graphs, "FROM / FROM NAMED")
    return admitted


def is_update(text: str) -> bool:
    """True when the first keyword after the prologue starts an update operation."""
    return first_keyword(text) in UPDATE_KEYWORDS


def may_read_named_graphs(text: str) -> bool:
    """Whether the query may read named graphs; False only when it certainly cannot.

    ``GRAPH`` is the only way a query reaches the named graphs of its dataset (``FROM NAMED`` sets
    them, and the store reads those from admission), so a text without ``graph`` in any case and
    anywhere (strings, IRIs and comments included) cannot; nor one without a ``\\u`` escape,
    which SPARQL allows to spell a keyword (Oxigraph does not decode it there today).
    """
    lowered = text.lower()
    return "graph" in lowered or "\\u" in lowered


def query_form(text: str) -> Form | None:
    """The kind of result the query gives (``graph`` for CONSTRUCT/DESCRIBE); None if unknown."""
    return _FORMS.get(first_keyword(text) or "")  # type: ignore[return-value]


def check_graphs(requested: Collection[str], graphs: Collection[str], where: str) -> None:
    """Raise a 400 naming the graphs that are not graphs of the dataset."""
    unknown = sorted(set(requested) - set(graphs))
    if unknown:
        raise GuardError(
            f"{where} may only name graphs of this dataset; not known: {', '.join(unknown)}. "
            f"Known graphs: {', '.join(sorted(graphs))}."
        )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _resolve(name: str, base: str, prefixes: Mapping[str, str]) -> str:
    if name.startswith("<"):
        iri = name[1:-1]
        return urljoin(base, iri) if base else iri
    prefix, _, local = name.partition(":")
    if prefix not in prefixes:
        raise GuardError(f"Unknown prefix in FROM: {prefix}:")
    return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


