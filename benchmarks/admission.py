"""Benchmark: query admission (``kennisgraaf.sparql.admission.admit``) on the canned queries' text.

Each canned query is bound with its defaults (the text a request for it sends to the store) and
admitted ``--repeat`` times; prints the median per query and over all of them. Not a test: run it
by hand, `python benchmarks/admission.py [--repeat N]`, and record the figures in docs/.
"""

from __future__ import annotations

import argparse
import statistics
import time

from kennisgraaf.config import DEFAULTS
from kennisgraaf.sparql.admission import admit
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.vocab import UriStrategy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()
    uris = UriStrategy(DEFAULTS.base_iri)
    catalogue = load_catalogue(uris)
    prefixes = uris.prefixes()
    medians = []
    for query in catalogue:
        text = catalogue.bind(query, {}).text
        times = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            admit(text, base=uris.base, prefixes=prefixes)
            times.append(time.perf_counter() - start)
        medians.append(statistics.median(times))
        print(f"{query.name:40} {len(text):6} chars  {medians[-1] * 1e6:8.0f} µs")
    print(f"{'median over queries':40} {'':12}  {statistics.median(medians) * 1e6:8.0f} µs")
    print(f"{'total of medians':40} {'':12}  {sum(medians) * 1e6:8.0f} µs")


if __name__ == "__main__":
    main()
