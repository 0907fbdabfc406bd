"""Benchmark fair sharing: one client floods /sparql with heavy queries, another asks light ones.

Starts ``kennisgraaf serve -p 0`` behind a pretend proxy (``--trusted-proxy 127.0.0.1``, so the
two clients are told apart by ``X-Forwarded-For``), keeps ``--heavy`` heavy queries of the flood
client in flight for ``--seconds`` seconds, and meanwhile sends the other client's light queries
and canned queries one after another. Prints the light client's latencies (median, p95, max),
its errors, and what the flood client got (answers, 429s, 503s, 504s). Usage::

    .venv/bin/python benchmarks/fairness.py [--heavy 40] [--seconds 20]

``tests/web/test_security_fairness.py`` runs a short version of :func:`measure`.
"""

from __future__ import annotations

import argparse
import collections
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import requests

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs until the time limit
LIGHT = ["ASK { ?s ?p ?o }", "SELECT ?s { ?s a ?t } LIMIT 5", "SELECT (COUNT(*) AS ?n) { ?s a ?t }"]
CANNED = ["/queries/cijfers-per-thema?format=json", "/queries/aanbevelingen-aan?format=json"]
FLOOD, OTHER = "10.0.0.1", "10.0.0.2"


@dataclass
class Figures:
    """What the light client saw, and what the flood client got."""

    light_ms: list[float] = field(default_factory=list)
    light_errors: list[str] = field(default_factory=list)
    flood: collections.Counter = field(default_factory=collections.Counter)

    def p95(self) -> float:
        return statistics.quantiles(self.light_ms, n=20)[18] if len(self.light_ms) >= 20 else max(self.light_ms)

    def report(self) -> str:
        return (f"light client: {len(self.light_ms)} requests, median {statistics.median(self.light_ms):.1f} ms, "
                f"p95 {self.p95():.1f} ms, max {max(self.light_ms):.1f} ms, errors {len(self.light_errors)}"
                f"{' ' + str(self.light_errors[:3]) if self.light_errors else ''}\n"
                f"flood client: {dict(sorted(self.flood.items()))}")


def measure(base_url: str, *, heavy: int, seconds: float, warm_up: float = 1.0) -> Figures:
    """Flood from one client while timing the other's light and canned queries against ``base_url``."""
    figures = Figures()
    stop = threading.Event()
    lock = threading.Lock()

    def flood() -> None:
        session = requests.Session()
        while not stop.is_set():
            try:
                reply = session.get(base_url + "/sparql", params={"query": HEAVY},
                                    headers={"X-Forwarded-For": FLOOD}, timeout=60)
                outcome = str(reply.status_code)
                if reply.status_code == 429:
                    time.sleep(min(float(reply.headers.get("Retry-After", "1")), 0.5))  # an eager client
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            with lock:
                figures.flood[outcome] += 1

    threads = [threading.Thread(target=flood, daemon=True) for _ in range(heavy)]
    for thread in threads:
        thread.start()
    time.sleep(warm_up)
    session = requests.Session()
    deadline = time.monotonic() + seconds
    turn = 0
    while time.monotonic() < deadline:
        if turn % 3 == 2:
            url, params = base_url + CANNED[turn % len(CANNED)], None
        else:
            # A comment makes each text new, so the answer cache cannot serve it: the engine must.
            url, params = base_url + "/sparql", {"query": f"{LIGHT[turn % len(LIGHT)]}\n# probe {turn}"}
        turn += 1
        started = time.perf_counter()
        reply = session.get(url, params=params, headers={"X-Forwarded-For": OTHER,
                                                          "Accept": "application/sparql-results+json"}, timeout=60)
        figures.light_ms.append((time.perf_counter() - started) * 1000)
        if reply.status_code != 200:
            figures.light_errors.append(f"{reply.status_code} {url}")
        time.sleep(0.02)
    stop.set()
    for thread in threads:
        thread.join(70)
    return figures


def serve(extra: Sequence[str]) -> tuple[subprocess.Popen[str], str]:
    """Start ``kennisgraaf serve -p 0`` behind the pretend proxy; return the process and its URL."""
    process = subprocess.Popen([sys.executable, "-m", "kennisgraaf", "serve", "-p", "0", "--trusted-proxy",
                                "127.0.0.1", *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if "serving on " in line:
            threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
            return process, line.split("serving on ", 1)[1].strip().rstrip("/")
    raise RuntimeError("kennisgraaf serve did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--heavy", type=int, default=40, help="heavy queries the flood client keeps going")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("serve_options", nargs="*", help="extra `serve` options, after --")
    args = parser.parse_args()
    process, url = serve(args.serve_options)
    try:
        print(measure(url, heavy=args.heavy, seconds=args.seconds).report())
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
