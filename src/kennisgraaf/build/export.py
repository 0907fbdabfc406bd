"""Canonical exports of a built dataset: same input, same bytes.

TriG, N-Quads and JSON-LD (a dataset format in pyoxigraph) carry every named graph; Turtle carries
the asserted union (every graph but ``graph/inferred``), with ``inferred=True`` adding the OWL-RL
closure.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from kennisgraaf.build.canonical import serialise
from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.vocab import UriStrategy


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, file extension, media type and pyoxigraph format."""

    name: str
    extension: str
    media_type: str
    rdf_format: ox.RdfFormat

    @property
    def is_dataset(self) -> bool:
        return self.rdf_format.supports_datasets


EXPORT_FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("ttl", "ttl", "text/turtle", ox.RdfFormat.TURTLE),
        ExportFormat("trig", "trig", "application/trig", ox.RdfFormat.TRIG),
        ExportFormat("nq", "nq", "application/n-quads", ox.RdfFormat.N_QUADS),
        ExportFormat("jsonld", "jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
    )
}


def export(dataset: BuiltDataset, fmt: str, *, inferred: bool = False) -> bytes:
    """Serialise ``dataset`` canonically in the export format named ``fmt``."""
    spec = EXPORT_FORMATS[fmt]
    if spec.rdf_format == ox.RdfFormat.N_QUADS:
        # graphs.nq is this export already: written sorted with canonical blank-node labels, and
        # RDFC-1.0 gives an already canonical dataset the same labels. Reading it back through
        # `serialise` held every quad, its sort key and a dataset copy at once (GBs at 1M triples,
        # in the serving process on the first dump request).
        return dataset.quads_file.read_bytes()
    quads = ox.parse(path=str(dataset.quads_file), format=ox.RdfFormat.N_QUADS)
    if not spec.is_dataset and not inferred:
        closure = ox.NamedNode(dataset.inferred_graph_iri())
        quads = (q for q in quads if q.graph_name != closure)
    prefixes = UriStrategy(dataset.base).prefixes()
    return serialise(quads, spec.rdf_format, prefixes)
