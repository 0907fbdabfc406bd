"""A SPARQL lexer that follows every reading of an ambiguous ``<`` (used by query admission).

One place is ambiguous in SPARQL: ``<`` starts an IRI (``<http://x#y>``) where a term is
expected, and is the less-than operator after an operand (``?a<'>'``); reading it the wrong way
turns a ``#`` into a comment or a ``'`` into a string and hides what follows. So wherever ``<``
follows something that can end an operand and an IRI could start, the lexer follows *both*
readings (they merge again at the next token they share) and a finding in either counts. Queries
that keep too many readings alive are refused (:class:`AmbiguousQuery`) rather than guessed at.
"""

from __future__ import annotations

import bisect
import heapq
import re
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

TOKEN = re.compile(
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
_WS = re.compile(r"\s+")
# Permissive on purpose (backslash escapes allowed): the engine accepts \u escapes inside IRIs.
IRI = re.compile(r"""<[^<>"{}|^`\x00-\x20]*>""")


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
class Findings:
    service: bool = False
    depth: int = 0
    operations: int = 0
    base: str | None = None
    breaks: list[int] = field(default_factory=list)  # positions of line breaks
    budget: int = 0  # characters the lexer may still read, over all readings
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)


def scan(text: str, max_depth: int, max_operations: int) -> Findings:
    """Follow every reading of ``text`` (see the module note) and collect what any of them finds."""
    found = Findings(breaks=[m.start() for m in re.finditer(r"[\r\n]", text)], budget=16 * len(text) + 4096)
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
        if found.depth > max_depth or found.operations > max_operations:
            break
        if len(successors) == 1 and not pending:  # one reading only, the usual case: no bookkeeping
            reading = successors[0]
            continue
        for successor in successors:
            push(successor)
        if len(pending) > MAX_READINGS:
            raise AmbiguousQuery(AMBIGUOUS)
        reading = pending.pop(heapq.heappop(order)) if order else None
    return found


def _step(text: str, r: _Reading, found: Findings) -> list[_Reading]:
    """Read one token at ``r.pos``; return the reading(s) after it (none at the end of the text)."""
    pos = r.pos
    blank = _WS.match(text, pos)
    if blank is not None:
        pos = blank.end()
    if pos >= len(text):
        return []
    if text[pos] == "<":
        iri = IRI.match(text, pos)
        if iri is None:
            return [r._replace(pos=pos + 1, operand=False, after="")]
        as_iri = r._replace(pos=iri.end(), operand=True, after=_after_term(r, iri.group(), found))
        if not (r.operand and r.parens) or not _may_be_less_than(iri.group()):
            return [as_iri]
        return [as_iri, r._replace(pos=pos + 1, operand=False, after="")]
    if text[pos] == "#":  # a comment runs to the next line break (found by bisection: readings share it)
        index = bisect.bisect_left(found.breaks, pos)
        return [r._replace(pos=found.breaks[index] if index < len(found.breaks) else len(text))]
    match = TOKEN.match(text, pos)
    assert match is not None  # the last alternative matches any character
    kind, value, end = match.lastgroup, match.group(), match.end()
    found.budget -= end - pos
    if found.budget < 0:
        raise AmbiguousQuery(AMBIGUOUS)
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


def _after_name(r: _Reading, value: str, found: Findings) -> dict[str, str]:
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


def _after_term(r: _Reading, term: str, found: Findings) -> str:
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
