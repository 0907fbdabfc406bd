"""validate: every check in one run, each answered from a cache while its inputs are unchanged.

The checks and what each one depends on (its cache key, besides the source of the build modules):

- the whole run: every input file (role, path, bytes) → the whole report;
- parsing one Turtle file: that file;
- kg: terms of one data file: that file and the ontology;
- quotes of one document file: that file, the reference data (which names the source files),
  the source texts and the ontology (which classes are documents);
- that pyshacl can use the shapes (a dry run): the shapes files;
- SHACL: every Turtle file. Not split per document: some shapes compare nodes of different
  files (kgsh:SourceTextUnique: two documents with one source text; warnings on reference nodes
  through inverse paths, such as 'a theme no document is about'), so a document's edit can change
  findings about nodes of other files (docs/maintaining.md).

So after editing one document file only its terms and quotes are checked again, plus SHACL;
after editing a source text only quotes; an unchanged working copy is answered from the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kennisgraaf import __version__
from kennisgraaf.build.evidence import check_quotes, source_files
from kennisgraaf.build.inputs import BuildError, Inputs, file_digest
from kennisgraaf.build.rdfio import TurtleError, read_turtle
from kennisgraaf.build.report import CHECKS, Finding, Report
from kennisgraaf.build.terms import declared_terms, undeclared_terms
from kennisgraaf.build.validate import ShapesError, merge, usable_shapes, validate
from kennisgraaf.vocab import DEFAULT_BASE, KG, KGSH

CHECKS_FORMAT = "1"
KEEP_PER_CHECK = 256  # cached results kept per check; older ones (by modification time) are removed


class CheckCache:
    """Check results as small JSON files under ``folder/<check>/<key>.json`` (none without a folder)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def get(self, check: str, key: str) -> Any | None:
        if self.folder is None:
            return None
        path = self.folder / check / f"{key}.json"
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # recently used: kept longest
        except (OSError, ValueError):
            return None
        return value

    def put(self, check: str, key: str, value: Any) -> None:
        if self.folder is None:
            return
        folder = self.folder / check
        folder.mkdir(parents=True, exist_ok=True)
        # Written to a temporary file and renamed: a reader never sees half a file.
        handle, tmp = tempfile.mkstemp(prefix=".", suffix=".json", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(value, out, ensure_ascii=False)
        os.replace(tmp, folder / f"{key}.json")
        entries = list(folder.glob("*.json"))
        if len(entries) > KEEP_PER_CHECK:
            entries.sort(key=lambda path: path.stat().st_mtime_ns)
            for old in entries[:-KEEP_PER_CHECK]:
                old.unlink(missing_ok=True)


@lru_cache(maxsize=1)
def code_signature() -> str:
    """SHA-256 over the source of the build modules: a changed check (in an editable install, where
    the version stays the same) never answers from results of the old code."""
    digest = hashlib.sha256(f"{CHECKS_FORMAT}|{__version__}".encode())
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def _key(*parts: str) -> str:
    digest = hashlib.sha256(code_signature().encode())
    for part in parts:
        digest.update(b"\0" + part.encode())
    return digest.hexdigest()[:32]


@dataclass
class Answer:
    """A validation report and how it was reached: what was checked again (nothing: all cached)."""

    report: Report
    rechecked: list[str] = field(default_factory=list)

    def how(self) -> str:
        if not self.rechecked:
            return "answered from the check cache (no input changed)"
        return "checked again: " + ", ".join(self.rechecked)


def parse_finding(error: TurtleError) -> Finding:
    """A Turtle file that does not parse, as a finding (exit code 2)."""
    where = f"{error.path}:{error.line}" if error.line else str(error.path)
    reason = str(error).removeprefix(f"{where}: ")
    return Finding(focus=Path(error.path).resolve().as_uri(), path=None, value=None, severity="Violation",
                   shape=CHECKS + "parse", message_nl=f"Turtle-syntaxfout: {reason}",
                   message_en=f"Turtle syntax error: {reason}", source_file=str(error.path), line=error.line,
                   kind="parse", detail=str(error))


class _Run:
    """The state of one validation run: file digests, parsed graphs, what was checked again."""

    def __init__(self, inputs: Inputs, own: list[Path], cache: CheckCache) -> None:
        self.inputs = inputs
        self.own = own
        self.cache = cache
        own_paths = {p.resolve() for p in own}
        own_names = {p.name for p in own}
        # An own file replaces the working copy's file of the same path, or the document file of the same name.
        self.reference = [p for p in inputs.reference if p.resolve() not in own_paths]
        self.documents = [p for p in inputs.documents if p.resolve() not in own_paths and p.name not in own_names]
        self.roles: list[tuple[str, Path]] = [
            *(("ontology", p) for p in inputs.ontology), *(("reference", p) for p in self.reference),
            *(("document", p) for p in self.documents), *(("own", p) for p in own),
            *(("shapes", p) for p in inputs.shapes), *(("source", p) for p in inputs.sources)]
        self.digests = {p: file_digest(p) for _role, p in self.roles}
        self.graphs: dict[Path, Graph | None] = {}
        self.parse_errors: dict[Path, Finding] = {}
        self.rechecked: list[str] = []
        self._ontology: Graph | None = None

    def ontology(self) -> Graph:
        """The ontology files as one graph (parsed once per run)."""
        if self._ontology is None:
            self._ontology = self.union(self.inputs.ontology)
        return self._ontology

    def signature(self, *roles: str) -> list[str]:
        return [f"{role}|{p}|{self.digests[p]}" for role, p in self.roles if role in roles]

    def file_signature(self, path: Path) -> str:
        return f"{path}|{self.digests[path]}"

    def graph(self, path: Path) -> Graph | None:
        """The parsed file, or None when it does not parse (the error is kept as a finding)."""
        if path not in self.graphs:
            try:
                self.graphs[path] = read_turtle(path)
            except TurtleError as exc:
                self.graphs[path] = None
                self.parse_errors[path] = parse_finding(exc)
        return self.graphs[path]

    def parse_status(self, path: Path) -> Finding | None:
        """The file's parse error, if any: from the cache, else by parsing it."""
        key = _key("parse", self.file_signature(path))
        cached = self.cache.get("parse", key)
        if cached is not None:
            return Finding(**cached["error"]) if cached["error"] else None
        self.graph(path)
        error = self.parse_errors.get(path)
        self.cache.put("parse", key, {"error": asdict(error) if error else None})
        return error

    def union(self, paths: Sequence[Path]) -> Graph:
        graph = Graph()
        for path in paths:
            parsed = self.graph(path)
            if parsed is not None:
                graph += parsed
        return graph


def run_checks(inputs: Inputs, own: Sequence[Path] = (), cache_dir: Path | None = None) -> Answer:
    """Run every check over the working copy (or over ``own`` data files, with the working copy's
    ontology, reference data, other documents and shapes) and return one report."""
    own = [Path(p) for p in own]
    for path in own:
        if not path.is_file():
            raise BuildError(f"{path}: no such file", 2)
    run = _Run(inputs, own, CheckCache(cache_dir / "checks" if cache_dir else None))
    whole_key = _key("whole", "own" if own else "root", *run.signature(*_ALL_ROLES))
    cached = run.cache.get("whole", whole_key)
    if cached is not None:
        findings = tuple(Finding(**f) for f in cached["findings"])
        return Answer(Report(findings, None, hidden=cached["hidden"], notes=tuple(cached["notes"]),
                             turtle=cached["turtle"]))
    report = _check(run)
    run.cache.put("whole", whole_key, {"findings": [asdict(f) for f in report.findings], "hidden": report.hidden,
                                       "notes": list(report.notes), "turtle": report.to_turtle()})
    return Answer(report, run.rechecked)


_ALL_ROLES = ("ontology", "reference", "document", "own", "shapes", "source")
_TURTLE_ROLES = ("ontology", "reference", "document", "own", "shapes")


def _check(run: _Run) -> Report:
    notes: list[str] = []
    turtle_files = [p for role, p in run.roles if role in _TURTLE_ROLES]
    errors = {p: e for p in turtle_files if (e := run.parse_status(p)) is not None}
    broken = {role for role, p in run.roles if p in errors}
    checked = run.own or [*run.reference, *run.documents]  # files whose terms are reported
    quoted = run.own or run.documents  # files whose quotes are reported
    extra: list[Finding] = list(errors.values())
    if "ontology" in broken:
        notes.append("terms, quotes and SHACL not checked: the ontology does not parse")
        return merge(None, extra, notes=notes)
    extra += _terms(run, [p for p in checked if p not in errors])
    if "reference" in broken:
        notes.append("quotes and SHACL not checked: the reference data does not parse")
        return merge(None, extra, notes=notes)
    extra += _quotes(run, [p for p in quoted if p not in errors])
    if "shapes" in broken:
        notes.append("SHACL not run: the shapes do not parse")
        return merge(None, extra, notes=notes)
    left_out = [p for p in [*run.documents, *run.own] if p in errors]
    if left_out:
        notes.append("SHACL ran without " + ", ".join(str(p) for p in left_out)
                     + " (does not parse): findings about what it states may be missing")
    try:
        shacl = _shacl(run)
    except (ShapesError, TurtleError) as exc:
        extra.append(Finding(focus=(run.inputs.root / "shapes").resolve().as_uri(), path=None, value=None,
                             severity="Violation", shape=CHECKS + "parse",
                             message_nl=f"de shapes zijn onbruikbaar: {exc}",
                             message_en=f"the shapes cannot be used: {exc}",
                             source_file=str(run.inputs.root / "shapes"), line=None, kind="parse"))
        return merge(None, extra, notes=notes)
    undeclared = {f.focus for f in extra if f.kind == "term"}
    return merge(shacl, extra, notes=notes,
                 covered=lambda f: f.shape == str(KGSH.DeclaredTerms) and f.value in undeclared)


def _terms(run: _Run, files: list[Path]) -> list[Finding]:
    ontology_signature = run.signature("ontology")
    findings: list[Finding] = []
    missed = 0
    for path in files:
        key = _key("terms", run.file_signature(path), *ontology_signature)
        cached = run.cache.get("terms", key)
        if cached is None:
            missed += 1
            found = undeclared_terms(run.graph(path) or Graph(), path, declared_terms(run.ontology()))
            cached = [asdict(f) for f in found]
            run.cache.put("terms", key, cached)
        findings += [Finding(**f) for f in cached]
    if missed:
        run.rechecked.append(f"terms ({missed} file(s))")
    return findings


def _quotes(run: _Run, files: list[Path]) -> list[Finding]:
    # In own-file mode an own file may add claims to a document of another file: the documents count too.
    context_roles = ("ontology", "reference", "source", "document") if run.own else ("ontology", "reference", "source")
    context_signature = run.signature(*context_roles)
    findings: list[Finding] = []
    missed: list[Path] = []
    for path in files:
        key = _key("quotes", run.file_signature(path), *context_signature)
        cached = run.cache.get("quotes", key)
        if cached is None:
            missed.append(path)
            continue
        findings += [Finding(**f) for f in cached]
    if not missed:
        return findings
    reference = run.union(run.reference)
    texts = source_files(reference, run.inputs.root / "data" / "bronnen")
    classes = set(run.ontology().transitive_subjects(RDFS.subClassOf, KG.Document))  # Document and its subclasses
    context = run.union(run.documents) if run.own else None
    for path in missed:
        graph = run.graph(path) or Graph()
        documents = {s for cls in classes for s in graph.subjects(RDF.type, cls)}
        if context is not None:
            documents |= {s for cls in classes for s in context.subjects(RDF.type, cls)}
        _locations, problems = check_quotes(graph, path, reference, texts, documents, DEFAULT_BASE, context)
        lines = path.read_text(encoding="utf-8").splitlines() if problems else []
        found = [problem.to_finding(lines) for problem in problems]
        run.cache.put("quotes", _key("quotes", run.file_signature(path), *context_signature),
                      [asdict(f) for f in found])
        findings += found
    run.rechecked.append(f"quotes ({len(missed)} file(s))")
    return findings


def _shacl(run: _Run) -> Report:
    shared = SharedChecks(run)
    cached = shared.cached_shacl()
    if cached is not None:
        return cached
    shapes = run.union(run.inputs.shapes)
    shared.check_shapes(shapes)
    data_files = [p for p in [*run.own, *run.reference, *run.documents] if run.graph(p) is not None]
    subject_files: dict[str, Path] = {}
    for path in data_files:  # own files first: a node they state is reported at their line
        for subject in run.graph(path).subjects():  # type: ignore[union-attr]
            subject_files.setdefault(str(subject), path)
    keep = set().union(*(set(run.graph(p).subjects()) for p in run.own)) if run.own else None  # type: ignore[union-attr]
    report = validate([run.graph(p) for p in data_files], shapes, run.ontology(),  # type: ignore[misc]
                      subject_files=subject_files, keep=keep)
    shared.keep_shacl(report)
    run.rechecked.append("SHACL (all data: a Turtle file changed)")
    return report


class SharedChecks:
    """The checks a build shares with ``validate`` through the check cache, under the same keys:
    that pyshacl can use the shapes (keyed by the shapes files) and the SHACL report of the whole
    working copy (keyed by every Turtle file). So after ``validate`` (the maintainer's loop) a
    ``build`` of the same files skips both, and after a build ``validate`` answers SHACL from the cache.
    """

    def __init__(self, run: _Run, *, reuse: bool = True) -> None:
        self.run = run
        self.reuse = reuse  # False (``build --force``): compute again, and record the fresh answers

    @classmethod
    def of(cls, inputs: Inputs, cache_dir: Path | None, *, reuse: bool = True) -> SharedChecks:
        """The shared checks of a whole working copy, cached under ``cache_dir/checks``."""
        return cls(_Run(inputs, [], CheckCache(cache_dir / "checks" if cache_dir else None)), reuse=reuse)

    def check_shapes(self, shapes: Graph) -> None:
        """Prove that pyshacl can use ``shapes`` (the dry run, 0.3 s), unless the cache already has."""
        key = _key("shapes", *self.run.signature("shapes"))
        if self.reuse and self.run.cache.get("shapes", key) is not None:
            return
        usable_shapes(shapes, self.run.inputs.root / "shapes")
        self.run.cache.put("shapes", key, {"usable": True})

    def _shacl_key(self) -> str:
        return _key("shacl", "own" if self.run.own else "root", *self.run.signature(*_TURTLE_ROLES))

    def cached_shacl(self) -> Report | None:
        """The SHACL report of these very Turtle files, if the cache has it."""
        cached = self.run.cache.get("shacl", self._shacl_key()) if self.reuse else None
        return shacl_report(cached) if cached is not None else None

    def keep_shacl(self, report: Report) -> None:
        """Record the SHACL report of these Turtle files."""
        self.run.cache.put("shacl", self._shacl_key(), shacl_entry(report))


def shacl_entry(report: Report) -> dict[str, Any]:
    """A SHACL report as JSON can carry it (the check cache; the build's SHACL process to its parent)."""
    assert report.report_graph is not None
    return {"findings": [asdict(f) for f in report.findings], "hidden": report.hidden,
            "graph": report.report_graph.serialize(format="nt")}


def shacl_report(entry: dict[str, Any]) -> Report:
    """The report :func:`shacl_entry` wrote down."""
    graph = Graph().parse(data=entry["graph"], format="nt")
    return Report(tuple(Finding(**f) for f in entry["findings"]), graph, hidden=entry["hidden"])
