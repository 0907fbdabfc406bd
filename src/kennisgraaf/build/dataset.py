"""A built dataset on disk, and an in-memory pyoxigraph store over it.

The store holds every named graph of the build plus two materialised unions (DESIGN §1): the
store's real default graph (everything, inferred included) and ``graph/asserted`` (everything but
``graph/inferred``). Queries name the real graphs as their named graphs, so the union graph never
shows up in ``GRAPH ?g`` and no triple is returned once per graph that holds it.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from kennisgraaf.vocab import GRAPH_ASSERTED, GRAPH_INFERRED

EXPLANATIONS_FILE = "explanations.json"
VERIFICATION_FILE = "verification.json"  # written after the build (sparql/verify.py), outside SHA256SUMS
# What the pages need besides the graphs, so that serving reads nothing from the source tree
# (which may have changed or gone since the build): the source texts and the SHACL shapes.
SOURCES_FILE = "sources.json"  # {file name in data/bronnen: text}
SHAPES_FILE = "shapes.nt"  # the shapes graph, on the dataset's base IRI

# The dataset with its two unions in pyoxigraph's on-disk format (RocksDB), written by the build and
# opened read-only by every query worker: opening it takes milliseconds where parsing graphs.nq and
# indexing it took seconds, and the workers share its pages in the OS page cache instead of each
# holding a copy. A folder, so outside SHA256SUMS (RocksDB checks its own blocks).
STORE_DIR = "store"
BULK_CHUNK = 100_000  # quads per call of the bulk loader (write_store)

CHECKSUMS = "SHA256SUMS"  # `sha256sum -c SHA256SUMS` in a cache folder checks it by hand


class DamagedCache(Exception):
    """A cache folder whose files are not the ones the build wrote (cut short, garbled, missing)."""


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    """Write ``SHA256SUMS`` over every other file of ``folder`` (the last step of a build)."""
    lines = [f"{file_sha256(path)}  {path.name}\n" for path in sorted(folder.iterdir())
             if path.is_file() and path.name != CHECKSUMS]
    (folder / CHECKSUMS).write_text("".join(lines), encoding="utf-8")


def verify_checksums(folder: Path) -> dict[str, str]:
    """Check every file ``SHA256SUMS`` lists; return name → digest, or raise :class:`DamagedCache` saying what."""
    try:
        listed = (folder / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DamagedCache(f"{folder}: no readable {CHECKSUMS} ({exc})") from None
    digests: dict[str, str] = {}
    for line in listed:
        digest, _, name = line.partition("  ")
        if len(digest) != 64 or not name or "/" in name:
            raise DamagedCache(f"{folder / CHECKSUMS}: unreadable line {line[:80]!r}")
        digests[name] = digest
    for name in ("graphs.nq", "meta.json"):
        if name not in digests:
            raise DamagedCache(f"{folder / CHECKSUMS} does not list {name}")
    for name, digest in digests.items():
        try:
            actual = file_sha256(folder / name)
        except OSError as exc:
            raise DamagedCache(f"{folder / name}: {exc.strerror or exc}") from None
        if actual != digest:
            raise DamagedCache(f"{folder / name} is not the file the build wrote (its SHA-256 differs)")
    return digests


@dataclass(frozen=True)
class BuiltDataset:
    """A complete build in a cache folder: ``graphs.nq`` (named graphs), ``meta.json``, ``explanations.json``,
    the source texts (``sources.json``), the shapes (``shapes.nt``) and ``SHA256SUMS``."""

    path: Path
    meta: dict

    @staticmethod
    def is_complete(path: Path) -> bool:
        return all((path / name).is_file()
                   for name in ("graphs.nq", "meta.json", EXPLANATIONS_FILE, SOURCES_FILE, SHAPES_FILE, CHECKSUMS))

    @classmethod
    def open(cls, path: Path) -> BuiltDataset:
        """Open a cache folder after checking its files against their checksums (raises :class:`DamagedCache`)."""
        digests = verify_checksums(path)
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        return cls(path=path, meta={**meta, "sha256": digests})

    @property
    def quads_file(self) -> Path:
        return self.path / "graphs.nq"

    @property
    def base(self) -> str:
        return self.meta["base"]

    @property
    def quads_sha256(self) -> str:
        """SHA-256 of ``graphs.nq`` as the build wrote it (verified when the dataset was opened)."""
        return self.meta.get("sha256", {}).get("graphs.nq", "")

    @property
    def triple_count(self) -> int:
        """Quads in ``graphs.nq``, by the build's own count."""
        return sum(self.meta["triples"].values())

    @property
    def key(self) -> str:
        return self.meta.get("key", "")

    @cached_property
    def explanations(self) -> dict:
        """Why each inferred triple holds (build/explain.py): ``derived``, ``asserted``, ``rules`` by N-Triples key."""
        return json.loads((self.path / EXPLANATIONS_FILE).read_text(encoding="utf-8"))

    def verification(self) -> dict | None:
        """The canned-query verification recorded for this build (``verification.json``), if any."""
        try:
            return json.loads((self.path / VERIFICATION_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # not yet run, or unreadable: run again

    def record_verification(self, outcome: dict) -> None:
        """Write ``verification.json`` atomically.

        Not in meta.json: that file is covered by SHA256SUMS, which the workers check before
        loading, and the outcome also depends on the ``.rq`` files, which are no build input.
        """
        handle, tmp = tempfile.mkstemp(prefix=".verification-", suffix=".json", dir=self.path)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(outcome, out, indent=2, sort_keys=True, ensure_ascii=False)
            os.replace(tmp, self.path / VERIFICATION_FILE)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    @cached_property
    def source_texts(self) -> dict[str, str]:
        """The source texts as the build read (and checked the quotes against) them, by file name."""
        return json.loads((self.path / SOURCES_FILE).read_text(encoding="utf-8"))

    @property
    def shapes_file(self) -> Path:
        """The SHACL shapes the build validated with (N-Triples, rebased to the dataset's base IRI)."""
        return self.path / SHAPES_FILE

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

    @property
    def store_dir(self) -> Path | None:
        """The build's on-disk store, or None for a cache written before it existed."""
        path = self.path / STORE_DIR
        return path if path.is_dir() else None

    def open_store(self) -> ox.Store:
        """The dataset with its two materialised unions: the build's on-disk store opened read-only, or
        (a cache written before it) graphs.nq loaded into an in-memory store. Loading it costs about
        three times the data in memory (a quads list and the store with both unions: 4 GB at 1M
        triples, in `build`'s canned-query check); read-only, the data stay on disk."""
        if self.store_dir is not None:
            return ox.Store.read_only(str(self.store_dir))
        store = ox.Store()
        store.extend(with_unions(lambda: _read_quads(self.quads_file), ox.NamedNode(self.inferred_graph_iri()),
                                 ox.NamedNode(self.asserted_graph_iri())))
        return store


def _read_quads(quads_file: Path) -> Iterator[ox.Quad]:
    return ox.parse(path=str(quads_file), format=ox.RdfFormat.N_QUADS)


def with_unions(read: Callable[[], Iterable[ox.Quad]], inferred: ox.NamedNode,
                asserted: ox.NamedNode) -> Iterator[ox.Quad]:
    """The quads, then the default graph as the union of all of them, then ``asserted`` as the union
    without ``inferred`` (materialised: no SPARQL update needed; see docs/architecture.md).
    ``read`` gives the quads afresh for each pass (a parse of graphs.nq streams them: no list of
    every quad in memory, about 0.5 GB at 1M triples)."""
    yield from read()
    default = ox.DefaultGraph()
    yield from (ox.Quad(q.subject, q.predicate, q.object, default) for q in read())
    yield from (ox.Quad(q.subject, q.predicate, q.object, asserted) for q in read() if q.graph_name != inferred)


def write_store(quads_file: Path, folder: Path, base: str) -> None:
    """Write the on-disk store (``STORE_DIR``) of a build's graphs.nq into ``folder``, compacted."""
    store = ox.Store(str(folder))
    quads = with_unions(lambda: _read_quads(quads_file), ox.NamedNode(f"{base}graph/{GRAPH_INFERRED}"),
                        ox.NamedNode(f"{base}graph/{GRAPH_ASSERTED}"))
    # Oxigraph's bulk loader holds a whole batch (up to a million quads, two at a time) in memory:
    # 0.31 GB for the 0.27M quads of 100k triples in one call, 0.15 GB in calls of BULK_CHUNK
    # quads, and no slower (26 s in one call, 20 s in chunks; the files on disk: 32 → 61 MB).
    while chunk := list(islice(quads, BULK_CHUNK)):
        store.bulk_extend(chunk)
    store.flush()
    store.optimize()
    del store  # closes the database before the folder is moved into place
