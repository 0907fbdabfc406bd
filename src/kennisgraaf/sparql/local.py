"""Run a SPARQL query on the built dataset from the command line, and format its results."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.vocab import UriStrategy


class QueryFailed(ValueError):
    """A query the engine refused, with the parser's message."""


def open_query(dataset: BuiltDataset, store: ox.Store, text: str, *, asserted: bool = False,
               substitutions: dict | None = None):
    """Run ``text`` on ``store``: default graph the full (or asserted) union, named graphs the real ones."""
    default = ox.NamedNode(dataset.asserted_graph_iri()) if asserted else ox.DefaultGraph()
    try:
        return store.query(
            text,
            prefixes=UriStrategy(dataset.base).prefixes(),
            base_iri=dataset.base,  # so that <id/provincie/drenthe> names a thing of this dataset
            default_graph=default,
            named_graphs=[ox.NamedNode(iri) for iri in dataset.named_graph_iris()],
            substitutions=substitutions,
        )
    except SyntaxError as exc:
        raise QueryFailed(str(exc)) from None


def term_text(term) -> str:
    """The plain text of a term: an IRI, a literal's lexical form or a blank node label."""
    if term is None:
        return ""
    return term.value


def rows(results) -> tuple[list[str], list[dict[str, str]]]:
    """Turn SELECT solutions into (variables, rows of strings)."""
    variables = [v.value for v in results.variables]
    return variables, [{v: term_text(s[v]) for v in variables if s[v] is not None} for s in results]


def run_local_query(dataset: BuiltDataset, text: str, fmt: str, *, asserted: bool = False) -> str:
    """Run a query and format the result as a table, JSON or CSV (graphs as Turtle)."""
    store = dataset.open_store()
    results = open_query(dataset, store, text, asserted=asserted)
    if isinstance(results, ox.QueryBoolean):
        return ("true" if bool(results) else "false") + "\n"
    if isinstance(results, ox.QueryTriples):
        return ox.serialize(list(results), format=ox.RdfFormat.TURTLE,
                            prefixes=UriStrategy(dataset.base).prefixes()).decode()
    variables, data = rows(results)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=variables, lineterminator="\n")
        writer.writeheader()
        writer.writerows(data)
        return out.getvalue()
    return format_table(variables, data)


def format_table(variables: list[str], data: list[dict[str, str]]) -> str:
    """A plain fixed-width text table."""
    widths = {v: max([len(v), *(len(r.get(v, "")) for r in data)]) for v in variables}
    lines = ["  ".join(v.ljust(widths[v]) for v in variables), "  ".join("-" * widths[v] for v in variables)]
    lines += ["  ".join(r.get(v, "").ljust(widths[v]) for v in variables) for r in data]
    lines.append(f"({len(data)} rows)")
    return "\n".join(line.rstrip() for line in lines) + "\n"
