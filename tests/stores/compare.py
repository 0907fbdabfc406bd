"""Comparing a remote store's answers with the embedded store's, allowing only the documented deviations.

docs/stores.md lists them; here they are undone before comparing, and nothing else is:

- blank node labels are the store's own (compared as "a blank node");
- the order of the items in a ``GROUP_CONCAT`` list is not specified by SPARQL (it differs between
  two Oxigraph stores already): compared as sorted lists;
- a ``GROUP_CONCAT`` over no values is ``""`` on Virtuoso and unbound on Oxigraph;
- Virtuoso gives booleans back as the integers 0 and 1;
- rows that tie on the ORDER BY keys may come in either order: rows are compared as multisets and
  the sequence of ORDER BY keys is compared in order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kennisgraaf.sparql.catalogue import ANY, CannedQuery, Catalogue
from kennisgraaf.store.base import QueryResult, Term, solutions

XSD = "http://www.w3.org/2001/XMLSchema#"
_CONCAT = re.compile(r'GROUP_CONCAT\(.*?;\s*separator\s*=\s*"([^"]*)"\s*\)\s+AS\s+\?(\w+)', re.IGNORECASE)
_ORDER = re.compile(r"(?is)\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|\bVALUES\b|$)")

Row = tuple[tuple[str, Any], ...]


def concat_columns(text: str) -> dict[str, str]:
    """Variables bound by a GROUP_CONCAT in ``text``, with their separators."""
    return {name: separator for separator, name in _CONCAT.findall(text)}


def order_keys(text: str) -> list[str]:
    """The variables the outermost ORDER BY of ``text`` sorts on, in order."""
    found = _ORDER.findall(text)
    return re.findall(r"\?(\w+)", found[-1]) if found else []


def _term(term: Term | None, separator: str | None) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return ("bnode",)
    if separator is not None:
        return None if term.value == "" else ("list", tuple(sorted(term.value.split(separator))))
    if isinstance(term, ox.Literal):
        if term.datatype.value == XSD + "boolean":
            return ("literal", {"true": "1", "false": "0"}.get(term.value, term.value), XSD + "integer", None)
        return ("literal", term.value, term.datatype.value, term.language)
    return ("uri", term.value)


@dataclass(frozen=True)
class Answer:
    """A SELECT's answer made comparable: rows as a multiset and the ORDER BY keys in order."""

    variables: tuple[str, ...]
    rows: Counter[Row]
    keys: tuple[tuple[Any, ...], ...]

    @classmethod
    def of(cls, result: QueryResult, text: str) -> Answer:
        variables, rows = solutions(result)
        concat = concat_columns(text)
        made = [tuple((name, _term(row.get(name), concat.get(name))) for name in variables) for row in rows]
        keys = order_keys(text)
        ordered = tuple(tuple(dict(row).get(k) for k in keys) for row in made) if keys else ()
        return cls(tuple(variables), Counter(made), ordered)

    def difference(self, other: Answer) -> str:
        """'' when equal, else what differs (for assertion messages)."""
        if self.variables != other.variables:
            return f"variables {self.variables} != {other.variables}"
        if self.rows != other.rows:
            only = list((self.rows - other.rows).elements())[:3]
            theirs = list((other.rows - self.rows).elements())[:3]
            return (f"{sum(self.rows.values())} vs {sum(other.rows.values())} rows; "
                    f"only here: {only}; only there: {theirs}")
        if self.keys != other.keys:
            at = next(i for i, (a, b) in enumerate(zip(self.keys, other.keys, strict=True)) if a != b)
            return f"order differs at row {at}: {self.keys[at]} vs {other.keys[at]}"
        return ""


def canned_cases(catalogue: Catalogue) -> Iterator[tuple[str, dict[str, str]]]:
    """(query name, parameters) for every canned query: its defaults, its example, and ``*`` for each optional one."""
    for query in catalogue:
        yield query.name, {}
        if query.example:
            yield query.name, dict(query.example)
        for param in query.parameters:
            if param.optional and param.default not in (None, ANY):
                yield query.name, {param.name: ANY}


def case_id(case: tuple[str, dict[str, str]]) -> str:
    name, params = case
    return name + ("[" + ",".join(f"{k}={v}" for k, v in params.items()) + "]" if params else "")


def is_graph_query(query: CannedQuery) -> bool:
    return bool(re.search(r"(?i)\bCONSTRUCT\b", query.body))
