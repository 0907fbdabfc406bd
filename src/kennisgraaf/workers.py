"""Query worker processes: each holds the dataset in its own pyoxigraph store (DESIGN §6).

pyoxigraph has no query time limit and crashes the interpreter on some inputs, so queries run in
child processes: one that overruns its time limit is killed (SIGKILL) and replaced, and one that
crashes costs that worker only. The pool keeps ``warm`` workers ready and starts more on demand,
up to ``limit``, so a heavy query never makes a light one wait for a worker.

Workers are plain subprocesses (running :func:`main`) talking over a socket pair,
not ``multiprocessing`` children: those re-import the parent's ``__main__``. At start a worker
moves into a network namespace of its own where it can (no interface: a second fence, after the
guard, against SERVICE calls leaving the machine) and limits its address space; an alarm asks the
kernel to end it a little after each job's time limit (so a worker never outlives a dead parent for
long). This module imports only the standard library and pyoxigraph.
"""

from __future__ import annotations

import ctypes
import json
import math
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from kennisgraaf import formats

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
ALARM_GRACE = 5  # seconds past a job's time limit before a worker ends itself


@dataclass(frozen=True)
class WorkerSpec:
    """How a worker loads its store and reads queries."""

    quads_file: str
    inferred_graph: str
    asserted_graph: str
    base: str
    prefixes: dict[str, str] = field(default_factory=dict)
    memory_mb: int = 0  # address-space limit per worker; 0 = none
    isolate_network: bool = True


@dataclass(frozen=True)
class Job:
    """One query for a worker. ``default_graph`` None means the store's default graph."""

    text: str
    media_type: str
    default_graph: list[str] | None
    named_graphs: list[str]
    substitutions: dict[str, Any]
    result_limit: int
    timeout: float = 10.0


class WorkerFailed(Exception):
    """The worker died (or could not start) while it held the query."""


class WorkerTimeout(Exception):
    """The query overran its time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free before the deadline."""


# --- the worker process -----------------------------------------------------------------------


def load_store(spec: WorkerSpec) -> ox.Store:
    """The dataset with its two materialised unions, as :meth:`BuiltDataset.open_store` builds it."""
    quads = list(ox.parse(path=spec.quads_file, format=ox.RdfFormat.N_QUADS))
    inferred, asserted = ox.NamedNode(spec.inferred_graph), ox.NamedNode(spec.asserted_graph)
    store = ox.Store()
    store.extend(quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    store.extend(ox.Quad(q.subject, q.predicate, q.object, asserted) for q in quads if q.graph_name != inferred)
    return store


def execute(store: ox.Store, spec: WorkerSpec, job: Job) -> tuple:
    """Run ``job``; reply ``("ok", kind, media_type, body, truncated)`` or ``("error", status, message)``."""
    if job.default_graph is None:
        default: Any = ox.DefaultGraph()
    else:
        default = [ox.NamedNode(iri) for iri in job.default_graph]
    try:
        results = store.query(
            job.text,
            base_iri=spec.base or None,
            prefixes=spec.prefixes,
            default_graph=default,
            named_graphs=[ox.NamedNode(iri) for iri in job.named_graphs],
            substitutions={ox.Variable(k): v for k, v in job.substitutions.items()} or None,
        )
        return _serialise(results, job, spec)
    except SyntaxError as exc:
        return ("error", 400, f"SPARQL syntax error: {exc}")
    except (OSError, ValueError, TypeError, RuntimeError) as exc:
        return ("error", 500, f"the query engine failed: {exc}")


def _serialise(results: Any, job: Job, spec: WorkerSpec) -> tuple:
    if isinstance(results, ox.QueryBoolean):
        fmt = ox.QueryResultsFormat.from_media_type(job.media_type)
        if job.media_type not in formats.RESULT_TYPES or fmt is None:
            return ("error", 406, f"ASK results cannot be given as {job.media_type}")
        return ("ok", "ask", job.media_type, results.serialize(format=fmt), False)
    if isinstance(results, ox.QueryTriples):
        if job.media_type not in formats.GRAPH_TYPES:
            return ("error", 406, f"graph results cannot be given as {job.media_type}")
        triples = []
        for triple in results:
            if len(triples) == job.result_limit:
                break
            triples.append(triple)
        else:
            return ("ok", "graph", job.media_type, _rdf(triples, job.media_type, spec), False)
        return ("ok", "graph", job.media_type, _rdf(triples, job.media_type, spec), True)
    if job.media_type not in formats.RESULT_TYPES:
        return ("error", 406, f"SELECT results cannot be given as {job.media_type}")
    variables = [v.value for v in results.variables]
    rows, truncated = [], False
    for solution in results:
        if len(rows) == job.result_limit:
            truncated = True
            break
        rows.append(tuple(solution))
    return ("ok", "select", job.media_type, formats.serialise_solutions(variables, rows, job.media_type), truncated)


def _rdf(triples: list[ox.Triple], media_type: str, spec: WorkerSpec) -> bytes:
    fmt = formats.rdf_format(media_type)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=fmt, prefixes=spec.prefixes)
    return ox.serialize(triples, format=fmt)


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
    """Worker entry point; ``argv`` holds the socket's file descriptor (the spec is the first message)."""
    conn = Connection(int(argv[0]))
    spec = WorkerSpec(**json.loads(conn.recv_bytes()))
    isolated = spec.isolate_network and isolate_network()
    if spec.memory_mb:
        limit = spec.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    store = load_store(spec)
    conn.send(("ready", os.getpid(), isolated))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        # The kernel ends this worker a little after the job's time limit even if the parent is gone
        # (SIGALRM's default action terminates the process, also while pyoxigraph's Rust code runs).
        signal.alarm(math.ceil(job.timeout) + ALARM_GRACE)
        reply = execute(store, spec, job)
        signal.alarm(0)
        conn.send(reply)


