"""Benchmark: memory of all processes together (a process and its descendants), from /proc.

Two modes::

    .venv/bin/python benchmarks/memory.py serve [--root DIR --cache-dir C] [--requests 10000] [--clients 4]
    .venv/bin/python benchmarks/memory.py run -- kennisgraaf --root DIR build --cache-dir C

``serve`` starts ``kennisgraaf serve -p 0``, reports the seconds to the first answer, the memory
idle after start, then sends ``--requests`` requests (a mix of SPARQL queries, canned queries,
pages and a dump) from ``--clients`` threads and reports the memory after each tenth and the
peak. ``run`` runs any command and reports the peak of its process tree, sampled every
``--every`` seconds, with the time it was reached (to line up with the build's step times).

Memory is summed over the process and every descendant: RSS (each process's resident pages, so
pages shared between processes, such as the on-disk store in the page cache or the fork server's
copy-on-write pages, count once per process) and PSS (shared pages divided among their sharers:
the sum is what the processes hold together), both from ``/proc/PID/smaps_rollup``.
"""

from __future__ import annotations

import argparse
import itertools
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PATHS = ["/sparql?query=SELECT%20*%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20LIMIT%20200",
         "/sparql?query=SELECT%20(COUNT(*)%20AS%20%3Fn)%20%7B%20%3Fs%20a%20%3Ft%20%7D",
         "/queries/cijfers-per-thema?format=json", "/", "/doc/provincie/drenthe", "/dumps/kennisgraaf.nq",
         "/sparql?query=SELEC", "/health"]


@dataclass
class Usage:
    """Memory of a process tree: RSS and PSS summed (kB), and how many processes."""

    rss_kb: int = 0
    pss_kb: int = 0
    processes: int = 0

    def __str__(self) -> str:
        return f"RSS {self.rss_kb / 1024:7.1f} MiB, PSS {self.pss_kb / 1024:7.1f} MiB ({self.processes} processes)"


def rollup(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of ``pid`` in kB from /proc/PID/smaps_rollup; (0, 0) if it is gone."""
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (for serve: the fork server and its workers)."""
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


def tree_usage(pid: int) -> Usage:
    usage = Usage()
    for member in [pid, *descendants(pid)]:
        rss, pss = rollup(member)
        if rss:
            usage.rss_kb += rss
            usage.pss_kb += pss
            usage.processes += 1
    return usage


class PeakSampler:
    """Samples a process tree's memory in a thread; keeps the peaks (RSS and PSS apart) and when they came."""

    def __init__(self, pid: int, every: float) -> None:
        self.pid, self.every, self.began = pid, every, time.monotonic()
        self.peak_rss, self.peak_pss, self.rss_at, self.pss_at = Usage(), Usage(), 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            usage, now = tree_usage(self.pid), time.monotonic() - self.began
            if usage.rss_kb > self.peak_rss.rss_kb:
                self.peak_rss, self.rss_at = usage, now
            if usage.pss_kb > self.peak_pss.pss_kb:
                self.peak_pss, self.pss_at = usage, now
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_command(command: list[str], every: float) -> int:
    began = time.monotonic()
    process = subprocess.Popen(command)
    sampler = PeakSampler(process.pid, every)
    code = process.wait()
    sampler.stop()
    print(f"exit {code} after {time.monotonic() - began:.1f} s; peak RSS at {sampler.rss_at:.1f} s: "
          f"{sampler.peak_rss}; peak PSS at {sampler.pss_at:.1f} s: {sampler.peak_pss}", flush=True)
    return code


def serve(args: argparse.Namespace) -> None:
    import requests  # only this mode sends requests

    flags = [*(["--root", str(args.root)] if args.root else []),
             *(["--cache-dir", str(args.cache_dir)] if args.cache_dir else [])]
    began = time.monotonic()
    process = subprocess.Popen([sys.executable, "-m", "kennisgraaf", *flags, "serve", "-p", "0", "--no-access-log",
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
            try:
                status = session.get(url + PATHS[n % len(PATHS)], timeout=args.timeout).status_code
            except requests.RequestException:  # counted, not fatal: a slow answer must not end the run
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    try:
        while requests.get(url + "/sparql", params={"query": "ASK {}"}, timeout=60).status_code != 200:
            time.sleep(0.05)
        print(f"first answer after {time.monotonic() - began:.2f} s", flush=True)
        time.sleep(args.idle_seconds)
        print(f"{'idle':>8}: {tree_usage(process.pid)}", flush=True)
        sampler = PeakSampler(process.pid, 0.25)
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
                print(f"{mark:>8}: {tree_usage(process.pid)}", flush=True)
                mark += step
        sampler.stop()
        print(f"{'end':>8}: {tree_usage(process.pid)}")
        print(f"peak under load: {sampler.peak_rss} (RSS peak); {sampler.peak_pss} (PSS peak)")
        print("statuses:", dict(sorted(statuses.items())))
    finally:
        process.terminate()
        process.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    modes = parser.add_subparsers(dest="mode", required=True)
    served = modes.add_parser("serve", help="kennisgraaf serve: idle, under load, peak")
    served.add_argument("--root", type=Path)
    served.add_argument("--cache-dir", type=Path)
    served.add_argument("--requests", type=int, default=10000)
    served.add_argument("--clients", type=int, default=4)
    served.add_argument("--timeout", type=float, default=120.0, help="seconds a request may take (else status 0)")
    served.add_argument("--idle-seconds", type=float, default=2.0, help="wait after the first answer before 'idle'")
    ran = modes.add_parser("run", help="any command: the peak of its process tree")
    ran.add_argument("--every", type=float, default=0.25, help="seconds between samples")
    ran.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.mode == "run":
        command = args.command[1:] if args.command[:1] == ["--"] else args.command
        sys.exit(run_command(command, args.every))
    serve(args)


if __name__ == "__main__":
    main()
