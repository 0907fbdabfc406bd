"""Benchmark: resident memory of ``kennisgraaf serve`` and its query workers over many requests.

Starts ``kennisgraaf serve -p 0``, sends ``--requests`` requests (a mix of SPARQL queries, canned
queries, pages and a dump) from ``--clients`` threads, and prints the RSS of the server process
and of its fork server and workers (summed, from /proc) at the start and after each tenth.
Usage::

    .venv/bin/python benchmarks/memory.py [--requests 10000] [--clients 4]
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import threading
from pathlib import Path

import requests

PATHS = ["/sparql?query=SELECT%20*%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%20200",
         "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%20%3Fs%20a%20%3Ft%20%7D",
         "/queries/cijfers-per-thema?format=json", "/", "/doc/provincie/drenthe", "/dumps/kennisgraaf.nq",
         "/sparql?query=SELEC", "/health"]


def rss_kb(pid: int) -> int:
    """Resident set size of ``pid`` in kB (0 if it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (the fork server and its workers)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        found += [int(c) for c in children]
        todo += [int(c) for c in children]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    process = subprocess.Popen([sys.executable, "-m", "kennisgraaf", "serve", "-p", "0",
                                "--client-seconds-per-minute", "100000"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    url = next(line.split("serving on ", 1)[1].strip().rstrip("/") for line in process.stdout if "serving on " in line)
    threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
    counter = itertools.count()
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client() -> None:
        session = requests.Session()
        while (n := next(counter)) < args.requests:
            status = session.get(url + PATHS[n % len(PATHS)], timeout=60).status_code
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    def report(label: str) -> None:
        workers = descendants(process.pid)
        print(f"{label:>8}: server {rss_kb(process.pid) / 1024:7.1f} MiB, fork server + {len(workers) - 1} workers "
              f"{sum(rss_kb(p) for p in workers) / 1024:7.1f} MiB", flush=True)

    try:
        requests.get(url + PATHS[0], timeout=60)
        report("start")
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for thread in threads:
            thread.start()
        step = max(1, args.requests // 10)
        mark = step
        while any(t.is_alive() for t in threads):
            threads[0].join(0.5)
            with lock:
                done = sum(statuses.values())
            if done >= mark:
                report(str(mark))
                mark += step
        report("end")
        print("statuses:", dict(sorted(statuses.items())))
    finally:
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