# --- the pool (in the app process) -------------------------------------------------------------


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    conn: Connection
    isolated: bool = False


class WorkerPool:
    """Worker processes for one dataset; :meth:`run` is safe to call from many threads."""

    def __init__(self, spec: WorkerSpec, *, warm: int = 2, limit: int = 16, start_timeout: float = 60.0) -> None:
        self.spec = spec
        self.warm = max(1, warm)
        self.limit = max(self.warm, limit)
        self.start_timeout = start_timeout
        self._idle: list[Worker] = []
        self._count = 0
        self._closed = False
        self._cond = threading.Condition()
        self._live: set[subprocess.Popen[bytes]] = set()
        self.network_isolated: bool | None = None
        self._finalizer = weakref.finalize(self, _kill_all, self._live)

    def warm_up(self) -> None:
        """Start the warm workers now (otherwise the first query does)."""
        threads = [threading.Thread(target=self._top_up_one) for _ in range(self.warm - self._count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def run(self, job: Job, timeout: float) -> tuple:
        """Run ``job`` in a worker and return its reply; kill the worker if it overruns ``timeout``."""
        deadline = time.monotonic() + timeout
        worker = self._acquire(deadline)
        try:
            worker.conn.send(job)
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.conn.poll(remaining):
                self._discard(worker)
                raise WorkerTimeout
            reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._discard(worker)
            raise WorkerFailed(str(exc)) from None
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        return reply

    def close(self) -> None:
        """Stop every worker."""
        with self._cond:
            self._closed = True
            self._idle.clear()
            self._cond.notify_all()
        self._finalizer()

    @property
    def size(self) -> int:
        """Live workers (idle, busy or starting)."""
        return self._count

    def _acquire(self, deadline: float) -> Worker:
        with self._cond:
            while True:
                if self._closed:
                    raise WorkerFailed("the worker pool is closed")
                if self._idle:
                    return self._idle.pop()
                if self._count < self.limit:
                    self._count += 1
                    break
                if not self._cond.wait(max(0.0, deadline - time.monotonic())) and time.monotonic() >= deadline:
                    raise PoolBusy
        try:
            return self._spawn(min(self.start_timeout, max(0.5, deadline - time.monotonic())))
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _release(self, worker: Worker) -> None:
        with self._cond:
            if not self._closed and len(self._idle) < self.warm:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._count -= 1
            self._cond.notify()
        self._stop(worker)

    def _discard(self, worker: Worker) -> None:
        self._stop(worker)
        with self._cond:
            self._count -= 1
            self._cond.notify()
            closed = self._closed
        if not closed:
            threading.Thread(target=self._top_up_one, daemon=True).start()

    def _top_up_one(self) -> None:
        with self._cond:
            if self._closed or self._count >= self.warm:
                return
            self._count += 1
        try:
            worker = self._spawn(self.start_timeout)
        except WorkerFailed:
            with self._cond:
                self._count -= 1
            return
        self._release(worker)

    def _spawn(self, timeout: float) -> Worker:
        parent, child = socket.socketpair()
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", "import sys; from kennisgraaf.workers import main; main(sys.argv[1:])",
                 str(child.fileno())],
                pass_fds=(child.fileno(),),
                stdin=subprocess.DEVNULL,
                close_fds=True,
            )
        finally:
            child.close()
        self._live.add(process)
        conn = Connection(parent.detach())
        worker = Worker(process, conn)
        try:
            conn.send_bytes(json.dumps(asdict(self.spec)).encode("utf-8"))
            if not conn.poll(timeout):
                raise WorkerFailed("a query worker did not start in time")
            ready = conn.recv()
        except (EOFError, OSError) as exc:
            self._stop(worker)
            raise WorkerFailed(f"a query worker failed to start: {exc}") from None
        except WorkerFailed:
            self._stop(worker)
            raise
        worker.isolated = bool(ready[2])
        self.network_isolated = worker.isolated if self.network_isolated is None else (
            self.network_isolated and worker.isolated)
        return worker

    def _stop(self, worker: Worker) -> None:
        if worker.process.poll() is None:
            worker.process.kill()
        worker.conn.close()
        self._live.discard(worker.process)
        threading.Thread(target=worker.process.wait, daemon=True).start()


def _kill_all(processes: set[subprocess.Popen[bytes]]) -> None:
    for process in list(processes):
        if process.poll() is None:
            process.kill()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
    processes.clear()

