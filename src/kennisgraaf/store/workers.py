"""Query worker processes: each holds the dataset in pyoxigraph (DESIGN §6). This is the child side.

pyoxigraph has no query time limit and crashes the interpreter on some inputs, so queries run in
worker processes (the pool that runs them lives in :mod:`kennisgraaf.store.pool`): one that overruns
its time limit is killed and replaced, one that crashes costs only itself.

Workers are forked from a *fork server*: one process, started as ``python -c … main(...)`` (not
with ``multiprocessing``, which re-imports the parent's ``__main__``), that loads the store once,
moves into a network namespace of its own where the kernel allows it (no interface: a second
fence, after the guard, against SERVICE calls leaving the machine) and limits its address space.
Forking it gives a ready worker in milliseconds, also when heavy queries keep the CPUs busy, and
the workers share the store's memory until they write to it. The fork server stays
single-threaded, which is what makes forking it safe. Each worker asks the kernel to end it a
little after each job's time limit (SIGALRM), so none outlives a dead parent for long.
This module imports only the standard library, pyoxigraph, :mod:`kennisgraaf.sparql.mediatypes` and
:mod:`kennisgraaf.sparql.results`.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import math
import os
import resource
import signal
import socket
import struct
import sys
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql import mediatypes
from kennisgraaf.sparql.results import serialise_solutions

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
ALARM_GRACE = 5  # seconds past a job's time limit before a worker ends itself
# Answers up to this size are written by pyoxigraph; a bigger one is run again on the slow path, which
# cuts it at the limits. Bounded so that the work thrown away stays small next to what follows it.
FAST_PATH_BYTES = 2 * 1024 * 1024
FORK = b"F"


@dataclass(frozen=True)
class WorkerSpec:
    """How the fork server loads its store and its workers read queries."""

    quads_file: str
    inferred_graph: str
    asserted_graph: str
    base: str
    prefixes: dict[str, str] = field(default_factory=dict)
    memory_mb: int = DEFAULTS.worker_memory_mb  # address-space limit per worker; 0 = none
    isolate_network: bool = True
    quads_sha256: str = ""  # the build's checksum of quads_file, checked before loading ("" = none)
    recycle_mb: int = DEFAULTS.worker_recycle_mb  # a worker that grew by more asks to be retired; 0 = never
    store_dir: str = ""  # the build's on-disk store, opened read-only ("" or missing: load quads_file)
    store_quads: int = 0  # quads of the dataset without its unions, reported for the on-disk store


@dataclass(frozen=True)
class Job:
    """One query for a worker. ``default_graph`` None means the store's default graph, ``named_graphs`` None
    all of the store's named graphs (only for a query that reads none)."""

    text: str
    media_type: str
    default_graph: list[str] | None
    named_graphs: list[str] | None
    substitutions: dict[str, Any]
    result_limit: int
    timeout: float = DEFAULTS.query_timeout
    result_bytes: int = DEFAULTS.max_result_bytes  # about: the size of the terms in N-Triples form


class DamagedFile(Exception):
    """The quads file is not the one the build wrote."""


def load_store(spec: WorkerSpec) -> tuple[ox.Store, int]:
    """The dataset with its two materialised unions, as :meth:`BuiltDataset.open_store` builds it, and its size.

    The file is checked against the build's checksum first, also when a fork server is restarted
    long after the app opened the cache: a damaged file is never served. Where the build wrote its
    on-disk store, that is opened read-only instead (milliseconds; the workers share its pages).
    """
    if spec.store_dir and Path(spec.store_dir).is_dir():
        return ox.Store.read_only(spec.store_dir), spec.store_quads
    data = Path(spec.quads_file).read_bytes()
    if spec.quads_sha256 and hashlib.sha256(data).hexdigest() != spec.quads_sha256:
        raise DamagedFile(f"{spec.quads_file} is not the file the build wrote (its SHA-256 differs); "
                          "rebuild with `kennisgraaf build --force`")
    quads = list(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    inferred, asserted = ox.NamedNode(spec.inferred_graph), ox.NamedNode(spec.asserted_graph)
    store = ox.Store()
    store.extend(quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, asserted) for q in quads if q.graph_name != inferred)
    return store, len(quads)


def execute(store: ox.Store, spec: WorkerSpec, job: Job) -> tuple:
    """Run ``job``; reply ``("ok", kind, media_type, body, truncated)``, ``("error", status, message)`` for the
    query's own fault, or ``("fault", detail)`` for the engine's (the pool logs it; the client sees an id)."""
    try:
        reply = _serialise(_run(store, spec, job), job, spec)
        if reply is None:  # over a limit: run it again and cut it row by row
            reply = _serialise_cut(_run(store, spec, job), job, spec)
        return reply
    except SyntaxError as exc:
        return ("error", 400, f"SPARQL syntax error: {exc}")
    except (ValueError, RuntimeError, OSError) as exc:
        # pyoxigraph raises ValueError for a query error and RuntimeError for the other evaluation
        # errors (an unknown function, a graph that is not one); the store is in memory, so an OSError
        # comes only from I/O the query asks for (SERVICE, which admission refuses before this).
        return ("error", 400, f"The query cannot be evaluated: {exc}")
    except Exception as exc:  # anything else (our serialisers, the interpreter) is not the query's fault
        return ("fault", f"{type(exc).__name__}: {exc}")


