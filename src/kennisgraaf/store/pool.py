"""The pool of query workers, in the app process (the workers themselves: :mod:`kennisgraaf.store.workers`).

:meth:`WorkerPool.run` hands a job to an idle worker and waits at most the job's time limit; a
worker that overruns is killed (SIGKILL) and replaced. ``warm`` workers are started at once; when
none is idle the pool forks another (up to ``limit``), and it keeps one spare forking while the last
idle worker is busy, so a heavy query never makes a light one wait. A worker that has run for
more than a moment is reniced, so that light queries and new forks get the CPU first.

Workers stay once started (up to ``limit``): a fork costs about 3.4 ms of CPU, half of an ASK's,
and a pool that killed every worker above ``warm`` as soon as nobody waited forked again at the
next burst (docs/benchmarks.md, Optimisations). What bounds memory instead: at most ``limit``
workers, each with its address-space limit, and a worker whose memory grew by more than
``recycle_mb`` while it answered (it says so in its reply) or that was reniced is retired after
its answer and replaced by a fresh fork.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import struct
import subprocess
import threading
import time
import weakref
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from kennisgraaf.config import DEFAULTS
from kennisgraaf.store.workers import FORK, Job, WorkerSpec, start_command

RENICE_AFTER = 0.25  # seconds
NICENESS = 10


class WorkerFailed(Exception):
    """The worker died (or could not start) while it held the query."""


class WorkerTimeout(Exception):
    """The query overran its time limit; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free before the deadline."""


@dataclass
class Worker:
    pid: int
    conn: Connection
    niced: bool = False
    # One poll object per worker, registered once: Connection.poll builds a selector on every call
    # (about 10 µs, twice a query; this takes 1.5).
    poller: select.poll = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.poller = select.poll()
        self.poller.register(self.conn.fileno(), select.POLLIN)

    def readable(self, timeout: float) -> bool:
        """Whether the worker has written (or closed its end) within ``timeout`` seconds."""
        return bool(self.poller.poll(max(0.0, timeout) * 1000))


class ForkServer:
    """The process that loads the store once and forks workers from it."""

    def __init__(self, spec: WorkerSpec, timeout: float) -> None:
        control, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(start_command(theirs.fileno(), spec), pass_fds=(theirs.fileno(),),
                                            stdin=subprocess.DEVNULL)
        finally:
            theirs.close()
        self.control = control
        self.lock = threading.Lock()
        control.settimeout(timeout)
        try:
            with control.makefile("rb") as reader:
                ready = json.loads(reader.readline())
        except (OSError, ValueError) as exc:
            self.close()
            raise WorkerFailed(f"the query fork server did not start: {exc}") from None
        control.settimeout(None)
        if "error" in ready:
            self.close()
            raise WorkerFailed(f"the query fork server cannot load the dataset: {ready['error']}")
        self.isolated = bool(ready["isolated"])
        self.loaded_quads = int(ready["quads"])

    def fork(self) -> Worker:
        with self.lock:
            try:
                self.control.sendall(FORK)
                data, fds, _, _ = socket.recv_fds(self.control, 4, 1)
            except OSError as exc:
                raise WorkerFailed(f"the query fork server failed: {exc}") from None
        if len(data) != 4 or not fds:
            raise WorkerFailed("the query fork server stopped")
        return Worker(struct.unpack("!i", data)[0], Connection(fds[0]))

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.control.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


class WorkerPool:
    """Worker processes for one dataset; :meth:`run` is safe to call from many threads."""

    def __init__(self, spec: WorkerSpec, *, warm: int = DEFAULTS.workers, limit: int = DEFAULTS.max_in_flight,
                 start_timeout: float = 60.0) -> None:
        self.spec = spec
        self.warm = max(1, warm)
        self.limit = max(self.warm, limit)
        self.start_timeout = start_timeout
        self._server: ForkServer | None = None
        self._server_lock = threading.Lock()
        self._idle: list[Worker] = []
        self._count = 0  # live workers: idle, busy and forking
        self._starting = 0
        self._waiting = 0
        self._closed = False
        self._cond = threading.Condition()
        self._live: dict[int, Worker] = {}
        self._holder: list[ForkServer | None] = [None]  # shared with the finalizer
        self._finalizer = weakref.finalize(self, _shut_down, self._live, self._holder)
        self._starter: threading.Thread | None = None  # start(): the fork server starting in the background
        self._start_failure: WorkerFailed | None = None

    @property
    def loaded_quads(self) -> int | None:
        """Quads the fork server loaded from the dataset file (None before it starts)."""
        return self._server.loaded_quads if self._server is not None else None

    @property
    def network_isolated(self) -> bool | None:
        """Whether the workers have no network (None before the first worker starts)."""
        return self._server.isolated if self._server is not None else None

    def start(self) -> None:
        """Start the fork server in the background: it loads the store while the caller goes on
        (``serve`` builds the app meanwhile); :meth:`warm_up` waits for it and raises its failure."""
        self._starter = threading.Thread(target=self._start_server, daemon=True)
        self._starter.start()

    def _start_server(self) -> None:
        try:
            self._fork_server()
        except WorkerFailed as exc:
            self._start_failure = exc

    def warm_up(self, timeout: float = 60.0) -> None:
        """Start the fork server and the warm workers now (otherwise the first query does)."""
        if self._starter is not None:
            self._starter.join()
            failure, self._start_failure = self._start_failure, None
            if failure is not None:
                raise failure
        self._fork_server()
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._count < self.warm:
                self._grow()
            while len(self._idle) < self.warm and time.monotonic() < deadline and not self._closed:
                self._cond.wait(0.1)

    def run(self, job: Job, timeout: float) -> tuple:
        """Run ``job`` in a worker and return its reply; kill the worker if it overruns ``timeout``."""
        deadline = time.monotonic() + timeout
        worker = self._acquire_live(deadline)
        try:
            worker.conn.send(job)
            if not worker.readable(min(RENICE_AFTER, deadline - time.monotonic())):
                worker.niced = _renice(worker.pid, NICENESS)
                if not worker.readable(deadline - time.monotonic()):
                    raise WorkerTimeout  # discarded below, once (twice made the pool count one worker short)
            retire, reply = worker.conn.recv()
        except (EOFError, OSError) as exc:
            self._discard(worker)
            raise WorkerFailed(str(exc)) from None
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker, retire)
        return reply

    def _acquire_live(self, deadline: float) -> Worker:
        """An idle worker that is still alive: one killed while idle never ran this job, so take a fresh one.

        Only a worker that dies *holding* a job fails that job; that one is never retried.
        """
        while True:
            worker = self._acquire(deadline)
            if _alive(worker):
                return worker
            self._discard(worker)

    def pids(self) -> set[int]:
        """Process ids of the live workers."""
        return set(self._live)

    def close(self) -> None:
        """Stop every worker and the fork server."""
        with self._cond:
            self._closed = True
            self._idle.clear()
            self._cond.notify_all()
        self._finalizer()

    def _fork_server(self) -> ForkServer:
        with self._server_lock:
            if self._server is None or not self._server.alive():
                if self._server is not None:
                    self._server.close()
                self._server = ForkServer(self.spec, self.start_timeout)
                self._holder[0] = self._server
            return self._server

    def _acquire(self, deadline: float) -> Worker:
        """An idle worker; when none is idle, fork one (in the background) and take the first one free."""
        with self._cond:
            self._waiting += 1
            try:
                while True:
                    if self._closed:
                        raise WorkerFailed("the worker pool is closed")
                    if self._idle:
                        worker = self._idle.pop()
                        if not self._idle and not self._starting:
                            self._grow()  # a spare for the next query, forked while this one runs
                        return worker
                    if self._starting < self._waiting:
                        self._grow()
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise PoolBusy
                    self._cond.wait(remaining)
            finally:
                self._waiting -= 1

    def _grow(self) -> None:
        """Fork one more worker in the background if the limit allows (call with the lock held)."""
        if self._closed or self._count >= self.limit:
            return
        self._count += 1
        self._starting += 1
        threading.Thread(target=self._start_one, daemon=True).start()

    def _start_one(self) -> None:
        try:
            worker = self._fork_server().fork()
        except WorkerFailed:
            with self._cond:
                self._count -= 1
                self._starting -= 1
                self._cond.notify_all()
            return
        with self._cond:
            self._starting -= 1
            self._live[worker.pid] = worker
            if not self._closed:  # kept: the burst that asked for it will likely come again
                self._idle.append(worker)
                self._cond.notify()
                return
            self._count -= 1
        self._stop(worker)

    def _release(self, worker: Worker, retire: bool = False) -> None:
        """Back to the idle list; retired (and replaced if needed) when it grew too big or stays reniced."""
        if worker.niced:  # back to normal priority, or (without the right to lower niceness) retired
            worker.niced = not _renice(worker.pid, 0)
        with self._cond:
            if not retire and not worker.niced and not self._closed:
                self._idle.append(worker)
                self._cond.notify()
                return
            self._count -= 1
            if self._count < self.warm or self._waiting:
                self._grow()
        self._stop(worker)

    def _discard(self, worker: Worker) -> None:
        self._stop(worker)
        with self._cond:
            self._count -= 1
            if self._count < self.warm:
                self._grow()
            self._cond.notify()

    def _stop(self, worker: Worker) -> None:
        _kill(worker.pid)
        worker.conn.close()
        self._live.pop(worker.pid, None)


def _renice(pid: int, niceness: int) -> bool:
    """Set a worker's niceness; False if that is not allowed (lowering needs privileges) or it is gone."""
    try:
        os.setpriority(os.PRIO_PROCESS, pid, niceness)
    except OSError:
        return False
    return True


def _alive(worker: Worker) -> bool:
    """Whether an idle worker can take a job: its socket has no end-of-file waiting.

    Only the worker holds the other end (the fork server closes its copy), so a worker that has
    died, killed or not, has closed it: one poll, no signal to its process id.
    """
    try:
        return not worker.readable(0)  # an idle worker sends nothing: readable means closed
    except OSError:
        return False


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _shut_down(live: dict[int, Worker], holder: list[ForkServer | None]) -> None:
    for pid, worker in list(live.items()):
        _kill(pid)
        worker.conn.close()
    live.clear()
    if holder[0] is not None:
        holder[0].close()
