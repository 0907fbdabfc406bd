"""Benchmark: the maintainer's loop, `kennisgraaf validate` as a maintainer runs it (issue 14).

Copies the bundled ontology/, data/ and shapes/ to a temporary working copy with an empty cache,
then times whole `kennisgraaf validate` processes: the first run, unchanged runs (answered from
the check cache), runs after editing one document file, and runs after editing one source text.
Prints the median wall time and CPU time (user + system of the child process) of each.
Not a test: run it by hand, `python benchmarks/maintainers_loop.py [--repeat N]`, and record the
figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from kennisgraaf.config import bundled_root


def validate(root: Path, cache: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds and the last stderr line of one `kennisgraaf validate` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "kennisgraaf", "validate", "--root", str(root),
                           "--cache-dir", str(cache)], capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"validate failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return wall, cpu, done.stderr.strip().splitlines()[-1]


def report(label: str, runs: list[tuple[float, float, str]]) -> None:
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    print(f"{label:<32} wall {wall:6.2f} s   cpu {cpu:6.2f} s   ({runs[-1][2]})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        root, cache = Path(tmp) / "copy", Path(tmp) / "cache"
        for name in ("ontology", "data", "shapes"):
            shutil.copytree(bundled_root() / name, root / name)
        firsts = []
        for _ in range(args.repeat):
            shutil.rmtree(cache, ignore_errors=True)
            firsts.append(validate(root, cache))
        report("first validate (empty cache)", firsts)
        report("unchanged", [validate(root, cache) for _ in range(args.repeat)])
        document = root / "data" / "documenten" / "swn-2017-gemeenten.ttl"
        edits = []
        for n in range(args.repeat):
            document.write_text(document.read_text(encoding="utf-8") + f"\n# edit {n}\n", encoding="utf-8")
            edits.append(validate(root, cache))
        report("after editing one document", edits)
        source = root / "data" / "bronnen" / "004_b7e651edca1d64fc.txt"
        sources = []
        for _ in range(args.repeat):
            source.write_bytes(source.read_bytes() + b"\n")
            sources.append(validate(root, cache))
        report("after editing one source text", sources)


if __name__ == "__main__":
    main()
