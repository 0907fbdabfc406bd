"""Benchmark /sparql of ``kennisgraaf serve`` against a plain Oxigraph server on the same data.

Starts both servers itself (Oxigraph in a temporary folder, loaded with ``kennisgraaf load``),
then for each query measures sequential latency (median and 95th percentile over ``--repeat``
requests) and throughput with ``--clients`` concurrent clients for ``--seconds`` seconds, and
prints the figures and the ratios (ours / Oxigraph). Usage::

    .venv/bin/python benchmarks/endpoint.py [--repeat 50] [--clients 8] [--seconds 5]
"""

from __future__ import annotations

import argparse
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

from kennisgraaf.vocab import UriStrategy

QUERIES = {
    "ask": "ASK {}",
    "documents": "SELECT ?doc ?title WHERE { ?doc a kg:Document ; dcterms:title ?title } ORDER BY ?doc",
    "per-graph": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "all-triples": "SELECT * WHERE { ?s ?p ?o }",
    "construct": "CONSTRUCT { ?d ?p ?o } WHERE { ?d a kg:Document ; ?p ?o }",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            requests.get(url, params={"query": "ASK {}"}, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def start_servers(folder: Path) -> tuple[list[subprocess.Popen], str, str]:
    kennisgraaf = [sys.executable, "-m", "kennisgraaf"]
    ours = subprocess.Popen([*kennisgraaf, "serve", "-p", "0"], stdout=subprocess.PIPE, text=True)
    assert ours.stdout is not None
    line = ours.stdout.readline()
    our_url = line.split("serving on ", 1)[1].strip() + "sparql"
    port = free_port()
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    theirs = subprocess.Popen([oxigraph, "serve", "--location", str(folder), "--bind", f"127.0.0.1:{port}"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    their_url = f"http://127.0.0.1:{port}/query"
    wait_until_up(their_url)
    subprocess.run([*kennisgraaf, "load", "--into", f"http://127.0.0.1:{port}/store"], check=True,
                   capture_output=True)
    wait_until_up(our_url)
    return [ours, theirs], our_url, their_url


def latency(url: str, query: str, repeat: int) -> tuple[float, float]:
    times = []
    with requests.Session() as session:
        for _ in range(repeat):
            started = time.perf_counter()
            answer = session.post(url, data={"query": query}, timeout=60)
            answer.raise_for_status()
            times.append(time.perf_counter() - started)
    times.sort()
    return statistics.median(times) * 1000, times[int(0.95 * (len(times) - 1))] * 1000


def throughput(url: str, query: str, clients: int, seconds: float) -> float:
    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        with requests.Session() as session:
            while time.monotonic() < stop:
                session.post(url, data={"query": query}, timeout=60).raise_for_status()
                done[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    prologue = UriStrategy().sparql_prologue()
    with tempfile.TemporaryDirectory() as folder:
        processes, ours, theirs = start_servers(Path(folder))
        try:
            print(f"{'query':<12} {'ours p50':>9} {'p95':>7} {'oxigraph p50':>13} {'p95':>7} {'ratio':>6}   "
                  f"{'ours q/s':>9} {'oxigraph q/s':>13} {'ratio':>6}")
            for name, body in QUERIES.items():
                query = prologue + body
                our_p50, our_p95 = latency(ours, query, args.repeat)
                their_p50, their_p95 = latency(theirs, query, args.repeat)
                our_qps = throughput(ours, query, args.clients, args.seconds)
                their_qps = throughput(theirs, query, args.clients, args.seconds)
                print(f"{name:<12} {our_p50:>7.1f}ms {our_p95:>5.1f}ms {their_p50:>11.1f}ms {their_p95:>5.1f}ms "
                      f"{our_p50 / their_p50:>6.2f}   {our_qps:>9.0f} {their_qps:>13.0f} {our_qps / their_qps:>6.2f}")
        finally:
            for process in processes:
                process.terminate()
                process.wait(timeout=10)


if __name__ == "__main__":
    main()
