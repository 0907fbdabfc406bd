"""Profile ``kennisgraaf serve`` under load with py-spy, across the server and its worker processes.

For each request kind (by default ASK, the canned query and a resource page) it loads the server
with 8 concurrent clients (wrk, or the suite's Python client) while ``py-spy record
--subprocesses`` samples every process of the server, then prints CPU per request (all processes
together), the share per process role, and the top costs by package/module, by function (self)
and by function including callees. py-spy needs ptrace rights (root, or
``kernel.yama.ptrace_scope=0``)::

    python benchmarks/profile.py [--kinds ask,canned,resource] [--seconds 15] [--root DIR] [--out FILE.md]

``--first`` profiles first executions: every request's query text is new (the suite's
``fresh_suffix``), so the answer cache misses and the query reaches a worker each time.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import suite  # noqa: E402

KINDS = {request.name: request for request in suite.REQUESTS}
# Leaf functions that mean "blocked, not on a CPU": py-spy counts a thread waiting on a lock or a
# pipe as active, so these samples are left out of the shares. waitress's I/O loop waits in
# ``poll`` (select) or ``poll2`` (poll(), kennisgraaf's setting).
WAITING = re.compile(r"^(?:\S+\.)?(wait|select|poll2?|sleep|accept|_recv|recv|recv_into|readinto|acquire|"
                     r"_wait_for_tstate_lock|_recv_bytes|read)$|^Condition\.__enter__$")
FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")


@dataclass
class Profile:
    """The samples of one request kind."""

    kind: str
    seconds: float
    rate: int
    requests: int
    samples: int = 0
    waiting: int = 0
    cpu_seconds: float = 0.0  # measured from /proc over the load run
    by_role: collections.Counter[str] = field(default_factory=collections.Counter)
    by_module: collections.Counter[str] = field(default_factory=collections.Counter)
    self_time: collections.Counter[str] = field(default_factory=collections.Counter)
    inclusive: collections.Counter[str] = field(default_factory=collections.Counter)

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds / max(1, self.requests) * 1000

    def share(self, count: int) -> str:
        return f"{100 * count / max(1, self.samples):.0f} %"

    def per_request(self, count: int) -> str:
        """The part of the measured CPU per request that ``count`` samples stand for."""
        return f"{self.cpu_ms_per_request * count / max(1, self.samples):.2f} ms"


def short_file(path: str) -> str:
    """A readable module path: kennisgraaf/web/pages.py, jinja2/environment.py, <frozen …>."""
    for marker in ("site-packages/", "/src/", "lib/python3.11/", "lib/python3.12/", "lib/python3.13/"):
        if marker in path:
            return path.split(marker, 1)[1]
    return path.rsplit("/", 1)[-1]


def module_of(path: str) -> str:
    """Group a file into a package, or into kennisgraaf's own module."""
    short = short_file(path)
    if short.startswith("kennisgraaf/"):
        return short.removesuffix(".py")
    return short.split("/", 1)[0].removesuffix(".py")


def parse(raw: str, profile: Profile, server_pid: int) -> None:
    """Fold py-spy's raw (collapsed) stacks into the profile's counters.

    A line is ``process P:"command";…;function (file:line);… count``; a command may itself hold
    ``;`` (the workers' ``python -c "import sys; …"``), so call frames are taken from the end.
    """
    for line in raw.splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        if not stack.strip():
            continue
        pieces = stack.split(";")
        calls: list[tuple[str, str]] = []
        while pieces:
            found = FRAME.match(pieces[-1])
            if not found or pieces[-1].startswith("process "):
                break
            calls.append((found.group("function"), found.group("file")))
            pieces.pop()
        calls.reverse()
        prefix = ";".join(pieces)
        pids = re.findall(r"process (\d+):", prefix)
        pid = int(pids[-1]) if pids else server_pid
        role = "server (waitress + Flask)" if pid == server_pid else (
            "query workers (fork server and workers)" if "kennisgraaf" in prefix and "workers" in prefix
            else "other")
        if calls and WAITING.match(calls[-1][0]):
            profile.waiting += count
            continue
        profile.samples += count
        profile.by_role[role] += count
        if not calls:
            continue
        names = [(f"{function} ({short_file(file)})", module_of(file)) for function, file in calls]
        profile.self_time[names[-1][0]] += count
        profile.by_module[names[-1][1]] += count
        for name in {name for name, _ in names}:
            profile.inclusive[name] += count