def _run(store: ox.Store, spec: WorkerSpec, job: Job) -> Any:
    if job.default_graph is None:
        default: Any = ox.DefaultGraph()
    else:
        default = [ox.NamedNode(iri) for iri in job.default_graph]
    return store.query(
        job.text,
        base_iri=spec.base or None,
        prefixes=spec.prefixes,
        default_graph=default,
        named_graphs=None if job.named_graphs is None else [ox.NamedNode(iri) for iri in job.named_graphs],
        substitutions={ox.Variable(k): v for k, v in job.substitutions.items()} or None,
    )


class _TooBig(Exception):
    """The serialised answer passed the job's byte limit."""


class _BoundedSink:
    """Where pyoxigraph's serialisers write: it holds at most ``limit`` bytes, then raises :class:`_TooBig`.

    With a ``marker`` (the byte string that starts a row, see :func:`_most_rows`) it also stops once
    the rows it has seen may pass ``rows``: the answer would go to the slow path anyway, so the
    serialiser need not finish it first.
    """

    def __init__(self, limit: int, marker: bytes = b"", markers: int = 0) -> None:
        self.limit = limit
        self.size = 0
        self.parts: list[bytes] = []
        self.marker = marker
        self.markers_left = markers

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _TooBig
        if self.marker:
            self.markers_left -= data.count(self.marker)
            if self.markers_left < 0:
                raise _TooBig
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _serialise(results: Any, job: Job, spec: WorkerSpec) -> tuple | None:
    """Serialise in pyoxigraph (Rust); None when the answer may be over the row or byte limit.

    Turning every row into Python objects and writing it in Python cost more than evaluating
    the query (docs/benchmarks.md, first execution). The serialiser stops as soon as the answer
    passes the byte limit (or :data:`FAST_PATH_BYTES`, if lower) or may pass the row limit, counted
    with a count that can only be too high (see :func:`_most_rows`) as it writes and again on the
    whole answer. Either way the job is run again on the slow path, which cuts the answer at the
    limits and says so; small answers, nearly all, never get there, and a large one costs its
    first two megabytes twice.
    """
    if isinstance(results, ox.QueryBoolean):
        fmt = ox.QueryResultsFormat.from_media_type(job.media_type)
        if job.media_type not in mediatypes.RESULT_TYPES or fmt is None:
            return ("error", 406, f"ASK results cannot be given as {job.media_type}")
        return ("ok", "ask", job.media_type, results.serialize(format=fmt), False)
    if isinstance(results, ox.QueryTriples):
        if job.media_type not in mediatypes.GRAPH_TYPES:
            return ("error", 406, f"graph results cannot be given as {job.media_type}")
        sink = _BoundedSink(min(job.result_bytes, FAST_PATH_BYTES))
        cut: list[bool] = []
        try:
            _write_rdf(_first(results, job.result_limit, cut), sink, job.media_type, spec)
        except _TooBig:
            return None
        return ("ok", "graph", job.media_type, sink.getvalue(), bool(cut))
    fmt = ox.QueryResultsFormat.from_media_type(job.media_type)
    if job.media_type not in mediatypes.RESULT_TYPES or fmt is None:
        return ("error", 406, f"SELECT results cannot be given as {job.media_type}")
    marker, in_head = _ROW_MARKER[job.media_type]
    sink = _BoundedSink(min(job.result_bytes, FAST_PATH_BYTES), marker, job.result_limit + in_head)
    try:
        results.serialize(sink, format=fmt)
    except _TooBig:
        return None
    body = sink.getvalue()
    if _most_rows(body, job.media_type) > job.result_limit:
        return None
    return ("ok", "select", job.media_type, body, False)


def _first(triples: Any, limit: int, cut: list[bool]) -> Any:
    """The first ``limit`` triples; ``cut`` gets an entry when there were more."""
    for count, triple in enumerate(triples):
        if count == limit:
            cut.append(True)
            return
        yield triple


# What each row of serialised SELECT results holds once (see _most_rows), and how many the head holds.
_ROW_MARKER = {mediatypes.SPARQL_JSON: (b"{", 3), mediatypes.SPARQL_XML: (b"<result>", 0),
               mediatypes.CSV: (b"\n", 1), mediatypes.TSV: (b"\n", 1)}


