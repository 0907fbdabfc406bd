"""Cold ``kennisgraaf serve`` with a warm build cache: seconds to the first answers, and CPU spent.

For each source tree (``label=SRC`` puts ``SRC`` first on the ``PYTHONPATH``), round after round and
tree after tree (interleaved, so drifting load on a shared machine hits both alike): start
``python -m kennisgraaf serve -p PORT --no-access-log`` on a free port, poll ``ASK {}`` until it
answers 200, then ask ``/doc/provincie/drenthe`` once. Reports the seconds from the process start to
each answer, and the CPU seconds (user + system) of the server and its live descendants (fork
server, workers) at the moment the page came back, read from /proc. Build the cache first
(``kennisgraaf build``) so that every start finds it warm. Usage::

    .venv/bin/python benchmarks/coldstart.py before=/tmp/base/src after=src --rounds 5
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from perf import tree  # a sibling script: benchmarks/ is on sys.path when these run

ASK = "/sparql?query=" + quote("ASK {}") + "&format=json"
PAGE = "/doc/provincie/drenthe"
POLL = 0.005  # seconds between connection attempts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and its live descendants (perf.py reads them from /proc)."""
    return sum(tree(root).values())


def get(port: int, path: str) -> int | None:
    """The status of GET ``path``, or None while nothing listens."""
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status
    except OSError:
        return None


def one_start(src: str, extra: dict[str, str]) -> tuple[float, float, float]:
    """(seconds to the first ASK 200, seconds to the first page 200, CPU seconds of all processes)."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve()), **extra}
    began = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kennisgraaf", "serve", "-p", str(port), "--no-access-log"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        while (status := get(port, ASK)) is None:
            if proc.poll() is not None:
                raise SystemExit(f"{src}: serve stopped with exit status {proc.returncode}")
            time.sleep(POLL)
        if status != 200:
            raise SystemExit(f"{src}: ASK answered {status}")
        ask = time.monotonic() - began
        if (status := get(port, PAGE)) != 200:
            raise SystemExit(f"{src}: {PAGE} answered {status}")
        page = time.monotonic() - began
        return ask, page, tree_cpu(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("trees", nargs="+", help="label=SRC")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--env", nargs="*", default=[], help="NAME=VALUE for every server")
    args = parser.parse_args()
    extra = dict(item.split("=", 1) for item in args.env)
    trees = [spec.split("=", 1) for spec in args.trees]
    figures: dict[str, list[tuple[float, float, float]]] = {label: [] for label, _ in trees}
    for round_ in range(args.rounds):
        for label, src in trees:
            ask, page, cpu = one_start(src, extra)
            figures[label].append((ask, page, cpu))
            print(f"round {round_ + 1} {label:<10} first ASK {ask:5.2f} s  first page {page:5.2f} s  CPU {cpu:5.2f} s",
                  flush=True)
    print()
    for label, runs in figures.items():
        asks, pages, cpus = zip(*runs, strict=True)
        print(f"{label:<10} median: first ASK {statistics.median(asks):.2f} s (min {min(asks):.2f}), "
              f"first page {statistics.median(pages):.2f} s (min {min(pages):.2f}), "
              f"CPU {statistics.median(cpus):.2f} s")


if __name__ == "__main__":
    main()