def report(profiles: list[Profile], top: int) -> str:
    lines = []
    for profile in profiles:
        lines += [f"### {profile.kind}: {KINDS[profile.kind].title}", "",
                  f"{profile.requests} requests in {profile.seconds:.0f} s with 8 clients; "
                  f"**{profile.cpu_ms_per_request:.2f} ms of CPU per request** (all processes of the server, "
                  f"from /proc); {profile.samples} py-spy samples on a CPU at {profile.rate} Hz share it out below "
                  f"({profile.waiting} samples of threads blocked in wait/select/recv left out).", "",
                  "| process | share | CPU per request |", "|---|---|---|"]
        for role, count in profile.by_role.most_common():
            lines.append(f"| {role} | {profile.share(count)} | {profile.per_request(count)} |")
        lines += ["", "| package / module (self time) | share | CPU per request |", "|---|---|---|"]
        for module, count in profile.by_module.most_common(top):
            lines.append(f"| {module} | {profile.share(count)} | {profile.per_request(count)} |")
        lines += ["", "| function, including what it calls | share | CPU per request |", "|---|---|---|"]
        for name, count in profile.inclusive.most_common(top * 2):
            lines.append(f"| `{name}` | {profile.share(count)} | {profile.per_request(count)} |")
        lines += ["", "| function (self time) | share | CPU per request |", "|---|---|---|"]
        for name, count in profile.self_time.most_common(top):
            lines.append(f"| `{name}` | {profile.share(count)} | {profile.per_request(count)} |")
        lines.append("")
    return "\n".join(lines)


def load(url: str, accept: str, seconds: float, first: bool) -> tuple[subprocess.Popen[str] | None, list[int]]:
    """Start the load; wrk runs as a process, the Python client in this one (then returns done)."""
    if suite.shutil.which("wrk"):
        with suite.wrk_script(first) as script:
            process = subprocess.Popen(["wrk", "-t", "2", "-c", "8", "-d", f"{int(seconds)}s", "--timeout", "30s",
                                        "-H", f"Accept: {accept}", *script, url], stdout=subprocess.PIPE, text=True)
            time.sleep(0.5)  # wrk has read its script before the file goes
        return process, []
    budget = suite.Budget(throughput_seconds=seconds)
    _, done, _ = suite.throughput_python(url, accept, budget, first)
    return None, [done]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--kinds", default="ask,canned,resource", help=f"comma-separated, of: {', '.join(KINDS)}")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--rate", type=int, default=250, help="py-spy samples per second")
    parser.add_argument("--root", type=Path, help="working copy to serve (default: the bundled data)")
    parser.add_argument("--cache-dir", type=Path, help="build cache to use (e.g. the suite's --work DIR/SIZE/cache)")
    parser.add_argument("--document", default="drenthe-2010-pns", help="slug of the document for join/construct")
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--first", action="store_true", help="every request a new query text (answer cache misses)")
    parser.add_argument("--out", type=Path, help="also write the report (Markdown) here")
    parser.add_argument("--gil", action="store_true", help="sample only threads holding the GIL: the server's "
                        "Python work, without threads waiting for the GIL (else shown in the call they return from)")
    args = parser.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    for kind in kinds:
        if kind not in KINDS:
            raise SystemExit(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")
    target = suite.Target(args.document)
    spy = suite.venv_tool("py-spy")
    with tempfile.TemporaryDirectory(prefix="kennisgraaf-profile-") as folder:
        work = Path(folder)
        cache = args.cache_dir or work / "cache"
        log = work / "serve.log"
        process = suite.start(suite.kennisgraaf(args.root, cache, "serve", "-p", "0"), log)
        profiles = []
        try:
            base = suite.url_from_log(log, process, 900)
            suite.wait_for(suite.sparql_url(base + "sparql", "ASK {}"), process, 60, log)
            for kind in kinds:
                request = KINDS[kind]
                url = (suite.sparql_url(base + "sparql", target.sparql(request)) if request.kind == "sparql"
                       else base.rstrip("/") + target.path(request))
                suite.sequential(url, request.accept, suite.Budget(sequential=20, warmup=5), args.first)  # warm
                raw = work / f"{kind}.txt"
                spy_process = subprocess.Popen(
                    [spy, "record", "--pid", str(process.pid), "--subprocesses", "--rate", str(args.rate),
                     *(["--gil"] * args.gil), "--format", "raw", "--full-filenames", "--output", str(raw),
                     "--duration", str(int(args.seconds))], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                    text=True)
                time.sleep(0.5)  # py-spy attaches
                tracker = suite.CpuTracker(process.pid).__enter__()
                began = time.monotonic()
                loader, done = load(url, request.accept, args.seconds - 1, args.first)
                if loader is not None:
                    text = loader.communicate(timeout=args.seconds + 60)[0]
                    found = re.search(r"(\d+) requests in", text)
                    done = [int(found.group(1))] if found else [0]
                tracker.__exit__()
                cpu = tracker.seconds
                elapsed = time.monotonic() - began
                _, errors = spy_process.communicate(timeout=args.seconds + 60)
                if spy_process.returncode != 0 or not raw.exists():
                    raise SystemExit(f"py-spy failed ({spy_process.returncode}): {errors}")
                profile = Profile(kind, elapsed, args.rate, done[0], cpu_seconds=cpu)
                parse(raw.read_text(errors="replace"), profile, process.pid)
                profiles.append(profile)
                print(f"{kind}: {profile.requests} requests, {profile.cpu_ms_per_request:.2f} ms CPU per request",
                      file=sys.stderr)
        finally:
            suite.stop(process)
    text = report(profiles, args.top)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
