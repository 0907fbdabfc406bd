"""The whole-dataset dump files and single-graph serialisations, made once and kept in memory.

Each dump is exactly the bytes of ``kennisgraaf export`` (:func:`kennisgraaf.build.export.export`) in its
format; the gzip variant is compressed with a fixed header (no file name, time 0), so it is as
reproducible as the plain file. Checksums (SHA-256) of both are published in the dump responses,
``/dumps/SHA256SUMS`` and the VoID description.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property

import pyoxigraph as ox

from kennisgraaf.build.canonical import serialise
from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.build.export import EXPORT_FORMATS, export
from kennisgraaf.vocab import GRAPH_ASSERTED, UriStrategy

GZIP_MEDIA_TYPE = "application/gzip"


@dataclass(frozen=True)
class DumpSpec:
    """One dump file: its name, the export format and whether Turtle carries the inferred triples."""

    file_name: str
    fmt: str
    inferred: bool = False

    @property
    def media_type(self) -> str:
        return EXPORT_FORMATS[self.fmt].media_type

    @property
    def carries_graphs(self) -> bool:
        return EXPORT_FORMATS[self.fmt].is_dataset


DUMP_SPECS: tuple[DumpSpec, ...] = (
    DumpSpec("kennisgraaf.trig", "trig"),
    DumpSpec("kennisgraaf.nq", "nq"),
    DumpSpec("kennisgraaf.jsonld", "jsonld"),
    DumpSpec("kennisgraaf.ttl", "ttl"),
    DumpSpec("kennisgraaf-inferred.ttl", "ttl", inferred=True),
)
SPECS_BY_NAME = {spec.file_name: spec for spec in DUMP_SPECS}


@dataclass(frozen=True)
class Dump:
    """A dump's bytes, plain and gzipped, with their checksums."""

    spec: DumpSpec
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def gzipped(self) -> bytes:
        return gzip.compress(self.data, compresslevel=9, mtime=0)

    @cached_property
    def gzip_sha256(self) -> str:
        return hashlib.sha256(self.gzipped).hexdigest()

    def body(self, gzipped: bool) -> bytes:
        return self.gzipped if gzipped else self.data

    def etag(self, gzipped: bool) -> str:
        """Strong ETag: the SHA-256 of the bytes sent (the gzip variant has its own)."""
        return self.gzip_sha256 if gzipped else self.sha256

    def repr_digest(self, gzipped: bool) -> str:
        """``Repr-Digest`` header value (RFC 9530) of the bytes sent."""
        digest = bytes.fromhex(self.etag(gzipped))
        return f"sha-256=:{base64.b64encode(digest).decode()}:"


class DumpCache:
    """Makes each dump on first use and keeps it (the dataset behind an app never changes)."""

    def __init__(self, dataset: BuiltDataset) -> None:
        self.dataset = dataset
        self._dumps: dict[str, Dump] = {}
        self._graphs: dict[tuple[str | None, str], bytes] = {}
        self._lock = threading.Lock()

    def get(self, file_name: str) -> Dump:
        spec = SPECS_BY_NAME[file_name]
        with self._lock:
            if file_name not in self._dumps:
                self._dumps[file_name] = Dump(spec, export(self.dataset, spec.fmt, inferred=spec.inferred))
            return self._dumps[file_name]

    def all(self) -> list[Dump]:
        return [self.get(spec.file_name) for spec in DUMP_SPECS]

    def graph(self, graph_iri: str | None, rdf_format: ox.RdfFormat) -> bytes:
        """One graph of the dataset (None: the default graph, the union of all) in ``rdf_format``."""
        key = (graph_iri, rdf_format.media_type)
        with self._lock:
            if key not in self._graphs:
                self._graphs[key] = graph_bytes(self.dataset, graph_iri, rdf_format)
            return self._graphs[key]


def graph_bytes(dataset: BuiltDataset, graph_iri: str | None, rdf_format: ox.RdfFormat) -> bytes:
    """Canonical serialisation of one graph: a named graph, ``graph/asserted`` or the default graph."""
    quads = ox.parse(path=str(dataset.quads_file), format=ox.RdfFormat.N_QUADS)
    if graph_iri == dataset.asserted_graph_iri():
        inferred = ox.NamedNode(dataset.inferred_graph_iri())
        selected = (q for q in quads if q.graph_name != inferred)
    elif graph_iri is not None:
        wanted = ox.NamedNode(graph_iri)
        selected = (q for q in quads if q.graph_name == wanted)
    else:
        selected = quads
    # A triple format drops the graph names: the default graph is the de-duplicated union.
    triples = (ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in selected)
    return serialise(triples, rdf_format, UriStrategy(dataset.base).prefixes())


def known_graphs(dataset: BuiltDataset) -> list[str]:
    """IRIs a client may ask for: every named graph of the build and ``graph/asserted``."""
    return sorted([*dataset.named_graph_iris(), dataset.graph_iri(GRAPH_ASSERTED)])
