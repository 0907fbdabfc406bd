"""Before/after figures for one optimisation: the same requests against two source trees, interleaved.

Starts ``kennisgraaf serve -p 0`` once per tree (``label=SRC`` puts ``SRC`` first on the
``PYTHONPATH``), then per round and per request measures, server after server: sequential latency
with one keep-alive client (p50 over ``--repeat`` requests), throughput with wrk (``--clients``
connections for ``--seconds`` s), the CPU all the server's processes used during the wrk run, per
request, and how many worker processes were started (forks). Alternating the servers within a
round keeps the comparison fair on a shared machine whose load drifts. Usage::

    .venv/bin/python benchmarks/perf.py before=/tmp/perf-base/src after=src [--rounds 2]

Dead workers' CPU is lost to the count (their fork server does not wait for them), so a server
that forks and kills workers is, if anything, shown cheaper than it is.

``--only`` also takes the suite's SPARQL classes (``join``, ``group-by``, ``text``, ``path``,
``construct``, …, with ``--document SLUG`` for the document they name); ``--first`` makes every
request a text the server has not seen (the suite's first execution: a comment of its own), so
the answer cache misses; ``--serve-args`` passes options to ``serve`` (``--root DIR --cache-dir C``
for a generated graph).

With ``--floor`` the HTTP floor (``benchmarks/floor.py``: Flask answering a fixed body, under
waitress with 16 threads, as ``serve`` runs) is measured too, just before the servers for each
request, and every row gets its p50 and throughput as ratios to that floor measurement.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import suite  # noqa: E402

REQUESTS = {
    # The query last: --first appends its comment to the URL.
    "ask": "/sparql?format=json&query=" + quote("ASK {}"),
    "lookup": "/sparql?format=json&query=" + quote("SELECT ?t WHERE { <id/provincie/drenthe> ?p ?t } LIMIT 5"),
    "canned": "/queries/taken-provincie?format=json",
    "page": "/doc/provincie/drenthe",
    "document": "/doc/document/drenthe-2010-pns",
    "home": "/",
}
FLOOR = Path(__file__).resolve().parent / "floor.py"
TICKS = os.sysconf("SC_CLK_TCK")


def requests(document: str) -> dict[str, str]:
    """Paths by name: the ones above and the suite's SPARQL classes (on ``document``)."""
    target = suite.Target(document)
    found = {**REQUESTS, "document": f"/doc/document/{document}"}
    for request in suite.BASE_REQUESTS:
        if request.kind == "sparql" and request.name not in found:
            accept = "json" if request.accept == suite.JSON else "ttl"
            found[request.name] = "/sparql?format=" + accept + "&query=" + quote(target.sparql(request))
    return found


def start(src: str, extra: dict[str, str] | None = None, serve_args: list[str] | None = None,
          ) -> tuple[subprocess.Popen, str]:
    # One benchmark client stands for many: the per-client caps (web/fairness.py) would answer 429.
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve()), "KENNISGRAAF_CLIENT_IN_FLIGHT": "64",
           "KENNISGRAAF_CLIENT_SECONDS_PER_MINUTE": "100000", **(extra or {})}
    proc = subprocess.Popen([sys.executable, "-m", "kennisgraaf", *(serve_args or []), "serve", "-p", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)  # no access log
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line.split("serving on ", 1)[1].strip().rstrip("/")


def start_floor(threads: int = 16) -> tuple[subprocess.Popen, str]:
    """The floor app under waitress on a free port, once it answers."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen([sys.executable, str(FLOOR), "waitress", str(port), str(threads)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the floor app did not start")


def tree(root: int) -> dict[int, float]:
    """CPU seconds of ``root`` and its live descendants, by pid."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        cpu[pid] = sum(int(f) for f in fields[11:13]) / TICKS
    found = {root}
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                changed = True
    return {pid: cpu[pid] for pid in found if pid in cpu}


def sequential(base: str, path: str, repeat: int, first: bool = False) -> float:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    times = []
    run_id = os.urandom(4).hex()
    for number in range(repeat):
        fresh = path + suite.fresh_suffix(run_id, number) if first else path
        started = time.perf_counter()
        conn.request("GET", fresh)
        response = conn.getresponse()
        response.read()
        times.append(time.perf_counter() - started)
        assert response.status == 200, (path, response.status)
    conn.close()
    return statistics.median(times) * 1000


def throughput(proc: subprocess.Popen, base: str, path: str, clients: int, seconds: int,
               first: bool = False) -> tuple[float, float, int]:
    before = tree(proc.pid)
    with suite.wrk_script(first) as script:
        out = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds}s", *script, base + path],
                             capture_output=True, text=True, check=True).stdout
    after = tree(proc.pid)
    total = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    cpu = sum(after.values()) - sum(v for pid, v in before.items() if pid in after)
    forks = len(set(after) - set(before))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    if bad:
        raise SystemExit(f"{path}: {bad.group(1)} answers were not 2xx")
    return rate, cpu / max(total, 1) * 1000, forks


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs="+", help="label=SRC, or label=SRC:NAME=VALUE:… with variables for it")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--only", nargs="*", default=list(REQUESTS))
    parser.add_argument("--first", action="store_true", help="every request a new query text (answer cache misses)")
    parser.add_argument("--document", default="drenthe-2010-pns", help="slug of the document for join/construct")
    parser.add_argument("--serve-args", default="", help="options before serve, e.g. '--root DIR --cache-dir C'")
    parser.add_argument("--env", nargs="*", default=[], help="NAME=VALUE for every server, e.g. KENNISGRAAF_CACHE_MB=0 "
                        "to measure first requests (misses)")
    parser.add_argument("--floor", action="store_true", help="measure the floor app too and give ratios to it")
    args = parser.parse_args()
    paths = requests(args.document)
    servers = {}
    for spec in args.trees:
        label, src = spec.split("=", 1)
        src, *own = src.split(":")  # label=SRC:NAME=VALUE:… sets variables for this server only
        env = dict(item.split("=", 1) for item in [*args.env, *own])
        servers[label] = start(src, env, args.serve_args.split())
    floor = start_floor() if args.floor else None
    try:
        for _, base in servers.values():
            for name in args.only:
                sequential(base, paths[name], 5, args.first)  # warm: index, workers
        ratio_heads = " p50_x_floor req_s_x_floor" if floor else ""
        print("round request server p50_ms req_s cpu_ms_per_req forks" + ratio_heads)
        for round_ in range(args.rounds):
            for name in args.only:
                if floor is not None:  # measured again for every request: the machine's load drifts
                    floor_p50 = sequential(floor[1], "/", args.repeat)
                    floor_rate, floor_cpu, _ = throughput(floor[0], floor[1], "/", args.clients, args.seconds)
                    print(f"{round_} {name} floor {floor_p50:.2f} {floor_rate:.0f} {floor_cpu:.2f} 0 1.00 1.00",
                          flush=True)
                for label, (proc, base) in servers.items():
                    p50 = sequential(base, paths[name], args.repeat, args.first)
                    rate, cpu, forks = throughput(proc, base, paths[name], args.clients, args.seconds, args.first)
                    ratios = f" {p50 / floor_p50:.2f} {rate / floor_rate:.2f}" if floor is not None else ""
                    print(f"{round_} {name} {label} {p50:.2f} {rate:.0f} {cpu:.2f} {forks}{ratios}", flush=True)
    finally:
        for proc, _ in [*servers.values(), *([floor] if floor else [])]:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
