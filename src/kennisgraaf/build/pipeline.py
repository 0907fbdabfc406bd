"""The build: parse → check quotes → validate (SHACL) → OWL-RL closure → cached dataset.

Inputs live in a root folder (the bundled data or a maintainer's working copy): ``ontology/*.ttl``,
``data/reference/*.ttl``, ``data/documenten/*.ttl``, ``data/bronnen/*.txt`` and ``shapes/*.ttl``.
The result is cached on disk under a hash of all inputs, written atomically, so ``serve`` starts
fast and a failed build never replaces the last good one.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF

from kennisgraaf import __version__
from kennisgraaf.build.background import InBackground
from kennisgraaf.build.cachekey import input_hash
from kennisgraaf.build.canonical import blank_node_labels, graph_quads, serialise, write_sorted_nquads
from kennisgraaf.build.checkrun import SharedChecks, shacl_entry, shacl_report
from kennisgraaf.build.checks import check_all_quotes, parse_inputs, shacl_step, shapes_of
from kennisgraaf.build.dataset import (
    EXPLANATIONS_FILE,
    SHAPES_FILE,
    SOURCES_FILE,
    STORE_DIR,
    BuiltDataset,
    DamagedCache,
    write_checksums,
    write_store,
)
from kennisgraaf.build.explain import Explanations, chained_closure, explain
from kennisgraaf.build.explain import to_json as explanations_json
from kennisgraaf.build.inference import closure
from kennisgraaf.build.inputs import BuildError, Inputs, file_digest, find_inputs
from kennisgraaf.build.rdfio import rebase
from kennisgraaf.build.sources import read_source
from kennisgraaf.config import Settings
from kennisgraaf.vocab import (
    DEFAULT_BASE,
    GRAPH_INFERRED,
    GRAPH_ONTOLOGY,
    GRAPH_QUOTES,
    GRAPH_REFERENCE,
    KG,
)


@dataclass
class Progress:
    """Timing of build steps, reported on stderr (or to a callback in tests): seconds since the start,
    and the CPU seconds of this process (on a busy machine the steadier figure; SHACL's own process
    reports its CPU on its line)."""

    report: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr))
    _start: float = field(default_factory=time.perf_counter)
    _cpu: float = field(default_factory=time.process_time)

    def step(self, text: str) -> None:
        self.report(f"[{time.perf_counter() - self._start:6.2f}s, CPU {time.process_time() - self._cpu:6.2f}s] {text}")


def load_or_build(settings: Settings, *, progress: Progress | None = None, force: bool = False) -> BuiltDataset:
    """Return the cached dataset for the current inputs, building it first when needed."""
    return build_or_reuse(settings, progress=progress, force=force).dataset


@dataclass(frozen=True)
class BuildOutcome:
    """A dataset, whether it was built now or taken from the cache, and why."""

    dataset: BuiltDataset
    built: bool
    reason: str


def input_manifest(inputs: Inputs) -> dict[str, str]:
    """Every input file (path relative to the root) with the SHA-256 of its bytes."""
    return {inputs.name(path): file_digest(path) for path in inputs.all_files()}


def _last_build_file(settings: Settings) -> Path:
    root = hashlib.sha256(str(settings.root_path).encode()).hexdigest()[:16]
    return settings.cache_path / "last-build" / f"{root}.json"


def rebuild_reason(previous: dict | None, files: dict[str, str], base: str) -> str:
    """Why the inputs need a new build, compared with the manifest of the last build of this root."""
    if previous is None:
        return "no earlier build of this working copy in the cache"
    before: dict[str, str] = previous.get("inputs", {})
    changed = sorted(name for name in files if name in before and before[name] != files[name])
    added = sorted(set(files) - set(before))
    removed = sorted(set(before) - set(files))
    parts = [f"{label}: {', '.join(names)}" for label, names in
             (("changed", changed), ("added", added), ("removed", removed)) if names]
    if previous.get("base") != base:
        parts.append(f"base IRI {previous.get('base')} → {base}")
    if previous.get("version") != __version__:
        parts.append(f"kennisgraaf {previous.get('version')} → {__version__}")
    return "; ".join(parts) or "the cached build of these inputs is gone"


def build_or_reuse(settings: Settings, *, progress: Progress | None = None, force: bool = False) -> BuildOutcome:
    """Reuse the cached dataset of the current inputs, or build it and say which input changed.

    Each build keeps a manifest of its input hashes (``meta.json`` and ``last-build/<root>.json``
    in the cache folder), so the next build of the same working copy can name what changed.
    """
    inputs = find_inputs(settings.root_path)
    key = input_hash(inputs, settings.base_iri)
    target = settings.cache_path / key[:24]
    progress = progress or Progress()
    damage = None
    if not force and BuiltDataset.is_complete(target):
        try:
            dataset = BuiltDataset.open(target)
        except DamagedCache as exc:  # never serve it: build it again from the inputs
            damage = f"the cached build is damaged ({exc})"
        else:
            return BuildOutcome(dataset, False, f"inputs unchanged since the build of {dataset.meta.get('built', '?')}")
    manifest = input_manifest(inputs)
    last = _last_build_file(settings)
    try:
        previous = json.loads(last.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = None
    reason = "--force" if force else damage or rebuild_reason(previous, manifest, settings.base_iri)
    progress.step(f"building: {reason}")
    # The shapes dry run and the SHACL report are shared with `validate` through the check cache;
    # --force computes them again.
    checks = SharedChecks.of(inputs, settings.cache_path, reuse=not force)
    prepared = prepare_build(inputs, settings.base_iri, progress, closure_engine=settings.closure, checks=checks,
                             beside=settings.build_processes > 1)
    try:
        # Written while SHACL still runs in its own process; committed (renamed into place) only
        # once it says the data conforms.
        write_atomically(target, prepared.graphs, {**prepared.meta, "key": key, "inputs": manifest},
                         prepared.files, before_commit=prepared.conforming)
    finally:
        prepared.cancel()
    last.parent.mkdir(parents=True, exist_ok=True)
    last.write_text(json.dumps({"inputs": manifest, "base": settings.base_iri, "version": __version__, "key": key},
                               indent=1, sort_keys=True), encoding="utf-8")
    progress.step(f"cached in {target}")
    return BuildOutcome(BuiltDataset.open(target), True, reason)


CLOSURE_ENGINES = ("chainer", "owlrl")


@dataclass
class PreparedBuild:
    """Everything a build writes, and the SHACL step still running beside it (:meth:`conforming` waits)."""

    graphs: dict[str, Graph]
    meta: dict
    files: dict[str, str]
    shacl: InBackground
    progress: Progress

    def conforming(self) -> dict:
        """Wait for SHACL; raise BuildError (exit 1, with the report) on a violation, else return the
        metadata it adds (the warnings)."""
        outcome = self.shacl.result()
        report = shacl_report(outcome["report"])
        if not report.conforms:
            raise BuildError("the data violates the shapes", 1, report)
        how = ("from the check cache" if outcome["reused"]
               else f"{outcome['seconds']:.2f} s, CPU {outcome['cpu']:.2f} s")
        self.progress.step(f"validated: {len(report.violations)} violations, {len(report.warnings)} warnings "
                           f"(SHACL report of these files {how})")
        return {"warnings": json.loads(report.to_json()) if report.warnings else []}

    def cancel(self) -> None:
        self.shacl.cancel()


def run_pipeline(inputs: Inputs, base: str, progress: Progress, *, closure_engine: str = "chainer",
                 checks: SharedChecks | None = None) -> tuple[dict[str, Graph], dict, dict[str, str]]:
    """Run every build step; return the named graphs (by name), the build metadata and extra cache files.

    With ``checks``, the shapes dry run and the SHACL report are taken from (and kept in) the check cache.
    """
    prepared = prepare_build(inputs, base, progress, closure_engine=closure_engine, checks=checks)
    try:
        return prepared.graphs, {**prepared.meta, **prepared.conforming()}, prepared.files
    finally:
        prepared.cancel()


def prepare_build(inputs: Inputs, base: str, progress: Progress, *, closure_engine: str = "chainer",
                  checks: SharedChecks | None = None, beside: bool = True) -> PreparedBuild:
    """Parse and check the quotes; start SHACL in a process of its own (``build/background.py``; with
    ``beside=False``, or where that cannot be, run it here first); run the closure and the explanations
    meanwhile. The caller commits nothing before :meth:`PreparedBuild.conforming` returns."""
    if closure_engine not in CLOSURE_ENGINES:
        raise BuildError(f"closure: unknown engine {closure_engine!r} (one of: {', '.join(CLOSURE_ENGINES)})", 2)
    parsed = parse_inputs(inputs)
    progress.step(f"parsed {len(inputs.ontology) + len(inputs.reference) + len(inputs.documents)} Turtle files")
    locations = check_all_quotes(inputs, parsed, {p.stem: p for p in inputs.documents})
    progress.step(f"checked {len(set(locations.subjects(RDF.type, KG.QuoteLocation)))} quote locations")
    shapes = shapes_of(inputs)
    shacl = InBackground(lambda: shacl_step(inputs, parsed, shapes, checks), error_report=shacl_entry,
                         read_report=shacl_report, fork=None if beside else False)
    try:
        graphs = {GRAPH_ONTOLOGY: parsed.ontology, GRAPH_REFERENCE: parsed.reference, GRAPH_QUOTES: locations,
                  **parsed.documents}
        if base != DEFAULT_BASE:
            graphs = {name: rebase(graph, DEFAULT_BASE, base) for name, graph in graphs.items()}
        inferred, found = infer(graphs, base, closure_engine)
        graphs[GRAPH_INFERRED] = inferred
        progress.step(f"OWL-RL closure ({closure_engine}): {len(inferred)} new triples kept")
        explanations = explanations_json(found, graphs, GRAPH_INFERRED, base)
        progress.step(f"explained {len(explanations['derived'])} derived triples "
                      f"({len(explanations['missing'])} without a derivation)")
        meta = {
            "version": __version__,
            "base": base,
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "root": str(inputs.root),
            "documents": sorted(parsed.documents),
            "triples": {name: len(graph) for name, graph in graphs.items()},
            "explanations": {"derived": len(explanations["derived"]), "missing": len(explanations["missing"]),
                             "extra": len(explanations["extra"])},
        }
        files = {EXPLANATIONS_FILE: json.dumps(explanations, ensure_ascii=False, sort_keys=True),
                 **serving_files(inputs, shapes, base)}
    except BaseException:
        shacl.cancel()
        raise
    return PreparedBuild(graphs, meta, files, shacl, progress)


def serving_files(inputs: Inputs, shapes: Graph, base: str) -> dict[str, str]:
    """What the pages show besides the graphs: the source texts and the shapes, kept with the build so
    that serving never reads the source tree (it may have changed, or gone, since)."""
    texts = {path.name: read_source(path) for path in inputs.sources}
    if base != DEFAULT_BASE:
        shapes = rebase(shapes, DEFAULT_BASE, base)
    shapes_nt = serialise(graph_quads(shapes, None, blank_node_labels([shapes])), ox.RdfFormat.N_TRIPLES)
    return {SOURCES_FILE: json.dumps(texts, ensure_ascii=False, sort_keys=True),
            SHAPES_FILE: shapes_nt.decode("utf-8")}


def infer(graphs: dict[str, Graph], base: str, engine: str) -> tuple[Graph, Explanations]:
    """The kept OWL-RL closure of the asserted ``graphs`` (ontology, data, quote locations) and a
    derivation per triple: in one pass by the chainer, or by owlrl with the chainer explaining (and
    checked against) its result."""
    if engine == "chainer":
        return chained_closure(graphs, (base,))
    asserted = Graph()
    for graph in graphs.values():
        asserted += graph
    inferred = closure(asserted, (base,))
    return inferred, explain(asserted, inferred, (base,))


def write_atomically(target: Path, graphs: dict[str, Graph], meta: dict, files: dict[str, str] | None = None, *,
                     before_commit: Callable[[], dict] | None = None) -> None:
    """Write ``graphs.nq``, the store, ``files`` (name: text), ``meta.json`` and ``SHA256SUMS`` over them to a
    temporary folder, then move it into place.

    ``before_commit`` runs once the graphs are written; what it returns is added to ``meta``, and if it
    raises, nothing is moved into place (the temporary folder is removed).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    base = meta["base"]
    labels = blank_node_labels(graphs.values())
    tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=target.parent))
    try:
        write_sorted_nquads({f"{base}graph/{name}": g for name, g in graphs.items()}, labels, tmp / "graphs.nq")
        write_store(tmp / "graphs.nq", tmp / STORE_DIR, base)
        for name, text in (files or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        if before_commit is not None:
            meta = {**meta, **before_commit()}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=2, sort_keys=True), encoding="utf-8")
        write_checksums(tmp)  # last: it covers every file written above
        if target.exists():
            shutil.rmtree(target)
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
