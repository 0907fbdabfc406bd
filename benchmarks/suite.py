"""The benchmark suite: kennisgraaf against Oxigraph's server, rdflib-endpoint and the HTTP floor.

One run measures, at each graph size (the real graph and generated graphs in our own
vocabulary, see ``generate.py``), on this machine and over loopback only:

- the build (``kennisgraaf build --force``): time and peak memory;
- ``kennisgraaf serve`` started cold with a warm build cache and with an empty one: seconds
  until the first answer, and peak memory of all its processes (server and query workers);
- per request class, on every server that can answer it: sequential latency (p50, p95) with one
  keep-alive client, and throughput with 8 concurrent clients (wrk, or a bounded Python client
  when wrk is missing); ratios against the peers of the same run;
- every SPARQL class twice: repeated (the same text every time, which kennisgraaf's answer cache
  serves after the first) and at *first execution* (every request a text no server has seen: the
  same query with a comment holding a run id and a counter, which costs an engine nothing, yet
  makes the text, hence kennisgraaf's cache key, new each time).

Peers: the Oxigraph server (``oxigraph serve``, loaded with ``kennisgraaf load``), rdflib-endpoint
(over the build's graphs.nq) and the floor (``floor.py``: a Flask app with a fixed body, under
waitress and under granian). Only the CLI and HTTP are used, never kennisgraaf's internals.

    python benchmarks/suite.py [--sizes real,100k,1m] [--quick] [--out results/bench]

``--out PATH`` writes PATH.md and PATH.json. Absolute figures on a shared machine are noise;
compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

BASE = "https://w3id.org/kennisgraaf/"
PREFIXES = (
    f"PREFIX kg: <{BASE}def#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX dcterms: <http://purl.org/dc/terms/>\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
HTML = "text/html"
PEERS = ("kennisgraaf", "oxigraph", "rdflib-endpoint")
FLOORS = ("floor-waitress", "floor-granian")


@dataclass(frozen=True)
class RequestClass:
    """One kind of request: a SPARQL query (every engine) or a path of kennisgraaf's app."""

    name: str
    title: str
    kind: str  # "sparql" or "path"
    text: str  # query (with {doc}, {graph} placeholders) or path
    accept: str
    engine_bound: bool = False
    first: bool = False  # every request a text no server has seen (see fresh_suffix)
    light: bool = False  # issue 11's light ad-hoc queries (ASK, point lookup, join)


def first_execution(request: RequestClass) -> RequestClass:
    """The same query at first execution: each request's text is new (its own comment)."""
    return replace(request, name=request.name + "-first", title=request.title + ", first execution", first=True)


def fresh_suffix(run_id: str, number: int) -> str:
    """URL-encoded text to append to a URL whose last parameter is the query: a comment line.

    A comment changes the text (kennisgraaf's answer cache keys on it) and nothing an engine does:
    every server parses it away with the rest of the query.
    """
    return urllib.parse.quote(f"\n# first execution {run_id}-{number}", safe="")


BASE_REQUESTS: tuple[RequestClass, ...] = (
    RequestClass("ask", "ASK {}", "sparql", "ASK {}", JSON, light=True),
    RequestClass("lookup", "point lookup (one subject)", "sparql",
                 "SELECT ?p ?o WHERE { <{BASE}id/provincie/drenthe> ?p ?o }", JSON, light=True),
    RequestClass("join", "join (claims of one document)", "sparql",
                 "SELECT ?claim ?type ?quote WHERE { ?claim kg:statedIn <{doc}> ; a ?type ; kg:quote ?quote }", JSON,
                 light=True),
    RequestClass("group-by", "GROUP BY (instances per class)", "sparql",
                 "SELECT ?type (COUNT(?s) AS ?n) WHERE { ?s a ?type } GROUP BY ?type ORDER BY DESC(?n)", JSON,
                 engine_bound=True),
    RequestClass("text", "case-insensitive text filter", "sparql",
                 'SELECT ?s ?q WHERE { ?s kg:quote ?q FILTER(REGEX(?q, "mantelzorg", "i")) }', JSON,
                 engine_bound=True),
    RequestClass("path", "property path", "sparql",
                 "SELECT ?doc ?law WHERE { ?doc kg:mentionsLaw/kg:versionOf* ?law . ?law a kg:Law }", JSON,
                 engine_bound=True),
    RequestClass("construct", "CONSTRUCT of one document", "sparql",
                 "CONSTRUCT { <{doc}> ?p ?o . ?c ?cp ?co } WHERE { { <{doc}> ?p ?o } UNION "
                 "{ ?c kg:statedIn <{doc}> ; ?cp ?co } }", TURTLE, engine_bound=True),
    RequestClass("canned", "canned query taken-provincie (JSON)", "path",
                 "/queries/taken-provincie?provincie=id/provincie/drenthe&handeling=afbouwen&format=json",
                 "application/json"),
    RequestClass("resource", "resource page /doc/provincie/drenthe", "path", "/doc/provincie/drenthe", HTML),
    RequestClass("document", "document page /doc/document/…", "path", "/doc/document/{slug}", HTML),
    RequestClass("dump", "dump /dumps/kennisgraaf.nq.gz", "path", "/dumps/kennisgraaf.nq.gz", "*/*"),
)
#: What is measured, in this order: each SPARQL class repeated, then at first execution.
REQUESTS: tuple[RequestClass, ...] = tuple(
    variant for request in BASE_REQUESTS
    for variant in ((request, first_execution(request)) if request.kind == "sparql" else (request,)))
FLOOR_REQUEST = RequestClass("fixed", "fixed body (floor)", "path", "/", JSON)


