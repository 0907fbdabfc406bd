"""Before/after figures for the build: ``kennisgraaf build --force`` from two source trees, interleaved.

Each round runs the build once per tree (``label=SRC`` puts ``SRC`` first on the ``PYTHONPATH``),
alternating, each with a fresh cache folder, and records the wall time of every step from the
build's own progress lines on stderr, the wall time of the whole command, and the CPU time
(user + system) of the command and every process it started (``os.wait4``), which the load of a
shared machine distorts much less than wall times. Prints the median per tree::

    .venv/bin/python benchmarks/buildtime.py before=/tmp/base/src after=src [--rounds 3] [--root DIR]
    .venv/bin/python benchmarks/buildtime.py one=src:KENNISGRAAF_BUILD_PROCESSES=1 two=src

Where the build prints CPU seconds on its progress lines, each step shows them too (the build's
own process; SHACL runs in a process of its own since issue 11 and prints its CPU on its line).
Steps: ``start`` is Python start-up and imports up to the first progress line; ``canned-query
check`` is from the last progress line to the end (the check of the canned queries' expected rows).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROGRESS = re.compile(r"^\[\s*(?P<seconds>[\d.]+)s(?:, CPU\s*(?P<cpu>[\d.]+)s)?\] (?P<text>.*)$")
# The first words of a progress line name its step (the rest carries counts that may differ).
SHACL_CPU = re.compile(r"CPU (?P<cpu>[\d.]+) s\)")
STEP_NAMES = {"building": "start", "parsed": "parse", "checked": "quotes",
              "validated": "SHACL (with the shapes dry run)", "OWL-RL": "closure",
              "explained": "explanations", "cached": "write graphs.nq, store, checksums"}


def one_build(src: str, root: str | None) -> tuple[dict[str, float], float, float]:
    """Run one build; return step → seconds, wall seconds, CPU seconds (the command and its children).

    ``src`` may carry environment variables for this tree only: ``SRC:NAME=VALUE:NAME=VALUE``.
    """
    src, *variables = src.split(":")
    cache = tempfile.mkdtemp(prefix="buildtime-")
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve()), **dict(v.split("=", 1) for v in variables)}
    args = [sys.executable, "-m", "kennisgraaf", "--cache-dir", cache, *(["--root", root] if root else []),
            "build", "--force"]
    before = os.times()
    started = time.perf_counter()
    proc = subprocess.run(args, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = os.times()  # a reaped child's CPU, its own children's included, counts here
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    shutil.rmtree(cache, ignore_errors=True)
    if proc.returncode:
        raise SystemExit(f"{src}: build failed ({proc.returncode})\n{proc.stdout}\n{proc.stderr}")
    steps: dict[str, float] = {}
    previous = previous_cpu = 0.0
    for line in proc.stderr.splitlines():
        match = PROGRESS.match(line)
        if not match:
            continue
        seconds = float(match["seconds"])
        first = match["text"].split(" ", 1)[0].rstrip(":")
        name = STEP_NAMES.get(first, first)
        if name != "start":
            steps[name] = steps.get(name, 0.0) + seconds - previous
        previous = seconds
        if match["cpu"] is not None:  # the build's own process; SHACL's process says its CPU on its line
            steps[f"{name} CPU"] = steps.get(f"{name} CPU", 0.0) + float(match["cpu"]) - previous_cpu
            previous_cpu = float(match["cpu"])
            own = SHACL_CPU.search(match["text"])
            if own:
                steps["SHACL process CPU"] = float(own["cpu"])
    steps["start"] = wall - previous  # imports before the first line, the canned-query check after the last
    return steps, wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("trees", nargs="+", help="label=SRC")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--root", help="working copy to build (default: the bundled data)")
    args = parser.parse_args()
    trees = [tree.split("=", 1) for tree in args.trees]
    results: dict[str, list[tuple[dict[str, float], float, float]]] = {label: [] for label, _src in trees}
    for number in range(args.rounds):
        for label, src in trees:
            steps, wall, cpu = one_build(src, args.root)
            results[label].append((steps, wall, cpu))
            print(f"round {number + 1} {label}: wall {wall:.2f} s, CPU {cpu:.2f} s "
                  f"(load {os.getloadavg()[0]:.1f})", file=sys.stderr)
    names = [name for name in STEP_NAMES.values() if name != "start"]
    print("| step | " + " | ".join(label for label, _src in trees) + " |")
    print("|---|" + "---|" * len(trees))
    def cell(label: str, name: str) -> str:
        wall = statistics.median(r[0].get(name, 0.0) for r in results[label])
        cpus = [r[0][f"{name} CPU"] for r in results[label] if f"{name} CPU" in r[0]]
        return f"{wall:.2f} s" + (f" (CPU {statistics.median(cpus):.2f} s)" if cpus else "")

    for name in names:
        print(f"| {name} | " + " | ".join(cell(label, name) for label, _src in trees) + " |")
    cpus = [[r[0]["SHACL process CPU"] for r in results[label] if "SHACL process CPU" in r[0]] for label, _src in trees]
    if any(cpus):
        print("| CPU of the SHACL process (beside the build's own) | "
              + " | ".join(f"{statistics.median(c):.2f} s" if c else "—" for c in cpus) + " |")
    cells = [statistics.median(r[0]["start"] for r in results[label]) for label, _src in trees]
    print("| start-up and the canned-query check (wall minus the build's own steps) | "
          + " | ".join(f"{c:.2f} s" for c in cells) + " |")
    for title, index in (("whole command, wall", 1), ("whole command, CPU (all processes)", 2)):
        cells = [statistics.median(r[index] for r in results[label]) for label, _src in trees]
        print(f"| **{title}** | " + " | ".join(f"**{c:.2f} s**" for c in cells) + " |")


if __name__ == "__main__":
    main()
