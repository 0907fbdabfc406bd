"""Before/after figures for the build: ``kennisgraaf build --force`` from two source trees, interleaved.

Each round runs the build once per tree (``label=SRC`` puts ``SRC`` first on the ``PYTHONPATH``),
alternating, each with a fresh cache folder, and records the wall time of every step from the
build's own progress lines on stderr, the wall time of the whole command, and the CPU time
(user + system) of the command and every process it started (``os.wait4``), which the load of a
shared machine distorts much less than wall times. Prints the median per tree::

    .venv/bin/python benchmarks/buildtime.py before=/tmp/base/src after=src [--rounds 3] [--root DIR]

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

PROGRESS = re.compile(r"^\[\s*(?P<seconds>[\d.]+)s\] (?P<text>.*)$")
# The first words of a progress line name its step (the rest carries counts that may differ).
STEP_NAMES = {"building": "start", "parsed": "parse", "checked": "quotes",
              "validated": "SHACL (with the shapes dry run)", "OWL-RL": "closure",
              "explained": "explanations", "cached": "write graphs.nq, store, checksums"}


def one_build(src: str, root: str | None) -> tuple[dict[str, float], float, float]:
    """Run one build; return step → seconds, wall seconds, CPU seconds (the command and its children)."""
    cache = tempfile.mkdtemp(prefix="buildtime-")
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
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
    previous = 0.0
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
    for name in names:
        cells = [statistics.median(r[0].get(name, 0.0) for r in results[label]) for label, _src in trees]
        print(f"| {name} | " + " | ".join(f"{c:.2f} s" for c in cells) + " |")
    cells = [statistics.median(r[0]["start"] for r in results[label]) for label, _src in trees]
    print("| start-up and the canned-query check (wall minus the build's own steps) | "
          + " | ".join(f"{c:.2f} s" for c in cells) + " |")
    for title, index in (("whole command, wall", 1), ("whole command, CPU (all processes)", 2)):
        cells = [statistics.median(r[index] for r in results[label]) for label, _src in trees]
        print(f"| **{title}** | " + " | ".join(f"**{c:.2f} s**" for c in cells) + " |")


if __name__ == "__main__":
    main()