@dataclass
class Budget:
    """How much each measurement may take."""

    sequential: int = 200  # requests
    sequential_seconds: float = 8.0  # stop earlier when they take this long
    warmup: int = 5
    throughput_seconds: float = 5.0
    clients: int = 8
    request_timeout: float = 120.0
    server_timeout: float = 900.0  # start or load of one server
    build_timeout: float = 600.0
    cold_build_max: float = 300.0  # skip serve-with-empty-cache when the build took longer
    floor_every_row: bool = True  # measure the floors again next to every request class


QUICK = Budget(sequential=15, sequential_seconds=2.0, warmup=5, throughput_seconds=1.0, request_timeout=30.0,
               server_timeout=300.0, build_timeout=300.0, cold_build_max=120.0, floor_every_row=False)


@dataclass
class Figures:
    """Latency and throughput of one request class on one server."""

    p50_ms: float | None = None
    p95_ms: float | None = None
    rps: float | None = None
    requests: int = 0
    errors: int = 0
    bytes: int = 0
    cpu_ms: float | None = None  # CPU of all the server's processes per request in the throughput run
    cache_hits: int = 0  # sequential answers that said X-Cache: hit (kennisgraaf's answer cache)
    note: str = ""


@dataclass
class ServerRun:
    """What one server did at one size."""

    start_s: float | None = None
    load_s: float | None = None
    peak_rss_mb: float | None = None
    peak_pss_mb: float | None = None
    processes: int = 0
    results: dict[str, Figures] = field(default_factory=dict)
    note: str = ""


@dataclass
class SizeRun:
    """Everything measured at one graph size."""

    size: str
    load_average: float | None = None  # of the machine when this size started (other work is noise)
    documents: int | None = None
    quads: int | None = None
    build_s: float | None = None
    build_peak_mb: float | None = None
    build_steps: list[str] = field(default_factory=list)
    cold_warm_cache_s: float | None = None
    cold_empty_cache_s: float | None = None
    cold_empty_cache_peak_mb: float | None = None
    servers: dict[str, ServerRun] = field(default_factory=dict)
    note: str = ""


# -- processes ----------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def venv_tool(name: str) -> str:
    """A console script next to this Python (the virtual environment), else on PATH."""
    local = Path(sys.executable).parent / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} is not installed: pip install -e '.[bench]'")
    return found


def kennisgraaf(root: Path | None, cache: Path, *args: str) -> list[str]:
    command = [venv_tool("kennisgraaf")]
    if root is not None:
        command += ["--root", str(root)]
    return [*command, "--cache-dir", str(cache), *args]


# One benchmark client stands for many: kennisgraaf's per-client caps (web/fairness.py) would answer
# 429 to 8 connections from one address. Older versions ignore these variables.
BENCH_ENV = {"KENNISGRAAF_CLIENT_IN_FLIGHT": "64", "KENNISGRAAF_CLIENT_SECONDS_PER_MINUTE": "1000000"}


def start(command: Sequence[str], log: Path, cwd: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a server in a session of its own (so that it and its children can be stopped).

    The log starts empty: a reused --work folder must not show an earlier run's URL."""
    with log.open("wb") as handle:
        return subprocess.Popen(list(command), stdout=handle, stderr=subprocess.STDOUT, cwd=cwd,
                                start_new_session=True, env={**os.environ, **BENCH_ENV})


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a server started by :func:`start`, with its children (its own process group only)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)
    else:  # the leader is gone; its children may not be
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float, log: Path) -> float:
    """Seconds until ``url`` answers 200 (raise when the process dies or time runs out)."""
    started = time.monotonic()
    parsed = urllib.parse.urlsplit(url)
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited ({process.returncode}); see {log}:\n{tail(log)}")
        try:
            connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=5)
            connection.request("GET", parsed.path + ("?" + parsed.query if parsed.query else ""),
                               headers={"Accept": JSON})
            status = connection.getresponse().status
            connection.close()
            if status == 200:
                return time.monotonic() - started
            if status in (400, 404, 405, 406) and time.monotonic() - started > 10:
                raise RuntimeError(f"{url} answers {status}; see {log}")
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s; see {log}")


