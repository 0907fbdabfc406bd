"""What one first-execution SPARQL request costs the app itself, without a server: CPU per WSGI call.

Calls the app's WSGI entry point (``RawAnswers`` in front of Flask, the worker pool running) with a
prepared environ whose query text ends in a comment of its own, so every call misses the answer
cache as the suite's ``--first`` rows do. Best of five runs of ``--calls`` calls,
``time.process_time`` of this process (the worker's CPU is not in it); ``--profile`` prints the
cProfile table of one more run instead, sorted by own time::

    .venv/bin/python benchmarks/misscost.py [--calls 2000] [--profile]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

# benchmarks/profile.py would shadow the stdlib's profile, which cProfile imports.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
import cProfile  # noqa: E402
import pstats  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

from hitcost import environ  # noqa: E402

from kennisgraaf.build.pipeline import load_or_build  # noqa: E402
from kennisgraaf.config import load_settings  # noqa: E402
from kennisgraaf.web import create_app  # noqa: E402

QUERIES = {"ask": "ASK {}", "lookup": "SELECT ?t WHERE { <id/provincie/drenthe> ?p ?t } LIMIT 5"}


def run(app: Any, text: str, first: int, calls: int) -> None:
    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        assert status.startswith("200"), status

    for number in range(first, first + calls):
        body = app(environ("/sparql?format=json&query=" + quote(f"{text}\n# first execution {number}")),
                   start_response)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--lines", type=int, default=35)
    args = parser.parse_args()
    settings = load_settings()
    app = create_app(settings, dataset=load_or_build(settings, progress=None))
    number = 0
    try:
        for name, text in QUERIES.items():
            run(app, text, number, 100)  # warm: workers, caches
            number += 100
            if args.profile:
                profiler = cProfile.Profile(time.process_time)
                profiler.enable()
                run(app, text, number, args.calls)
                profiler.disable()
                number += args.calls
                print(f"== {name}")
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.lines)
                continue
            runs = []
            for _ in range(5):
                began = time.process_time()
                run(app, text, number, args.calls)
                number += args.calls
                runs.append((time.process_time() - began) / args.calls * 1e6)
            print(f"{name}: {min(runs):.1f} µs CPU per miss in the app process (best of 5 × {args.calls})")
    finally:
        app.extensions["kennisgraaf"].store.close()


if __name__ == "__main__":
    main()
