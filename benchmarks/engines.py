"""Benchmark: rdflib's SPARQL engine vs pyoxigraph on the built dataset (DESIGN §1: measure the choice).

Prints, per query, the median wall time of each engine and the ratio. Not a test: run it by hand,
`python benchmarks/engines.py [--repeat N]`, and record the figures in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc
from pathlib import Path

from rdflib import Dataset

from kennisgraaf.build.pipeline import load_or_build
from kennisgraaf.config import load_settings
from kennisgraaf.vocab import UriStrategy

QUERIES = Path(__file__).resolve().parent / "queries"


def timed(run, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    built = load_or_build(load_settings())
    prologue = UriStrategy(built.base).sparql_prologue()

    start = time.perf_counter()
    tracemalloc.start()
    rdflib_ds = Dataset(default_union=True)
    rdflib_ds.parse(str(built.quads_file), format="nquads")
    rdflib_mem = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    rdflib_load = time.perf_counter() - start
    start = time.perf_counter()
    tracemalloc.start()
    store = built.open_store()
    ox_mem = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    ox_load = time.perf_counter() - start
    print(f"quads: {sum(built.meta['triples'].values())}")
    print(f"load      rdflib {rdflib_load * 1000:8.1f} ms  pyoxigraph {ox_load * 1000:8.1f} ms  "
          f"ratio {rdflib_load / ox_load:6.1f}x")
    print(f"py-heap   rdflib {rdflib_mem / 2**20:8.1f} MB  pyoxigraph {ox_mem / 2**20:8.1f} MB (Rust heap not traced)")
    for path in sorted(QUERIES.glob("*.rq")):
        text = prologue + path.read_text(encoding="utf-8")
        rdflib_t = timed(lambda text=text: list(rdflib_ds.query(text)), args.repeat)
        ox_t = timed(lambda text=text: list(store.query(text)), args.repeat)
        print(f"{path.stem:28} rdflib {rdflib_t * 1000:8.2f} ms  pyoxigraph {ox_t * 1000:8.2f} ms  "
              f"ratio {rdflib_t / ox_t:6.1f}x")


if __name__ == "__main__":
    main()
