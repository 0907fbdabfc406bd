"""A built dataset on disk, and an in-memory pyoxigraph store over it.

The store holds every named graph of the build plus two materialised unions (DESIGN §1): the
store's real default graph (everything, inferred included) and ``graph/asserted`` (everything but
``graph/inferred``). Queries name the real graphs as their named graphs, so the union graph never
shows up in ``GRAPH ?g`` and no triple is returned once per graph that holds it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from kennisgraaf.vocab import GRAPH_ASSERTED, GRAPH_INFERRED

EXPLANATIONS_FILE = "explanations.json"


@dataclass(frozen=True)
class BuiltDataset:
    """A complete build in a cache folder: ``graphs.nq`` (named graphs), ``meta.json`` and ``explanations.json``."""

    path: Path
    meta: dict

    @staticmethod
    def is_complete(path: Path) -> bool:
        return all((path / name).is_file() for name in ("graphs.nq", "meta.json", EXPLANATIONS_FILE))

    @classmethod
    def open(cls, path: Path) -> BuiltDataset:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        return cls(path=path, meta=meta)

    @property
    def quads_file(self) -> Path:
        return self.path / "graphs.nq"

    @property
    def base(self) -> str:
        return self.meta["base"]

    @property
    def key(self) -> str:
        return self.meta.get("key", "")

    @cached_property
    def explanations(self) -> dict:
        """Why each inferred triple holds (build/explain.py): ``derived``, ``asserted``, ``rules`` by N-Triples key."""
        return json.loads((self.path / EXPLANATIONS_FILE).read_text(encoding="utf-8"))

    def graph_iri(self, name: str) -> str:
        return f"{self.base}graph/{name}"

    @cached_property
    def graph_names(self) -> tuple[str, ...]:
        """Names of the real named graphs (documents, reference, ontology, quote locations, inferred)."""
        return tuple(sorted(self.meta["triples"]))

    def named_graph_iris(self) -> list[str]:
        return [self.graph_iri(name) for name in self.graph_names]

    def asserted_graph_iri(self) -> str:
        return self.graph_iri(GRAPH_ASSERTED)

    def inferred_graph_iri(self) -> str:
        return self.graph_iri(GRAPH_INFERRED)

    def open_store(self) -> ox.Store:
        """Load the dataset into an in-memory store and materialise the two unions."""
        quads = list(ox.parse(path=str(self.quads_file), format=ox.RdfFormat.N_QUADS))
        inferred = ox.NamedNode(self.inferred_graph_iri())
        asserted = ox.NamedNode(self.asserted_graph_iri())
        default = ox.DefaultGraph()
        store = ox.Store()
        store.extend(quads)
        store.extend(ox.Quad(q.subject, q.predicate, q.object, default) for q in quads)
        store.extend(ox.Quad(q.subject, q.predicate, q.object, asserted) for q in quads if q.graph_name != inferred)
        return store
