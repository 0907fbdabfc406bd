"""The checks the build runs on its way (parse, quotes, shapes, SHACL) and the entry points of
``kennisgraaf validate``, which runs every check and reports every finding (:mod:`.checkrun`).

The build stops at its first failing step with a :class:`BuildError` naming the way to see them all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kennisgraaf.build.checkrun import Answer, SharedChecks, run_checks, shacl_entry
from kennisgraaf.build.evidence import check_quotes, source_files
from kennisgraaf.build.inputs import BuildError, Inputs, find_inputs
from kennisgraaf.build.rdfio import TurtleError, read_turtle
from kennisgraaf.build.validate import ShapesError, read_shapes, usable_shapes, validate
from kennisgraaf.config import Settings
from kennisgraaf.vocab import DEFAULT_BASE, KG

# The build stops at its first failing step; validate goes on and reports everything.
EVERY_FINDING = "(`kennisgraaf validate` reports every finding in one run, with file:line)"


def _read(path: Path) -> Graph:
    try:
        return read_turtle(path)
    except TurtleError as exc:
        raise BuildError(f"{exc}\n{EVERY_FINDING}", 2) from None


@dataclass
class Parsed:
    """The parsed inputs: ontology, reference and document graphs, and who states what."""

    ontology: Graph
    reference: Graph
    documents: dict[str, Graph]
    subject_files: dict[str, Path]


def parse_inputs(inputs: Inputs, extra: list[Path] | None = None) -> Parsed:
    """Parse every Turtle input (and ``extra`` data files, as documents) into graphs."""
    ontology = Graph()
    for path in inputs.ontology:
        ontology += _read(path)
    parsed = Parsed(ontology, Graph(), {}, {})
    for path in inputs.reference:
        graph = _read(path)
        parsed.reference += graph
        _note_subjects(parsed, graph, path)
    for path in [*inputs.documents, *(extra or [])]:
        parsed.documents[path.stem] = _read(path)
        _note_subjects(parsed, parsed.documents[path.stem], path)
    return parsed


def _note_subjects(parsed: Parsed, graph: Graph, path: Path) -> None:
    for subject in graph.subjects():
        if isinstance(subject, URIRef):
            parsed.subject_files.setdefault(str(subject), path)


def check_all_quotes(inputs: Inputs, parsed: Parsed, paths: dict[str, Path]) -> Graph:
    """Locate every quote of every document graph; raise BuildError (exit 1) naming the missing ones."""
    texts = source_files(parsed.reference, inputs.root / "data" / "bronnen")
    document_classes = set(parsed.ontology.transitive_subjects(RDFS.subClassOf, KG.Document))  # with subclasses
    locations = Graph()
    problems = []
    for name, graph in parsed.documents.items():
        docs = {s for cls in document_classes for s in graph.subjects(RDF.type, cls)}
        found, wrong = check_quotes(graph, paths[name], parsed.reference, texts, docs, DEFAULT_BASE)
        locations += found
        problems += wrong
    if problems:
        raise BuildError("quotes not found in their source texts:\n" + "\n".join(f"  {p}" for p in problems)
                         + f"\n{EVERY_FINDING}", 1)
    return locations


def shapes_of(inputs: Inputs) -> Graph:
    """The shapes graph of the working copy; a broken shapes file stops the build with file and line."""
    try:
        return read_shapes(inputs.root / "shapes")
    except TurtleError as exc:
        raise BuildError(str(exc), 2) from None


def shacl_step(inputs: Inputs, parsed: Parsed, shapes: Graph, checks: SharedChecks | None) -> dict:
    """Prove pyshacl can use the shapes, then validate (each from the check cache where it has them).

    Returns the report as :func:`shacl_entry` writes it, whether it came from the cache, and the
    step's own wall time (it runs in a process of its own: see :func:`prepare_build`).
    """
    started, cpu = time.perf_counter(), time.process_time()
    try:
        if checks is None:
            usable_shapes(shapes, inputs.root / "shapes")
        else:
            checks.check_shapes(shapes)
    except TurtleError as exc:
        raise BuildError(str(exc), 2) from None
    cached = checks.cached_shacl() if checks is not None else None
    if cached is None:
        try:
            report = validate([parsed.reference, *parsed.documents.values()], shapes, parsed.ontology,
                              subject_files=parsed.subject_files)
        except ShapesError as exc:
            raise BuildError(f"the shapes cannot be used: {exc}", 2) from None
        if checks is not None:
            checks.keep_shacl(report)
    return {"report": shacl_entry(cached or report), "reused": cached is not None,
            "seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}


def check(settings: Settings, files: list[Path] | None = None) -> Answer:
    """Every check of ``validate`` over the settings' root (or over a maintainer's own ``files``),
    answered from the check cache in the settings' cache folder where the inputs are unchanged."""
    return run_checks(find_inputs(settings.root_path), files or (), settings.cache_path)


def watched_state(root: Path, files: list[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every input file (and of ``files``): what `validate --watch` polls."""
    try:
        paths = [*find_inputs(root).all_files(), *files]
    except BuildError:
        paths = list(files)
    state = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        state[str(path)] = (info.st_mtime_ns, info.st_size)
    return state