def _most_rows(body: bytes, media_type: str) -> int:
    """A count of the rows in serialised SELECT results that is never too low (exact for XML and TSV).

    Every JSON row is an object, so it opens a ``{`` (values may hold more: the count is then too
    high, which only sends the job to the slow path); the head takes three. XML escapes ``<`` in
    values; TSV escapes line breaks and ends every line with one (the head is a line); CSV may
    quote line breaks, again only adding to the count.
    """
    marker, in_head = _ROW_MARKER[media_type]
    return body.count(marker) - in_head


def _serialise_cut(results: Any, job: Job, spec: WorkerSpec) -> tuple:
    """The slow path: rows (or triples) as Python objects, cut at the row and byte limits."""
    if isinstance(results, ox.QueryTriples):
        triples, truncated = _take(results, job, lambda triple: len(str(triple)))
        sink = _BoundedSink(1 << 62)
        _write_rdf(triples, sink, job.media_type, spec)
        return ("ok", "graph", job.media_type, sink.getvalue(), truncated)
    variables = [v.value for v in results.variables]
    rows, truncated = _take((tuple(solution) for solution in results), job,
                            lambda row: sum(len(str(term)) for term in row if term is not None))
    return ("ok", "select", job.media_type, serialise_solutions(variables, rows, job.media_type), truncated)


def _take(items: Any, job: Job, size: Any) -> tuple[list, bool]:
    """The first items within the row limit and the byte limit, and whether any were left out.

    Counting bytes as well as rows keeps every answer small enough to hold: four small queries
    that each return 128 MiB of strings once took the server to 1.18 GB.
    """
    kept: list = []
    total = 0
    for item in items:
        total += size(item)
        if len(kept) == job.result_limit or total > job.result_bytes:
            return kept, True
        kept.append(item)
    return kept, False


def _write_rdf(triples: Any, sink: _BoundedSink, media_type: str, spec: WorkerSpec) -> None:
    fmt = mediatypes.rdf_format(media_type)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        ox.serialize(triples, sink, format=fmt, prefixes=spec.prefixes)
    else:
        ox.serialize(triples, sink, format=fmt)


def isolate_network() -> bool:
    """Move this (single-threaded) process into an empty network namespace; True if that worked."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        for flags in (CLONE_NEWUSER | CLONE_NEWNET, CLONE_NEWNET):
            if libc.unshare(flags) == 0:
                return True
    except (OSError, AttributeError):
        pass
    return False


def main(argv: list[str]) -> None:
    """Fork server: ``argv`` is the control socket's file descriptor and the spec as JSON.

    It answers ``ready`` with its pid and whether the network is isolated, then forks a worker for
    every ``F`` byte it reads and sends back the worker's pid and socket (SCM_RIGHTS).
    """
    control = socket.socket(fileno=int(argv[0]))
    spec = WorkerSpec(**json.loads(argv[1]))
    isolated = spec.isolate_network and isolate_network()
    if spec.memory_mb:
        limit = spec.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        store, loaded = load_store(spec)
    except (DamagedFile, OSError, SyntaxError, RuntimeError) as exc:  # RuntimeError: RocksDB found corruption
        control.sendall(json.dumps({"error": str(exc)}).encode() + b"\n")
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
    control.sendall(json.dumps({"pid": os.getpid(), "isolated": isolated, "quads": loaded}).encode() + b"\n")
    while control.recv(1) == FORK:
        mine, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            control.close()
            theirs.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            _serve(Connection(mine.detach()), store, spec)
            os._exit(0)
        mine.close()
        socket.send_fds(control, [struct.pack("!i", pid)], [theirs.fileno()])
        theirs.close()


def _serve(conn: Connection, store: ox.Store, spec: WorkerSpec) -> None:
    """A worker's loop: one job at a time until the pool closes the socket.

    Each reply is ``(retire, reply)``: ``retire`` when this worker's peak memory has grown by more
    than ``recycle_mb`` since it was forked (a big answer leaves the allocator holding memory that
    an idle worker would keep for good); the pool then replaces it. Reading the peak is one
    ``getrusage`` call, cheap enough for every job.
    """
    start_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # the fork's share of the store, in KiB
    recycle_kb = spec.recycle_mb * 1024
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        # The kernel ends this worker a little after the job's time limit even if the pool is gone
        # (SIGALRM's default action terminates the process, also while pyoxigraph's Rust code runs).
        signal.alarm(math.ceil(job.timeout) + ALARM_GRACE)
        reply = execute(store, spec, job)
        signal.alarm(0)
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start_kb
        conn.send((bool(recycle_kb) and grown > recycle_kb, reply))


def start_command(fd: int, spec: WorkerSpec) -> list[str]:
    """The command line that starts a fork server on socket ``fd``."""
    return [sys.executable, "-c", "import sys; from kennisgraaf.store.workers import main; main(sys.argv[1:])",
            str(fd), json.dumps(asdict(spec))]
