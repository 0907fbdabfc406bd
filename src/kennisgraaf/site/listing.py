"""A class listing as a table, the way Datasette shows a table: rows with label, type, the
documents that mention each item and their number; sortable, paginated, with facets by document
and by government layer, and the same rows as JSON and CSV.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kennisgraaf.site.pages import Labeller, Link

PAGE_SIZE = 50
SORTS = ("label", "type", "documents")


@dataclass
class ListingRow:
    """One instance: its link, its stated types, the documents and layers it belongs to."""

    link: Link
    types: list[Link] = field(default_factory=list)
    documents: list[Link] = field(default_factory=list)
    layers: list[Link] = field(default_factory=list)


@dataclass
class Facet:
    """A value to narrow the listing by, with how many rows have it and whether it is chosen."""

    link: Link
    count: int
    selected: bool


@dataclass
class Listing:
    """One page of a class listing, with what the page needs to sort, page and narrow it."""

    cls: Link
    rows: list[ListingRow]
    total: int
    page: int
    pages: int
    sort: str
    descending: bool
    facets: dict[str, list[Facet]]


def _sort_key(sort: str):
    if sort == "type":
        return lambda row: (", ".join(t.label.lower() for t in row.types), row.link.label.lower())
    if sort == "documents":
        return lambda row: (len(row.documents), row.link.label.lower())
    return lambda row: row.link.label.lower()


def collect(solutions: Sequence[Mapping[str, Any]], labeller: Labeller,
            graph_documents: Mapping[str, Sequence[str]], inferred_graph: str) -> list[ListingRow]:
    """Group the rows of ``page-listing.rq`` per instance; ``graph_documents`` maps a graph to its documents
    (one data file may hold two documents, as the MOgroep cover letter and its call)."""
    types: dict[str, set[str]] = defaultdict(set)
    documents: dict[str, set[str]] = defaultdict(set)
    layers: dict[str, set[str]] = defaultdict(set)
    for solution in solutions:
        instance = solution["instance"].value
        types[instance]  # every instance gets a row, also one with nothing else known
        type_term, type_graph = solution.get("type"), solution.get("typeGraph")
        if type_term is not None and type_graph is not None and type_graph.value != inferred_graph:
            types[instance].add(type_term.value)
        graph = solution.get("graph")
        if graph is not None:
            documents[instance].update(graph_documents.get(graph.value, ()))
        layer = solution.get("layer")
        if layer is not None:
            layers[instance].add(layer.value)

    def links(iris: set[str]) -> list[Link]:
        return sorted((labeller.link(iri) for iri in iris), key=lambda link: link.label.lower())

    return [ListingRow(labeller.link(instance), links(types[instance]), links(documents[instance]),
                       links(layers[instance])) for instance in types]


def build(cls: Link, rows: list[ListingRow], *, sort: str = "label", descending: bool = False, page: int = 1,
          document: str | None = None, layer: str | None = None, page_size: int = PAGE_SIZE) -> Listing:
    """Narrow ``rows`` by the chosen facets, sort them and cut out one page."""
    chosen = [row for row in rows
              if (document is None or any(d.iri == document for d in row.documents))
              and (layer is None or any(layer_link.iri == layer for layer_link in row.layers))]
    facets = {"document": _facet(chosen, "documents", document), "layer": _facet(chosen, "layers", layer)}
    chosen.sort(key=_sort_key(sort if sort in SORTS else "label"), reverse=descending)
    pages = max(1, -(-len(chosen) // page_size))
    page = min(max(page, 1), pages)
    start = (page - 1) * page_size
    return Listing(cls, chosen[start:start + page_size], len(chosen), page, pages, sort, descending, facets)


def _facet(rows: list[ListingRow], attribute: str, selected: str | None) -> list[Facet]:
    counts: dict[str, int] = defaultdict(int)
    by_iri: dict[str, Link] = {}
    for row in rows:
        for link in getattr(row, attribute):
            counts[link.iri] += 1
            by_iri[link.iri] = link
    return sorted((Facet(by_iri[iri], n, iri == selected) for iri, n in counts.items()),
                  key=lambda facet: (-facet.count, facet.link.label.lower()))


def as_records(listing: Listing) -> list[dict[str, Any]]:
    """The rows of the page as plain records (JSON): IRIs and labels."""
    return [{"iri": row.link.iri, "label": row.link.label,
             "types": [t.iri for t in row.types], "documents": [d.iri for d in row.documents],
             "documentCount": len(row.documents), "layers": [layer.iri for layer in row.layers]}
            for row in listing.rows]


def as_csv(listing: Listing) -> str:
    """The rows of the page as CSV: one line per item, several values separated by spaces."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["iri", "label", "types", "documents", "documentCount", "layers"])
    for record in as_records(listing):
        writer.writerow([record["iri"], record["label"], " ".join(record["types"]), " ".join(record["documents"]),
                         record["documentCount"], " ".join(record["layers"])])
    return out.getvalue()
