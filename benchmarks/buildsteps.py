"""Every step of the build, one after the other in one process, with its wall and CPU seconds.

Runs the build's own functions in the order ``kennisgraaf build`` does (SHACL here in this process,
not beside the closure, so that each step's CPU is its own), writes into a temporary folder, and
prints a Markdown table; with ``--repeat N`` each step's median over N fresh processes::

    .venv/bin/python benchmarks/buildsteps.py [--root DIR] [--repeat 3]

The imports are measured as the command makes them (``kennisgraaf.cli``, then ``pyshacl``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def steps(root: Path | None) -> list[tuple[str, float, float]]:
    """Run the build's steps once; return (step, wall seconds, CPU seconds) in order."""
    rows: list[tuple[str, float, float]] = []
    last = [time.perf_counter(), time.process_time()]

    def mark(name: str) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        rows.append((name, wall - last[0], cpu - last[1]))
        last[:] = [wall, cpu]

    import kennisgraaf.cli  # noqa: F401 - what the command imports first
    mark("import kennisgraaf.cli")
    import pyshacl  # noqa: F401
    mark("import pyshacl")
    import pyoxigraph as ox

    from kennisgraaf.build import checks, pipeline
    from kennisgraaf.build.cachekey import input_hash
    from kennisgraaf.build.canonical import blank_node_labels, graph_quads, sorted_quads
    from kennisgraaf.build.dataset import BuiltDataset, write_checksums, write_store
    from kennisgraaf.build.explain import to_json
    from kennisgraaf.build.inputs import find_inputs
    from kennisgraaf.build.validate import usable_shapes, validate
    from kennisgraaf.config import bundled_root
    from kennisgraaf.sparql.queryfiles import load_catalogue
    from kennisgraaf.sparql.verify import verify
    from kennisgraaf.vocab import (
        DEFAULT_BASE,
        GRAPH_INFERRED,
        GRAPH_ONTOLOGY,
        GRAPH_QUOTES,
        GRAPH_REFERENCE,
        UriStrategy,
    )

    inputs = find_inputs(root or bundled_root())
    base = DEFAULT_BASE
    input_hash(inputs, base)
    mark("input hash")
    parsed = checks.parse_inputs(inputs)
    mark("parse")
    locations = checks.check_all_quotes(inputs, parsed, {p.stem: p for p in inputs.documents})
    mark("quotes")
    shapes = checks.shapes_of(inputs)
    mark("read the shapes")
    usable_shapes(shapes, inputs.root / "shapes")
    mark("shapes dry run")
    validate([parsed.reference, *parsed.documents.values()], shapes, parsed.ontology,
             subject_files=parsed.subject_files)
    mark("SHACL")
    graphs = {GRAPH_ONTOLOGY: parsed.ontology, GRAPH_REFERENCE: parsed.reference, GRAPH_QUOTES: locations,
              **parsed.documents}
    inferred, found = pipeline.infer(graphs, base, "chainer")
    graphs[GRAPH_INFERRED] = inferred
    mark("closure")
    explanations = to_json(found, graphs, GRAPH_INFERRED, base)
    mark("explanations")
    files = pipeline.serving_files(inputs, shapes, base)
    mark("sources.json, shapes.nt")
    labels = blank_node_labels(graphs.values())
    quads = [q for name, g in graphs.items() for q in graph_quads(g, f"{base}graph/{name}", labels)]
    mark("rdflib → pyoxigraph quads")
    ordered = sorted_quads(quads)
    mark("RDFC-1.0 canonicalisation + sort")
    folder = Path(tempfile.mkdtemp(prefix="buildsteps-"))
    try:
        ox.serialize(ordered, str(folder / "graphs.nq"), ox.RdfFormat.N_QUADS)
        mark("write graphs.nq")
        write_store(folder / "graphs.nq", folder / "store", base)
        mark("write the on-disk store")
        (folder / "explanations.json").write_text(json.dumps(explanations, ensure_ascii=False, sort_keys=True))
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        (folder / "meta.json").write_text(json.dumps({"base": base,
                                                      "triples": {n: len(g) for n, g in graphs.items()}}))
        write_checksums(folder)
        mark("explanations.json, meta.json, SHA256SUMS")
        dataset = BuiltDataset.open(folder)
        mark("open the cache (verify checksums)")
        verify(dataset, load_catalogue(UriStrategy(base)))
        mark("canned-query check")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--root", type=Path, help="working copy to build (default: the bundled data)")
    parser.add_argument("--repeat", type=int, default=1, help="fresh processes; medians are printed")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # one run, for --repeat
    args = parser.parse_args()
    if args.json:
        print(json.dumps(steps(args.root)))
        return
    runs = []
    for _ in range(args.repeat):
        command = [sys.executable, __file__, "--json", *(["--root", str(args.root)] if args.root else [])]
        runs.append(json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout))
    print("| step | wall | CPU |")
    print("|---|---|---|")
    for index, (name, _wall, _cpu) in enumerate(runs[0]):
        wall = statistics.median(run[index][1] for run in runs)
        cpu = statistics.median(run[index][2] for run in runs)
        print(f"| {name} | {wall:.3f} s | {cpu:.3f} s |")
    print(f"| total | {statistics.median(sum(r[1] for r in run) for run in runs):.3f} s "
          f"| {statistics.median(sum(r[2] for r in run) for run in runs):.3f} s |")


if __name__ == "__main__":
    main()
