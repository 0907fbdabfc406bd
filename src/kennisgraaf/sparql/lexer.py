"""The one SPARQL tokenizer: admission, query-form detection and canned-query binding all read with it.

One token pattern (:data:`TOKEN`) and one IRI rule (:data:`IRI`) serve three readers:

- :func:`scan`, for query admission: follows *every* reading of an ambiguous ``<`` (below) and
  collects what any reading finds (SERVICE, FROM / FROM NAMED, PREFIX, BASE, nesting, operators);
- :func:`tokens`, one reading (``<`` is an IRI wherever an IRI matches), for text whose first
  keyword is wanted (:func:`first_keyword`) or that we wrote ourselves (canned queries:
  :func:`outer_where_group`, :func:`variables`);
- :data:`SCHEME`, for telling an absolute IRI from a relative one in a parameter value.

One place is ambiguous in SPARQL: ``<`` starts an IRI (``<http://x#y>``) where a term is
expected, and is the less-than operator after an operand (``?a<'>'``); reading it the wrong way
turns a ``#`` into a comment or a ``'`` into a string and hides what follows. So wherever ``<``
follows something that can end an operand and an IRI could start, :func:`scan` follows *both*
readings (they merge again at the next token they share) and a finding in either counts. Queries
that keep too many readings alive are refused (:class:`AmbiguousQuery`) rather than guessed at.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple


class AmbiguousQuery(ValueError):
    """A query the lexer cannot read with confidence."""


MAX_READINGS = 32
AMBIGUOUS = (
    "The query is too ambiguous to check (many '<' right after values, with ' or # after them); "
    "put spaces around the < comparison operator."
)
# Keywords and operator characters that each add a level to the engine's algebra tree: long chains
# of them (thousands of UNIONs, BINDs, ||, +) overflow pyoxigraph's stack just like deep nesting.
OPERATION_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES"})
OPERATOR_CHARS = frozenset("|&+-*/^=!<>")
# Flat lists grow the engine's algebra tree too (triple patterns, objects, predicates, list items,
# ``(expr AS ?x)``): each ``,`` ``;`` ``.`` and each AS counts as one term.
TERM_SEPARATORS = frozenset(",;")

# Permissive on purpose (backslash escapes allowed): the engine accepts \u escapes inside IRIs.
_IRI_BODY = r"""<[^<>"{}|^`\x00-\x20]*>"""
IRI = re.compile(_IRI_BODY)
# An absolute IRI starts with a scheme (RFC 3987); anything else is relative to the base.
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
TOKEN = re.compile(
    rf"""
    (?P<ws>\s+)
    |(?P<comment>\#[^\r\n]*)
    |(?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
        |\"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
        |'(?:[^'\\\r\n]|\\.)*'
        |"(?:[^"\\\r\n]|\\.)*")
    |(?P<var>[?$][\w\u00B7\u0300-\u036F\u203F-\u2040]+)
    |(?P<iri>{_IRI_BODY})
    |(?P<name>(?:[\w\-.:%\u00B7\u0300-\u036F\u203F-\u2040]|\\\S)+)
    |(?P<open>[{{(\[])
    |(?P<close>[}})\]])
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class Token(NamedTuple):
    """One token: ``kind`` is a group name of :data:`TOKEN` (never ``ws`` or ``comment``)."""

    kind: str
    text: str
    start: int
    end: int


def tokens(text: str) -> Iterator[Token]:
    """The tokens of ``text`` in one reading (``<…>`` is an IRI wherever one matches), without blanks or comments.

    For text we wrote or only the start of (the prologue); admission reads with :func:`scan`.
    """
    for match in TOKEN.finditer(text):
        kind = match.lastgroup
        if kind != "ws" and kind != "comment":
            yield Token(kind, match.group(), match.start(), match.end())  # type: ignore[arg-type]


def first_keyword(text: str) -> str | None:
    """The first keyword after the prologue (PREFIX and BASE declarations), upper-cased; None if there is none."""
    for token in tokens(text):
        if token.kind == "iri":
            continue
        if token.kind != "name":
            return None
        word = token.text.upper()
        if word not in ("PREFIX", "BASE") and not word.endswith(":"):
            return word
    return None


def outer_where_group(text: str) -> int | None:
    """Offset just after the ``{`` that opens the outermost WHERE group; None without a top-level WHERE."""
    depth, seen_where = 0, False
    for token in tokens(text):
        if token.kind == "open" and token.text == "{":
            if depth == 0 and seen_where:
                return token.end
            depth += 1
        elif token.kind == "close" and token.text == "}":
            depth -= 1
        elif depth == 0 and token.kind == "name" and token.text.upper() == "WHERE":
            seen_where = True
    return None


def variables(text: str) -> set[str]:
    """The names of the variables ``text`` uses (``?x`` and ``$x`` both give ``x``)."""
    return {token.text[1:] for token in tokens(text) if token.kind == "var"}


@dataclass
class Findings:
    """What :func:`scan` found in any reading of a query."""

    service: bool = False
    depth: int = 0
    operations: int = 0
    terms: int = 0  # see TERM_SEPARATORS
    base: str | None = None
    budget: int = 0  # characters the readings may still read between them
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


# A reading is a plain tuple (cheaper to make than a NamedTuple's _replace at every token):
# (pos, operand, after, depth, parens, operations, prefix, terms). ``operand``: the previous token can
# end an operand, so '<' may be less-than; ``after``: "FROM", "FROM NAMED", "PREFIX", "PREFIX name:",
# "BASE" or ""; ``parens``: open '(' (the less-than operator only occurs inside parentheses).
_Reading = tuple[int, bool, str, int, int, int, str, int]


def scan(text: str, max_depth: int, max_operations: int) -> Findings:
    """Follow every reading of ``text`` (see the module note) and collect what any of them finds.

    Stops early once the depth or the operator count is past its limit (terms are counted to the end:
    a query refused for its length is told how long it is).
    """
    found = Findings(budget=16 * len(text) + 4096)
    limits = (max_depth, max_operations)
    reading: _Reading | None = (0, False, "", 0, 0, 0, "", 0)
    while reading is not None:
        fork = _read_one(text, reading, found, limits)
        reading = _read_many(text, fork, found, limits) if fork is not None else None
    return found


def _is_term_end(word: str) -> bool:
    return word.endswith(".") or word == "AS"


def _read_one(text: str, reading: _Reading, found: Findings, limits: tuple[int, int]) -> _Reading | None:
    """The usual case, one reading: read tokens until the end (None) or a '<' that may be either (its reading)."""
    max_depth, max_operations = limits
    pos, operand, after, depth, parens, operations, prefix, terms = reading
    for match in TOKEN.finditer(text, pos):
        kind = match.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        value = match.group()
        if kind == "iri":
            if operand and parens and _may_be_less_than(value):
                return (match.start(), operand, after, depth, parens, operations, prefix, terms)
            after, prefix = _after_term(after, prefix, value, found), ""
            operand = True
        elif kind == "name":
            word = value.upper()
            if word in OPERATION_KEYWORDS:
                operations += 1
            elif _is_term_end(word):
                terms += 1
            after, prefix = _after_name(after, prefix, value, word, found)
            operand = True
        elif kind == "open":
            depth += 1
            parens += value == "("
            operand, after = False, ""
        elif kind == "close":
            depth = depth - 1 if depth else 0
            parens = parens - 1 if parens and value == ")" else parens
            operand, after = True, ""
        else:
            if value in OPERATOR_CHARS:
                operations += 1
            elif value in TERM_SEPARATORS:
                terms += 1
            operand, after = kind == "string" or kind == "var" or value == ">", ""
        if depth > found.depth:
            found.depth = depth
        if operations > found.operations:
            found.operations = operations
        if terms > found.terms:
            found.terms = terms
        if depth > max_depth or operations > max_operations:
            return None
    return None


def _read_many(text: str, fork: _Reading, found: Findings, limits: tuple[int, int]) -> _Reading | None:
    """Follow every reading from ``fork`` until they merge into one (returned) or the text ends (None)."""
    max_depth, max_operations = limits
    pending: dict[tuple, _Reading] = {}
    order: list[tuple] = []

    def push(reading: _Reading) -> None:
        key = reading[:3] + ((reading[6],) if reading[2] == "PREFIX name:" else ("",))
        known = pending.get(key)
        if known is None:
            pending[key] = reading
            heapq.heappush(order, key)
        else:  # two readings at the same place: keep the worst case of both
            pending[key] = known[:3] + (max(known[3], reading[3]), max(known[4], reading[4]),
                                        max(known[5], reading[5]), known[6], max(known[7], reading[7]))

    for successor in _step(text, fork, found):
        push(successor)
    while order:
        reading = pending.pop(heapq.heappop(order))
        successors = _step(text, reading, found)
        if found.depth > max_depth or found.operations > max_operations:
            return None
        if len(successors) == 1 and not pending:  # the readings have merged
            return successors[0]
        for successor in successors:
            push(successor)
        if len(pending) > MAX_READINGS:
            raise AmbiguousQuery(AMBIGUOUS)
    return None


def _step(text: str, r: _Reading, found: Findings) -> list[_Reading]:
    """Read one token at ``r``'s position; return the reading(s) after it (none at the end of the text)."""
    pos, operand, after, depth, parens, operations, prefix, terms = r
    match = TOKEN.match(text, pos)
    while match is not None and (match.lastgroup == "ws" or match.lastgroup == "comment"):
        pos = match.end()
        match = TOKEN.match(text, pos)
    if match is None:
        return []
    kind, value, end = match.lastgroup, match.group(), match.end()
    found.budget -= end - pos
    if found.budget < 0:
        raise AmbiguousQuery(AMBIGUOUS)
    if kind == "iri":
        as_iri = (end, True, _after_term(after, prefix, value, found), depth, parens, operations, "", terms)
        if not (operand and parens) or not _may_be_less_than(value):
            return [as_iri]
        return [as_iri, (pos + 1, False, "", depth, parens, operations + 1, "", terms)]  # '<' as less-than
    if kind == "open":
        found.depth = max(found.depth, depth + 1)
        return [(end, False, "", depth + 1, parens + (value == "("), operations, prefix, terms)]
    if kind == "close":
        return [(end, True, "", max(0, depth - 1), max(0, parens - (value == ")")), operations, prefix, terms)]
    if kind == "name":
        word = value.upper()
        operations += word in OPERATION_KEYWORDS
        found.operations = max(found.operations, operations)
        terms += _is_term_end(word)
        found.terms = max(found.terms, terms)
        after, prefix = _after_name(after, prefix, value, word, found)
        return [(end, True, after, depth, parens, operations, prefix, terms)]
    operations += value in OPERATOR_CHARS
    found.operations = max(found.operations, operations)
    terms += value in TERM_SEPARATORS
    found.terms = max(found.terms, terms)
    return [(end, kind == "string" or kind == "var" or value == ">", "", depth, parens, operations, prefix, terms)]


def _may_be_less_than(candidate: str) -> bool:
    """Whether ``<`` + ``candidate`` could be read as less-than followed by something that changes the lexer state.

    Only a ``'`` or ``#`` in the candidate does (a string or comment would start there). Before it,
    ``//`` means the IRI reading: two ``/`` in a row are never valid in an expression.
    """
    cut = min((i for i in (candidate.find("'"), candidate.find("#")) if i >= 0), default=-1)
    if cut < 0:
        return False
    return "//" not in re.sub(r"\\.", "", candidate[:cut])


def _after_name(after: str, prefix: str, value: str, word: str, found: Findings) -> tuple[str, str]:
    """Note keywords; return the ``after``/``prefix`` state that follows the name ``value``."""
    if word == "SERVICE":
        found.service = True
    if word == "FROM" or word == "PREFIX" or word == "BASE":
        return word, ""
    if word == "NAMED" and after == "FROM":
        return "FROM NAMED", ""
    if after == "PREFIX" and value.endswith(":"):
        return "PREFIX name:", value[:-1]
    return (_after_term(after, prefix, value, found) if ":" in value else ""), ""


def _after_term(after: str, prefix: str, term: str, found: Findings) -> str:
    """Record an IRI or prefixed name that completes ``FROM``, ``FROM NAMED``, ``PREFIX p:`` or ``BASE``."""
    if after == "FROM":
        found.from_graphs.append(term)
    elif after == "FROM NAMED":
        found.from_named.append(term)
    elif after == "PREFIX name:" and term.startswith("<"):
        found.prefixes[prefix] = term[1:-1]
    elif after == "BASE" and term.startswith("<"):
        found.base = term[1:-1]
    return ""
