"""Figures about a built dataset: triples per graph, instances per class."""

from __future__ import annotations

import pyoxigraph as ox

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.site.queries import read_query
from kennisgraaf.sparql.local import format_table, open_query, rows


def class_counts(dataset: BuiltDataset, store: ox.Store) -> list[dict[str, str]]:
    """Instances per class: asserted typings and all typings (with inference)."""
    results = open_query(dataset, store, read_query("class-counts.rq"))
    return rows(results)[1]


def dataset_stats(dataset: BuiltDataset) -> str:
    """A text report of triples per graph and instances per class."""
    graphs = [{"graph": dataset.graph_iri(name), "triples": str(count)}
              for name, count in sorted(dataset.meta["triples"].items())]
    store = dataset.open_store()
    counts = [row for row in class_counts(dataset, store) if row["class"].startswith(dataset.base)]
    return (f"Dataset {dataset.key[:12]} built {dataset.meta['built']}\n\nTriples per graph\n"
            + format_table(["graph", "triples"], graphs)
            + "\nInstances per class (own classes; asserted / with inference)\n"
            + format_table(["class", "assertedInstances", "instances"], counts))