def tail(log: Path, lines: int = 15) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def url_from_log(log: Path, process: subprocess.Popen[bytes], timeout: float) -> str:
    """The URL ``kennisgraaf serve -p 0`` prints."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        found = re.search(r"serving on (http://\S+)", log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"kennisgraaf serve exited ({process.returncode}):\n{tail(log)}")
        time.sleep(0.02)
    raise RuntimeError(f"kennisgraaf serve printed no URL within {timeout:.0f} s:\n{tail(log)}")


# -- memory of a process tree -------------------------------------------------------------------

def children(pid: int) -> list[int] | None:
    """The child processes of ``pid`` (from /proc/PID/task/*/children); None when the kernel has no such file."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{task}"):
                continue
            return None
        except OSError:
            continue
    return found


def descendants(root: int) -> list[int]:
    """``root`` and every process below it."""
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        below = children(pid)
        if below is None:
            return scan_descendants(root)
        todo += below
    return found


def scan_descendants(root: int) -> list[int]:
    """The same from every /proc/*/stat (kernels without the children files)."""
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += parents.get(pid, [])
    return found


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; zeros when it is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
            text = handle.read()
    except OSError:
        return 0, 0
    rss = re.search(r"^Rss:\s+(\d+)", text, re.M)
    pss = re.search(r"^Pss:\s+(\d+)", text, re.M)
    return (int(rss.group(1)) if rss else 0), (int(pss.group(1)) if pss else 0)


class MemorySampler:
    """Samples the summed RSS and PSS of a process and its descendants; keeps the peaks."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> None:
        pids = descendants(self.pid)
        rss = pss = 0
        for pid in pids:
            one_rss, one_pss = memory_kb(pid)
            rss, pss = rss + one_rss, pss + one_pss
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
        self.processes = max(self.processes, len(pids))

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def record(self, run: ServerRun) -> None:
        run.peak_rss_mb = round(self.peak_rss / 1024, 1)
        run.peak_pss_mb = round(self.peak_pss / 1024, 1)
        run.processes = self.processes


def run_timed(command: Sequence[str], timeout: float, log: Path) -> tuple[int | None, float, float, str]:
    """Run a command to its end: (exit code or None on time-out, seconds, peak RSS MB, stdout)."""
    out = log.with_suffix(".out")
    with out.open("wb") as stdout, log.open("ab") as stderr:
        started = time.monotonic()
        process = subprocess.Popen(list(command), stdout=stdout, stderr=stderr, start_new_session=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                elapsed = time.monotonic() - started
                process.returncode = os.waitstatus_to_exitcode(status)
                return process.returncode, elapsed, usage.ru_maxrss / 1024, out.read_text(errors="replace")
            if time.monotonic() > deadline:
                os.killpg(process.pid, signal.SIGKILL)
                _, _, usage = os.wait4(process.pid, 0)
                return None, time.monotonic() - started, usage.ru_maxrss / 1024, out.read_text(errors="replace")
            time.sleep(0.05)


# -- clients ------------------------------------------------------------------------------------

class Client:
    """One keep-alive HTTP connection that reconnects after an error."""

    def __init__(self, url: str, timeout: float) -> None:
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port, self.timeout = parsed.hostname or "127.0.0.1", parsed.port, timeout
        self.target = parsed.path + ("?" + parsed.query if parsed.query else "")
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def get(self, headers: dict[str, str], suffix: str = "") -> tuple[int, bytes, bool]:
        """(status, body, whether the answer came from kennisgraaf's answer cache); ``suffix`` ends the URL."""
        try:
            self.connection.request("GET", self.target + suffix, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.read(), response.getheader("X-Cache") == "hit"
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            return 599, b"", False

    def close(self) -> None:
        self.connection.close()


def sequential(url: str, accept: str, budget: Budget, first: bool = False) -> Figures:
    """p50/p95 over up to ``budget.sequential`` requests on one keep-alive connection.

    Warm-up requests first (fewer when they are slow: a dump is exported on its first request),
    then the timed ones, at least 3, stopping after ``budget.sequential_seconds``. With ``first``
    every request (warm-ups too) carries a text of its own (:func:`fresh_suffix`).
    """
    headers = {"Accept": accept, "Accept-Encoding": "identity"}
    run_id = secrets.token_hex(4)
    numbers = iter(range(1 << 62))

    def suffix() -> str:
        return fresh_suffix(run_id, next(numbers)) if first else ""

    times: list[float] = []
    errors = size = hits = 0
    client = Client(url, budget.request_timeout)
    try:
        started = time.monotonic()
        for _ in range(budget.warmup):
            client.get(headers, suffix())
            if time.monotonic() - started > budget.sequential_seconds:
                break
        started = time.monotonic()
        for _ in range(budget.sequential):
            path = suffix()
            begin = time.perf_counter()
            status, body, hit = client.get(headers, path)
            times.append(time.perf_counter() - begin)
            errors += status != 200
            hits += hit
            size = len(body)
            if time.monotonic() - started > budget.sequential_seconds and len(times) >= 3:
                break
    finally:
        client.close()
    figures = Figures(requests=len(times), errors=errors, bytes=size, cache_hits=hits)
    if times:
        times.sort()
        figures.p50_ms = round(statistics.median(times) * 1000, 3)
        figures.p95_ms = round(times[min(len(times) - 1, int(0.95 * len(times)))] * 1000, 3)
    return figures


# wrk's Lua hook for first execution: every request's URL ends in a comment of its own
# (fresh_suffix: "\n# first execution RUN-THREAD-N", URL-encoded), counted per wrk thread.
WRK_FRESH = """
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end
local count = 0
function request()
  count = count + 1
  return wrk.format(nil, wrk.path .. "%0A%23%20first%20execution%20RUN-" .. thread_number .. "-" .. count)
end
"""


@contextmanager
def wrk_script(first: bool) -> Iterator[list[str]]:
    """wrk's ``-s SCRIPT`` arguments for first execution (a fresh run id each time), else none."""
    if not first:
        yield []
        return
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="fresh-") as script:
        script.write(WRK_FRESH.replace("RUN", secrets.token_hex(4)))
        script.flush()
        yield ["-s", script.name]


def throughput_wrk(url: str, accept: str, budget: Budget, first: bool = False) -> tuple[float, int, int]:
    """(requests per second, completed requests, non-2xx/errors) with wrk."""
    seconds = max(1, round(budget.throughput_seconds))
    with wrk_script(first) as script:
        result = subprocess.run(
            ["wrk", "-t", "2", "-c", str(budget.clients), "-d", f"{seconds}s", "--timeout",
             f"{int(budget.request_timeout)}s", "-H", f"Accept: {accept}", "-H", "Accept-Encoding: identity", *script,
             url], capture_output=True, text=True, timeout=seconds + budget.request_timeout + 30)
    text = result.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    done = re.search(r"(\d+) requests in", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = int(bad.group(1)) if bad else 0
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    if not rps or not done:
        raise RuntimeError(f"wrk gave no figures: {text}{result.stderr}")
    return float(rps.group(1)), int(done.group(1)), errors


def throughput_python(url: str, accept: str, budget: Budget, first: bool = False) -> tuple[float, int, int]:
    """The fallback: ``budget.clients`` threads with keep-alive connections for a bounded time."""
    parsed = urllib.parse.urlsplit(url)
    target = parsed.path + ("?" + parsed.query if parsed.query else "")
    stop_at = time.monotonic() + budget.throughput_seconds
    done = [0] * budget.clients
    bad = [0] * budget.clients
    run_id = secrets.token_hex(4)

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=budget.request_timeout)
        while time.monotonic() < stop_at:
            path = target + (fresh_suffix(run_id, index * (1 << 40) + done[index]) if first else "")
            try:
                connection.request("GET", path, headers={"Accept": accept, "Accept-Encoding": "identity"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    bad[index] += 1
            except (OSError, http.client.HTTPException):
                bad[index] += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port,
                                                        timeout=budget.request_timeout)
            done[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(budget.clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.monotonic() - began), sum(done), sum(bad)


def own_ticks(pid: int) -> int | None:
    """User + system clock ticks of one process (not its children); None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(fields[11]) + int(fields[12])


class CpuTracker:
    """CPU time of a process tree over a window, processes that start and end within it included.

    Polls every process of the tree (every 20 ms) and adds up what each used while it was seen:
    a query worker that the pool retires is reaped without its time reaching its parent, so the
    parents' ``cutime`` would miss it. What a process uses in its last poll interval is lost.
    """

    def __init__(self, root: int, interval: float = 0.02) -> None:
        self.root, self.interval = root, interval
        self.first: dict[int, int] = {}
        self.last: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def poll(self, initial: bool = False) -> None:
        for pid in descendants(self.root):
            ticks = own_ticks(pid)
            if ticks is None:
                continue
            self.first.setdefault(pid, ticks if initial else 0)
            self.last[pid] = ticks

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.poll()

    def __enter__(self) -> CpuTracker:
        self.poll(initial=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.poll()

    @property
    def seconds(self) -> float:
        ticks = sum(self.last[pid] - self.first[pid] for pid in self.last)
        return ticks / os.sysconf("SC_CLK_TCK")


def measure(url: str, accept: str, budget: Budget, server_pid: int | None = None, first: bool = False) -> Figures:
    figures = sequential(url, accept, budget, first)
    if figures.p50_ms is None:
        figures.note = "no answer"
        return figures
    if figures.p50_ms / 1000 * budget.clients > budget.throughput_seconds / 2:
        figures.note = "too slow for a throughput run; rps from p50 (one request at a time)"
        figures.rps = round(1000 / figures.p50_ms, 2)
        return figures
    # wrk counts whole seconds; shorter runs (the smoke test) use the Python client.
    runner = throughput_wrk if shutil.which("wrk") and budget.throughput_seconds >= 1 else throughput_python
    if server_pid:
        with CpuTracker(server_pid) as cpu:
            rps, done, errors = runner(url, accept, budget, first)
        if done:
            figures.cpu_ms = round(cpu.seconds / done * 1000, 3)
    else:
        rps, done, errors = runner(url, accept, budget, first)
    figures.rps = round(rps, 1)
    figures.errors += errors
    if errors:
        figures.note = f"{errors} of {done} concurrent requests failed or were not 2xx"
    return figures


# -- one size -----------------------------------------------------------------------------------

@dataclass
class Target:
    """What the request classes point at in one graph."""

    doc_slug: str

    @property
    def doc(self) -> str:
        return f"{BASE}id/document/{self.doc_slug}"

    def sparql(self, request: RequestClass) -> str:
        text = request.text.replace("{BASE}", BASE).replace("{doc}", self.doc)
        return PREFIXES + text

    def path(self, request: RequestClass) -> str:
        return request.text.replace("{slug}", self.doc_slug)


def sparql_url(endpoint: str, query: str) -> str:
    return endpoint + "?" + urllib.parse.urlencode({"query": query})


def parse_size(size: str) -> int | None:
    """Quads wanted for a size name ('real' → None)."""
    if size == "real":
        return None
    found = re.fullmatch(r"(\d+(?:\.\d+)?)([km]?)", size.lower())
    if not found:
        raise SystemExit(f"unknown size {size!r}: use real, or a number of triples such as 5k, 100k, 1m")
    return int(float(found.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[found.group(2)])


@dataclass
class Peer:
    """A running server of the run: its process, where to send each request class, its figures."""

    name: str
    process: subprocess.Popen[bytes]
    memory: MemorySampler
    run: ServerRun
    url: Callable[[RequestClass], str | None]


class Suite:
    """Runs every measurement of one invocation.

    At each size all servers run at once (an idle one costs memory only), and each request class
    is measured on every peer in turn, the floors included, so that the ratios of one row are taken
    within seconds of each other: on a shared machine the load of other work drifts by the minute.
    """

    def __init__(self, work: Path, budget: Budget, say: Callable[[str], None], skip: set[str]) -> None:
        self.work, self.budget, self.say, self.skip = work, budget, say, skip

    def run_size(self, size: str) -> SizeRun:
        run = SizeRun(size, load_average=round(os.getloadavg()[0], 2))
        folder = self.work / size
        folder.mkdir(parents=True, exist_ok=True)
        wanted = parse_size(size)
        root: Path | None = None
        slug = "drenthe-2010-pns"
        if wanted is not None:
            run.documents = generate.documents_for(wanted)
            root = folder / "root"
            self.say(f"[{size}] generating {run.documents} documents in {root}")
            generate.generate(root, run.documents)
            slug = "gen-00000"
        target = Target(slug)
        cache = folder / "cache"
        log = folder / "build.log"
        build = ("build",) if "force" in self.skip else ("build", "--force")  # --skip force: reuse a warm cache
        self.say(f"[{size}] kennisgraaf {' '.join(build)}")
        code, seconds, peak, out = run_timed(kennisgraaf(root, cache, *build), self.budget.build_timeout,
                                             log)
        run.build_steps = [line for line in log.read_text(errors="replace").splitlines() if line.startswith("[")]
        if code is None:
            run.build_peak_mb = round(peak, 1)
            run.note = f"Build stopped after {seconds:.0f} s (time limit), peak RSS {peak:,.0f} MB by then."
            self.say(f"[{size}] {run.note}")
            return run
        if code != 0:
            raise RuntimeError(f"build failed ({code}):\n{tail(log)}")
        run.build_s, run.build_peak_mb = round(seconds, 2), round(peak, 1)
        # "built N quads in M graphs: PATH" or, newer, "built N quads in M graphs (reason): PATH"
        built = re.search(r"(?:built|reused the cached build of) (\d+) quads in \d+ graphs.*: (\S+)\s*$", out, re.M)
        if not built:
            raise RuntimeError(f"cannot read the build's output: {out}")
        run.quads = int(built.group(1))
        quads_file = Path(built.group(2)) / "graphs.nq"
        self.say(f"[{size}] built {run.quads} quads in {seconds:.1f} s (peak {peak:.0f} MB)")

        peers: list[Peer] = []
        try:
            starters: list[tuple[str, Callable[[], Peer | None]]] = [
                ("kennisgraaf", lambda: self.kennisgraaf(run, root, cache, target, folder)),
                ("oxigraph", lambda: self.oxigraph(root, cache, target, folder, quads_file.parent / "store")),
                ("rdflib-endpoint", lambda: self.rdflib_endpoint(quads_file, target, folder)),
                ("floor", lambda: self.floor("waitress", folder)),
                ("floor", lambda: self.floor("granian", folder)),
            ]
            for name, starter in starters:
                if name not in self.skip:
                    try:
                        peer = starter()
                    except RuntimeError as exc:  # a peer that cannot start or load in time: noted, not fatal
                        if name == "kennisgraaf":
                            raise
                        run.note += f" {name} not measured: {str(exc).splitlines()[0]}"
                        self.say(f"[{size}] {name} not measured: {exc}")
                        continue
                    if peer is not None:
                        peers.append(peer)
                        run.servers[peer.name] = peer.run
            for request in REQUESTS:
                for peer in peers:
                    self.measure_one(peer, request)
        finally:
            for peer in peers:
                peer.memory.__exit__()
                peer.memory.record(peer.run)
                stop(peer.process)
            for location in folder.glob("oxigraph-*"):
                shutil.rmtree(location, ignore_errors=True)
        if "cold" not in self.skip:
            self.cold_empty_cache(run, root, folder)
        return run

    def measure_one(self, peer: Peer, request: RequestClass) -> None:
        floor = peer.name.startswith("floor-")
        if floor and peer.run.results and not self.budget.floor_every_row:
            return
        url = peer.url(FLOOR_REQUEST if floor else request)
        if url is None:
            return
        figures = measure(url, request.accept, self.budget, peer.process.pid, request.first and not floor)
        # A floor is measured once per row too (its fixed body), next to the others.
        peer.run.results[request.name] = figures
        self.say(f"  {peer.name:<16} {request.name:<15} p50 {fmt_ms(figures.p50_ms):>9} "
                 f"p95 {fmt_ms(figures.p95_ms):>9} {fmt_rps(figures.rps):>9} req/s "
                 f"CPU {fmt_ms(figures.cpu_ms):>9}/req{'  ' + figures.note if figures.note else ''}")
        if figures.p50_ms is not None and figures.p50_ms * self.budget.clients > 200:
            # A slow server may still be working through the queries of the throughput run.
            time.sleep(min(figures.p50_ms * self.budget.clients / 1000, 15.0))

    def kennisgraaf(self, run: SizeRun, root: Path | None, cache: Path, target: Target, folder: Path) -> Peer:
        server = ServerRun()
        log = folder / "kennisgraaf.log"
        began = time.monotonic()
        process = start(kennisgraaf(root, cache, "serve", "-p", "0"), log)
        memory = MemorySampler(process.pid).__enter__()
        try:
            base = url_from_log(log, process, self.budget.server_timeout)
            wait_for(sparql_url(base + "sparql", "ASK {}"), process, self.budget.server_timeout, log)
        except BaseException:
            memory.__exit__()
            stop(process)
            raise
        run.cold_warm_cache_s = server.start_s = round(time.monotonic() - began, 3)
        self.say(f"[{run.size}] kennisgraaf serve (warm build cache) answered after {server.start_s:.2f} s")

        def url(request: RequestClass) -> str:
            if request.kind == "sparql":
                return sparql_url(base + "sparql", target.sparql(request))
            return base.rstrip("/") + target.path(request)

        return Peer("kennisgraaf", process, memory, server, url)

    def oxigraph(self, root: Path | None, cache: Path, target: Target, folder: Path, built_store: Path) -> Peer:
        server = ServerRun()
        log = folder / "oxigraph.log"
        location = Path(tempfile.mkdtemp(prefix="oxigraph-", dir=folder))
        if built_store.is_dir():
            # The build's own on-disk store: the same quads and unions `kennisgraaf load` would PUT (which
            # at 1M triples timed out on the default graph's 1M-triple request on this machine).
            shutil.rmtree(location)
            shutil.copytree(built_store, location)
        port = free_port()
        began = time.monotonic()
        process = start([venv_tool("oxigraph"), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                        log)
        memory = MemorySampler(process.pid).__enter__()
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(sparql_url(base + "query", "ASK {}"), process, self.budget.server_timeout, log)
            server.start_s = round(time.monotonic() - began, 3)
            loaded = time.monotonic()
            if not built_store.is_dir():
                code, _, _, _ = run_timed(kennisgraaf(root, cache, "load", "--into", base + "store"),
                                          self.budget.server_timeout, folder / "oxigraph-load.log")
                if code != 0:
                    raise RuntimeError(f"kennisgraaf load failed:\n{tail(folder / 'oxigraph-load.log')}")
        except BaseException:
            memory.__exit__()
            stop(process)
            raise
        server.load_s = round(time.monotonic() - loaded, 2)
        self.say(f"  oxigraph loaded in {server.load_s:.1f} s")

        def url(request: RequestClass) -> str | None:
            return sparql_url(base + "query", target.sparql(request)) if request.kind == "sparql" else None

        return Peer("oxigraph", process, memory, server, url)

    def rdflib_endpoint(self, quads_file: Path, target: Target, folder: Path) -> Peer | None:
        server = ServerRun()
        log = folder / "rdflib-endpoint.log"
        port = free_port()
        began = time.monotonic()
        # rdflib-endpoint parses the files into a Dataset with default_union=True: the same default
        # graph (every graph, inferred included) as kennisgraaf's. It answers on /.
        process = start([venv_tool("rdflib-endpoint"), "serve", "--host", "127.0.0.1", "--port", str(port),
                         str(quads_file)], log)
        memory = MemorySampler(process.pid).__enter__()
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(sparql_url(base, "ASK {}"), process, self.budget.server_timeout, log)
        except RuntimeError as exc:
            memory.__exit__()
            stop(process)
            self.say(f"  rdflib-endpoint: {exc}".splitlines()[0])
            return None
        server.start_s = round(time.monotonic() - began, 3)
        self.say(f"  rdflib-endpoint answered after {server.start_s:.1f} s")

        def url(request: RequestClass) -> str | None:
            return sparql_url(base, target.sparql(request)) if request.kind == "sparql" else None

        return Peer("rdflib-endpoint", process, memory, server, url)

    def floor(self, kind: str, folder: Path) -> Peer:
        server = ServerRun()
        log = folder / f"floor-{kind}.log"
        port = free_port()
        if kind == "waitress":
            command = [sys.executable, str(HERE / "floor.py"), "waitress", str(port), "16"]
        else:
            command = [venv_tool("granian"), "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                       "--workers", "1", "--no-ws", "--log-level", "warning", "floor:app"]
        began = time.monotonic()
        process = start(command, log, cwd=HERE)
        memory = MemorySampler(process.pid).__enter__()
        base = f"http://127.0.0.1:{port}/"
        try:
            wait_for(base, process, self.budget.server_timeout, log)
        except BaseException:
            memory.__exit__()
            stop(process)
            raise
        server.start_s = round(time.monotonic() - began, 3)
        return Peer(f"floor-{kind}", process, memory, server, lambda request: base)

    def cold_empty_cache(self, run: SizeRun, root: Path | None, folder: Path) -> None:
        if run.build_s is not None and run.build_s > self.budget.cold_build_max:
            run.note += (f" Cold serve with an empty build cache skipped (the build alone took {run.build_s:.0f} s; "
                         "it costs about build + warm start).")
            return
        empty = Path(tempfile.mkdtemp(prefix="empty-cache-", dir=folder))
        log = folder / "kennisgraaf-cold.log"
        began = time.monotonic()
        process = start(kennisgraaf(root, empty, "serve", "-p", "0"), log)
        try:
            with MemorySampler(process.pid) as memory:
                base = url_from_log(log, process, self.budget.build_timeout + self.budget.server_timeout)
                wait_for(sparql_url(base + "sparql", "ASK {}"), process, self.budget.server_timeout, log)
                run.cold_empty_cache_s = round(time.monotonic() - began, 3)
            run.cold_empty_cache_peak_mb = round(memory.peak_pss / 1024, 1)
            self.say(f"[{run.size}] kennisgraaf serve (empty build cache) answered after "
                     f"{run.cold_empty_cache_s:.2f} s")
        finally:
            stop(process)
            shutil.rmtree(empty, ignore_errors=True)


# -- tables -------------------------------------------------------------------------------------

def fmt_ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f} ms" if value < 100 else f"{value:,.0f} ms"


def fmt_rps(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio(ours: float | None, theirs: float | None) -> str:
    if ours is None or theirs is None or theirs == 0:
        return "—"
    value = ours / theirs
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def figures_of(run: SizeRun, server: str, request: str, default: Figures | None = None) -> Figures:
    found = run.servers.get(server)
    figures = found.results.get(request) if found else None
    return figures or default or Figures()


def median_figures(run: SizeRun, server: str) -> Figures:
    """The median p50 and throughput of a server over every row (the floors are measured per row)."""
    found = run.servers.get(server)
    results = list(found.results.values()) if found else []
    p50s = [f.p50_ms for f in results if f.p50_ms is not None]
    rates = [f.rps for f in results if f.rps is not None]
    return Figures(p50_ms=statistics.median(p50s) if p50s else None, rps=statistics.median(rates) if rates else None)


def tables(result: dict[str, Any], runs: list[SizeRun]) -> str:
    """The Markdown report: one latency/throughput table per size, then build, serve and memory."""
    lines = [f"Machine: {result['machine']}", "", f"Versions: {result['versions']}", "",
             f"Command: `{result['command']}`", ""]
    for run in runs:
        lines += [f"### {run.size}" + (f" ({run.quads:,} quads" + (f", {run.documents} generated documents)"
                                                                     if run.documents else ")") if run.quads else ""),
                  ""]
        if run.load_average is not None:
            lines += [f"Load average of the machine when this size started: {run.load_average:.1f}.", ""]
        if run.note:
            lines += [run.note.strip(), ""]
        if not run.servers:
            continue
        lines += ["Sequential p50 / p95 (one keep-alive client) and throughput (8 clients); ratios are "
                  "kennisgraaf ÷ peer (latency: < 1 is faster; throughput: > 1 is more), each against the peer's "
                  "figure in the same row (the floors are measured again in every row).", "",
                  "| request | kennisgraaf p50 / p95 | req/s | Oxigraph p50 / p95 | req/s | rdflib-endpoint p50 | "
                  "req/s | p50 ÷ Oxigraph | req/s ÷ Oxigraph | p50 ÷ rdflib | p50 ÷ floor (waitress) | "
                  "req/s ÷ floor (waitress) | req/s ÷ floor (granian) |",
                  "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        floors = {name: median_figures(run, name) for name in FLOORS}
        for request in REQUESTS:
            floor_w = figures_of(run, "floor-waitress", request.name, floors["floor-waitress"])
            floor_g = figures_of(run, "floor-granian", request.name, floors["floor-granian"])
            ours = figures_of(run, "kennisgraaf", request.name)
            oxi = figures_of(run, "oxigraph", request.name)
            rdf = figures_of(run, "rdflib-endpoint", request.name)
            sparql = request.kind == "sparql"
            lines.append(
                f"| {request.title} | {fmt_ms(ours.p50_ms)} / {fmt_ms(ours.p95_ms)} | {fmt_rps(ours.rps)} | "
                + (f"{fmt_ms(oxi.p50_ms)} / {fmt_ms(oxi.p95_ms)} | {fmt_rps(oxi.rps)} | {fmt_ms(rdf.p50_ms)} | "
                   f"{fmt_rps(rdf.rps)} | {ratio(ours.p50_ms, oxi.p50_ms)} | {ratio(ours.rps, oxi.rps)} | "
                   f"{ratio(ours.p50_ms, rdf.p50_ms)} | " if sparql else "| | | | | | | ")
                + f"{ratio(ours.p50_ms, floor_w.p50_ms)} | {ratio(ours.rps, floor_w.rps)} | "
                  f"{ratio(ours.rps, floor_g.rps)} |")
        lines.append(f"| fixed body (floor, median of the rows): waitress / granian | "
                     f"{fmt_ms(floors['floor-waitress'].p50_ms)} / {fmt_ms(floors['floor-granian'].p50_ms)} "
                     f"| {fmt_rps(floors['floor-waitress'].rps)} / {fmt_rps(floors['floor-granian'].rps)} "
                     "| | | | | | | | | | |")
        if any(f.cpu_ms is not None for srun in run.servers.values() for f in srun.results.values()):
            lines += ["", "CPU per request during the throughput run (user + system of all the server's processes "
                      "÷ requests answered; less sensitive to other load than the times above):", "",
                      "| request | kennisgraaf | Oxigraph | rdflib-endpoint | floor (waitress) | floor (granian) "
                      "| kennisgraaf ÷ floor (waitress) | kennisgraaf ÷ Oxigraph |",
                      "|---|---|---|---|---|---|---|---|"]
            for request in REQUESTS:
                cpu = {name: figures_of(run, name, request.name).cpu_ms for name in (*PEERS, *FLOORS)}
                lines.append(f"| {request.title} | " + " | ".join(fmt_ms(cpu[name]) for name in (*PEERS, *FLOORS))
                             + f" | {ratio(cpu['kennisgraaf'], cpu['floor-waitress'])} | "
                               f"{ratio(cpu['kennisgraaf'], cpu['oxigraph'])} |")
        lines += first_execution_targets(run, floors)
        notes = [f"{server} {name}: {figures.note}" for server, srun in run.servers.items()
                 for name, figures in srun.results.items() if figures.note]
        if notes:
            lines += ["", *(f"- {note}" for note in notes)]
        lines.append("")
    lines += ["### Build, start and memory", "",
              "| size | quads | build | build peak RSS | serve, warm cache | serve, empty cache | "
              "kennisgraaf peak (all processes, PSS / RSS) | Oxigraph peak | rdflib-endpoint start / peak |",
              "|---|---|---|---|---|---|---|---|---|"]
    for run in runs:
        ours = run.servers.get("kennisgraaf", ServerRun())
        oxi = run.servers.get("oxigraph", ServerRun())
        rdf = run.servers.get("rdflib-endpoint", ServerRun())
        lines.append(
            f"| {run.size} | {run.quads or '—'} | {seconds(run.build_s)} | {megabytes(run.build_peak_mb)} | "
            f"{seconds(run.cold_warm_cache_s)} | {seconds(run.cold_empty_cache_s)} | "
            f"{megabytes(ours.peak_pss_mb)} / {megabytes(ours.peak_rss_mb)} ({ours.processes} processes) | "
            f"{megabytes(oxi.peak_rss_mb)} | {seconds(rdf.start_s)} / {megabytes(rdf.peak_rss_mb)} |")
    lines += ["", "Build steps (stderr of `kennisgraaf build`):", ""]
    for run in runs:
        lines.append(f"- {run.size}: " + "; ".join(re.sub(r"\s+", " ", step) for step in run.build_steps
                                                   if "cached in" not in step))
    return "\n".join(lines) + "\n"


def first_execution_targets(run: SizeRun, floors: dict[str, Figures]) -> list[str]:
    """Issue 11's targets for ad-hoc queries at first execution, from the rows measured at first execution."""
    rows = []
    for request in REQUESTS:
        if not request.first:
            continue
        ours = figures_of(run, "kennisgraaf", request.name)
        if ours.p50_ms is None:
            continue
        floor = figures_of(run, "floor-waitress", request.name, floors["floor-waitress"])
        oxi = figures_of(run, "oxigraph", request.name)
        rdf = figures_of(run, "rdflib-endpoint", request.name)
        if request.light:
            over = None if floor.p50_ms is None else ours.p50_ms - floor.p50_ms
            met = over is not None and over <= 0.3 and floor.rps is not None and (ours.rps or 0) >= 0.5 * floor.rps
            rows.append(f"| {request.title} | p50 ≤ floor + 0.3 ms, req/s ≥ 0.5× floor | "
                        f"floor {'—' if over is None else f'{over:+.2f} ms'}, {ratio(ours.rps, floor.rps)} floor's "
                        f"req/s ({ratio(ours.cpu_ms, floor.cpu_ms)} its CPU per request) | {'yes' if met else 'no'} |")
        else:
            speedup = None if rdf.p50_ms is None else rdf.p50_ms / ours.p50_ms
            met = oxi.p50_ms is not None and ours.p50_ms <= oxi.p50_ms and (speedup is None or speedup >= 15)
            rows.append(f"| {request.title} | p50 ≤ Oxigraph's; ≥ 15× faster than rdflib-endpoint | "
                        f"{ratio(ours.p50_ms, oxi.p50_ms)} Oxigraph's p50 ({ratio(ours.cpu_ms, oxi.cpu_ms)} its CPU "
                        f"per request), {'—' if speedup is None else f'{speedup:.0f}×'} faster than "
                        f"rdflib-endpoint | {'yes' if met else 'no'} |")
    if not rows:
        return []
    return ["", "Ad-hoc queries at first execution against issue 11's targets (p50 and req/s of the row above; "
            "the floor: waitress, measured in the same row):", "",
            "| request | target | measured | met |", "|---|---|---|---|", *rows]


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s" if value < 100 else f"{value:.0f} s"


def megabytes(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def versions() -> str:
    found = []
    for package in ("kennisgraaf", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "flask", "waitress",
                    "granian", "owlrl", "pyshacl"):
        try:
            from importlib.metadata import version

            found.append(f"{package} {version(package)}")
        except Exception:  # noqa: BLE001 - a missing package is reported as such
            found.append(f"{package} (not installed)")
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split("[")[0].strip() \
        if shutil.which("wrk") else "wrk not installed (Python client used)"
    return f"Python {platform.python_version()}; " + ", ".join(found) + f"; {wrk}"


def machine() -> str:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        memory = f", {kb / 2**20:.0f} GiB"
    except (OSError, AttributeError):
        pass
    one, five, fifteen = os.getloadavg()
    load = f", load average {one:.2f} {five:.2f} {fifteen:.2f} at start"
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){memory}{load}"


@contextmanager
def workdir(path: Path | None, keep: bool) -> Iterator[Path]:
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    folder = Path(tempfile.mkdtemp(prefix="kennisgraaf-bench-"))
    try:
        yield folder
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="real,100k", help="comma-separated: real, or triples such as 5k, 100k, 1m")
    parser.add_argument("--quick", action="store_true", help="few requests and 1 s throughput runs (smoke test)")
    parser.add_argument("--out", type=Path, help="write OUT.md and OUT.json")
    parser.add_argument("--work", type=Path, help="folder for generated graphs, caches and logs (default: temporary)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder")
    parser.add_argument("--skip", default="",
                        help="comma-separated: kennisgraaf, oxigraph, rdflib-endpoint, floor, cold, "
                             "force (build without --force: a warm cache in --work is reused)")
    parser.add_argument("--build-timeout", type=float, help="seconds one build may take (default 600)")
    parser.add_argument("--seconds", type=float, help="seconds per throughput run (default 5)")
    parser.add_argument("--requests", type=int, help="sequential requests per class (default 200)")
    args = parser.parse_args(argv)
    budget = QUICK if args.quick else Budget()
    if args.build_timeout:
        budget.build_timeout = args.build_timeout
    if args.seconds:
        budget.throughput_seconds = args.seconds
    if args.requests:
        budget.sequential = args.requests
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    for size in sizes:
        parse_size(size)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    result: dict[str, Any] = {
        "command": "python benchmarks/suite.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(), "versions": versions(), "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "budget": asdict(budget), "sizes": []}
    runs: list[SizeRun] = []
    with workdir(args.work, args.keep) as work:
        suite = Suite(work, budget, say, skip)
        for size in sizes:
            runs.append(suite.run_size(size))
            result["sizes"] = [asdict(run) for run in runs]
            report = tables(result, runs)
            if args.out:
                write_results(args.out, report, result)
    result["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    report = tables(result, runs)
    print(report)
    if args.out:
        write_results(args.out, report, result)
    return result


def write_results(out: Path, report: str, result: dict[str, Any]) -> None:
    stem = out.with_suffix("") if out.suffix in (".md", ".json") else out
    stem.parent.mkdir(parents=True, exist_ok=True)
    stem.with_suffix(".md").write_text(report, encoding="utf-8")
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
