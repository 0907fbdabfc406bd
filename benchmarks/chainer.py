"""Time the build's closure and explanations on a working copy, without SHACL; print a digest of both.

    PYTHONPATH=SRC python benchmarks/chainer.py ROOT [--repeat 1]

Parses ROOT as the build does (ontology, data, quote locations), then runs the chainer's closure
(``pipeline.infer``) and the explanations file (``explain.to_json``), each timed in CPU seconds
of this process; and prints the SHA-256 of the sorted kept triples and of the explanations JSON,
so two source trees (PYTHONPATH) can be compared for both speed and sameness on one machine.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import time
from pathlib import Path

from kennisgraaf.build.checks import check_all_quotes, parse_inputs
from kennisgraaf.build.explain import to_json
from kennisgraaf.build.inputs import find_inputs
from kennisgraaf.build.pipeline import infer
from kennisgraaf.vocab import DEFAULT_BASE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("root", type=Path)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    inputs = find_inputs(args.root)
    parsed = parse_inputs(inputs)
    locations = check_all_quotes(inputs, parsed, {p.stem: p for p in inputs.documents})
    graphs = {"ontology": parsed.ontology, "reference": parsed.reference, "quote-locations": locations,
              **parsed.documents}
    for _ in range(args.repeat):
        graphs.pop("inferred", None)
        began = time.process_time()
        inferred, found = infer(graphs, DEFAULT_BASE, "chainer")
        closure_s = time.process_time() - began
        graphs["inferred"] = inferred
        began = time.process_time()
        explanations = to_json(found, graphs, "inferred", DEFAULT_BASE)
        explain_s = time.process_time() - began
        kept = hashlib.sha256("\n".join(sorted(" ".join(t.n3() for t in triple) for triple in inferred)).encode())
        text = hashlib.sha256(json.dumps(explanations, ensure_ascii=False, sort_keys=True).encode())
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"closure {closure_s:.2f} s CPU, explanations {explain_s:.2f} s CPU, {len(inferred)} kept, "
              f"{len(found.steps)} derived, peak RSS {peak} MB, kept {kept.hexdigest()[:16]}, "
              f"explanations {text.hexdigest()[:16]}", flush=True)


if __name__ == "__main__":
    main()
