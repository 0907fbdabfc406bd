"""Query admission: what a query may ask before any engine sees it (DESIGN §6).

Checked here, for every store and every route: the size of the query text (413), updates (403:
the endpoint is read-only), ``SERVICE`` (400: no outbound requests from a query), the nesting
depth of ``{ } ( ) [ ]`` (400: pyoxigraph crashes on deep nesting), and ``FROM`` / ``FROM NAMED``
(400 unless they name graphs of the dataset). The engine's own parser gives syntax errors.

The checks read the query with a lexer, not a parser: a full SPARQL parser in Python (rdflib's)
takes tens of milliseconds per query and hundreds for large ones, while holding the interpreter
lock. A lexer is only safe if it splits the text exactly where the engine does. One place is
ambiguous in SPARQL: ``<`` starts an IRI (``<http://x#y>``) where a term is expected, and is the
less-than operator after an operand (``?a<'>'``); reading it the wrong way turns a ``#`` into a
comment or a ``'`` into a string and hides what follows. So wherever ``<`` follows something that
can end an operand and an IRI could start, the lexer follows *both* readings (they merge again
at the next token they share) and a finding in either counts. Queries that keep too many
readings alive are refused rather than guessed at.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal, NamedTuple
from urllib.parse import urljoin

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
)
READ_ONLY_MESSAGE = (
    "This SPARQL endpoint is read-only: updates (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) "
    "are refused. Data changes go through the data files of the project and a new build."
)
MAX_READINGS = 32
AMBIGUOUS = (
    "The query is too ambiguous to check (many '<' right after values, with ' or # after them); "
    "put spaces around the < comparison operator."
)
# Keywords and operator characters that each add a level to the engine's algebra tree: long chains
# of them (thousands of UNIONs, BINDs, ||, +) overflow pyoxigraph's stack just like deep nesting.
OPERATION_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES"})
OPERATOR_CHARS = frozenset("|&+-*/^=!<>")

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
        |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'
        |"(?:[^"\\\r\n]|\\.)*")
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<name>(?:[\w\-.:%\u00B7\u0300-\u036F\u203F-\u2040]|\\\S)+)
    |(?P<open>[{(\[])
    |(?P<close>[})\]])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
# Permissive on purpose (backslash escapes allowed): the engine accepts \u escapes inside IRIs.
_WS = re.compile(r"\s+")
_IRI = re.compile(r"""<[^<>"{}|^`\x00-\x20]*>""")
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


