"""Time resource pages in-process: ``--repeat`` GETs of each page through the app's test client.

Builds (or reuses) the bundled dataset in a cache folder of its own, makes the app with
``create_app`` on the embedded store, warms it up (the page index is loaded on first use), then
prints per page and representation the total, median and 95th percentile of the wall-clock time,
and the CPU time of this process per request (the app's own work, without the query workers:
steadier than wall-clock time on a busy machine). Usage::

    .venv/bin/python benchmarks/pages.py [--repeat 200] [--cache-dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from kennisgraaf.build.pipeline import load_or_build
from kennisgraaf.config import Settings
from kennisgraaf.web import create_app

PAGES = (
    ("/doc/provincie/drenthe", "text/html"),
    ("/doc/provincie/drenthe", "text/turtle"),
    ("/queries/taken-provincie", "text/html"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--cache-dir", default=None)
    args = parser.parse_args()
    settings = Settings(cache_dir=args.cache_dir or tempfile.mkdtemp(prefix="kg-bench-"))
    dataset = load_or_build(settings, progress=None)
    app = create_app(settings, dataset=dataset)
    client = app.test_client()
    try:
        for path, accept in PAGES:
            headers = {"Accept": accept}
            for _ in range(5):
                assert client.get(path, headers=headers).status_code == 200
            times = []
            cpu = time.process_time()
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(path, headers=headers)
                response.get_data()
                times.append(time.perf_counter() - started)
                assert response.status_code == 200
            cpu = time.process_time() - cpu
            times.sort()
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{path} {accept}: {args.repeat} requests in {sum(times):.2f} s, "
                  f"median {statistics.median(times) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
                  f"app CPU {cpu / args.repeat * 1000:.1f} ms per request")
    finally:
        app.extensions["kennisgraaf"].store.close()


if __name__ == "__main__":
    main()