class GuardError(Exception):
    """A query that is not admitted; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Limits:
    """Admission limits (see the ``max_query_bytes`` and ``max_nesting`` settings)."""

    max_bytes: int = 262144
    max_depth: int = 64
    max_operations: int = 2000


@dataclass
class Admitted:
    """What admission learnt about a query: its dataset clauses and declared prefixes."""

    text: str
    from_graphs: list[str] = field(default_factory=list)
    from_named_graphs: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    depth: int = 0

    @property
    def has_dataset_clause(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


class _Reading(NamedTuple):
    """One way of reading the text up to ``pos`` (a tuple: readings are copied at every token)."""

    pos: int
    operand: bool = False  # the previous token can end an operand, so '<' may be less-than
    after: str = ""  # "FROM", "FROM NAMED", "PREFIX", "PREFIX name:", "BASE" or ""
    depth: int = 0  # open { ( [
    parens: int = 0  # open ( : the less-than operator only occurs inside parentheses
    operations: int = 0  # see OPERATION_KEYWORDS
    prefix: str = ""

    @property
    def key(self) -> tuple[int, bool, str, str]:
        return (self.pos, self.operand, self.after, self.prefix if self.after == "PREFIX name:" else "")

    def merge(self, other: _Reading) -> _Reading:
        """Two readings at the same place: keep the worst case of both."""
        return self._replace(depth=max(self.depth, other.depth), parens=max(self.parens, other.parens),
                             operations=max(self.operations, other.operations))


@dataclass
class _Findings:
    service: bool = False
    depth: int = 0
    operations: int = 0
    base: str | None = None
    breaks: list[int] = field(default_factory=list)  # positions of line breaks
    budget: int = 0  # characters the lexer may still read, over all readings
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


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
    if is_update(text):
        raise GuardError(READ_ONLY_MESSAGE, 403)
    found = _scan(text, limits)
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
    known = {**(prefixes or {}), **found.prefixes}
    base = urljoin(base, found.base) if found.base is not None else base
    admitted = Admitted(
        text,
        _unique(_resolve(g, base, known) for g in found.from_graphs),
        _unique(_resolve(g, base, known) for g in found.from_named),
        found.prefixes,
        found.depth,
    )
    if graphs is not None:
        check_graphs([*admitted.from_graphs, *admitted.from_named_graphs], graphs, "FROM / FROM NAMED")
    return admitted


def is_update(text: str) -> bool:
    """True when the first keyword after the prologue starts an update operation."""
    return first_keyword(text) in UPDATE_KEYWORDS


def query_form(text: str) -> Literal["select", "ask", "graph"] | None:
    """The kind of result the query gives (``graph`` for CONSTRUCT/DESCRIBE); None if unknown."""
    return _FORMS.get(first_keyword(text) or "")  # type: ignore[return-value]


def first_keyword(text: str) -> str | None:
    """The first keyword after the prologue (PREFIX and BASE declarations), upper-cased."""
    pos = 0
    while pos < len(text):
        if text[pos] == "<":
            iri = _IRI.match(text, pos)
            if iri is None:
                return None
            pos = iri.end()
            continue
        match = _TOKEN.match(text, pos)
        assert match is not None
        pos = match.end()
        if match.lastgroup in ("ws", "comment"):
            continue
        if match.lastgroup != "name":
            return None
        word = match.group().upper()
        if word not in ("PREFIX", "BASE") and not word.endswith(":"):
            return word
    return None


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


def _scan(text: str, limits: Limits) -> _Findings:
    """Follow every reading of ``text`` (see the module note) and collect what any of them finds."""
    found = _Findings(breaks=[m.start() for m in re.finditer(r"[\r\n]", text)], budget=16 * len(text) + 4096)
    pending: dict[tuple[int, bool, str, str], _Reading] = {}
    order: list[tuple[int, bool, str, str]] = []

    def push(reading: _Reading) -> None:
        if reading.key in pending:
            pending[reading.key] = pending[reading.key].merge(reading)
        else:
            pending[reading.key] = reading
            heapq.heappush(order, reading.key)

    reading: _Reading | None = _Reading(0)
    while reading is not None:
        successors = _step(text, reading, found)
        if found.depth > limits.max_depth or found.operations > limits.max_operations:
            break
        if len(successors) == 1 and not pending:  # one reading only, the usual case: no bookkeeping
            reading = successors[0]
            continue
        for successor in successors:
            push(successor)
        if len(pending) > MAX_READINGS:
            raise GuardError(AMBIGUOUS)
        reading = pending.pop(heapq.heappop(order)) if order else None
    return found


def _step(text: str, r: _Reading, found: _Findings) -> list[_Reading]:
    """Read one token at ``r.pos``; return the reading(s) after it (none at the end of the text)."""
    pos = r.pos
    blank = _WS.match(text, pos)
    if blank is not None:
        pos = blank.end()
    if pos >= len(text):
        return []
    if text[pos] == "<":
        iri = _IRI.match(text, pos)
        if iri is None:
            return [r._replace(pos=pos + 1, operand=False, after="")]
        as_iri = r._replace(pos=iri.end(), operand=True, after=_after_term(r, iri.group(), found))
        if not (r.operand and r.parens) or not _may_be_less_than(iri.group()):
            return [as_iri]
        return [as_iri, r._replace(pos=pos + 1, operand=False, after="")]
    if text[pos] == "#":  # a comment runs to the next line break (found by bisection: readings share it)
        index = bisect.bisect_left(found.breaks, pos)
        return [r._replace(pos=found.breaks[index] if index < len(found.breaks) else len(text))]
    match = _TOKEN.match(text, pos)
    assert match is not None  # the last alternative matches any character
    kind, value, end = match.lastgroup, match.group(), match.end()
    found.budget -= end - pos
    if found.budget < 0:
        raise GuardError(AMBIGUOUS)
    if kind == "open":
        found.depth = max(found.depth, r.depth + 1)
        return [r._replace(pos=end, operand=False, after="", depth=r.depth + 1, parens=r.parens + (value == "("))]
    if kind == "close":
        return [r._replace(pos=end, operand=True, after="", depth=max(0, r.depth - 1),
                           parens=max(0, r.parens - (value == ")")))]
    if kind == "name":
        word = value.upper()
        operations = r.operations + (word in OPERATION_KEYWORDS)
        found.operations = max(found.operations, operations)
        return [r._replace(pos=end, operand=True, operations=operations, **_after_name(r, value, found))]
    operations = r.operations + (value in OPERATOR_CHARS)
    found.operations = max(found.operations, operations)
    return [r._replace(pos=end, operand=kind in ("string", "var") or value == ">", after="", operations=operations)]


def _may_be_less_than(candidate: str) -> bool:
    """Whether ``<`` + ``candidate`` could be read as less-than followed by something that changes the lexer state.

    Only a ``'`` or ``#`` in the candidate does (a string or comment would start there). Before it,
    ``//`` means the IRI reading: two ``/`` in a row are never valid in an expression.
    """
    cut = min((i for i in (candidate.find("'"), candidate.find("#")) if i >= 0), default=-1)
    if cut < 0:
        return False
    return "//" not in re.sub(r"\\.", "", candidate[:cut])


def _after_name(r: _Reading, value: str, found: _Findings) -> dict[str, str]:
    """Note keywords; return the ``after``/``prefix`` state that follows the name ``value``."""
    word = value.upper()
    if word == "SERVICE":
        found.service = True
    if word in ("FROM", "PREFIX", "BASE"):
        return {"after": word}
    if word == "NAMED" and r.after == "FROM":
        return {"after": "FROM NAMED"}
    if r.after == "PREFIX" and value.endswith(":"):
        return {"after": "PREFIX name:", "prefix": value[:-1]}
    return {"after": _after_term(r, value, found) if ":" in value else ""}


def _after_term(r: _Reading, term: str, found: _Findings) -> str:
    """Record an IRI or prefixed name that completes ``FROM``, ``FROM NAMED`` or ``PREFIX p:``."""
    if r.after == "FROM":
        found.from_graphs.append(term)
    elif r.after == "FROM NAMED":
        found.from_named.append(term)
    elif r.after == "PREFIX name:" and term.startswith("<"):
        found.prefixes[r.prefix] = term[1:-1]
    elif r.after == "BASE" and term.startswith("<"):
        found.base = term[1:-1]
    return ""
