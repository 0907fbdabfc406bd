"""Validation findings and how they are shown: the readable text, JSON and a SHACL report in Turtle.

build/validate.py runs pyshacl and turns its results into :class:`Finding`s; the other checks
(parse, quote, term) make findings of their own. This module holds what they share: the finding,
the report of one run, its formats, the order findings are shown in, and the report graph.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kennisgraaf.vocab import SH

SEVERITIES = ("Violation", "Warning", "Info")


# The checks that are not SHACL shapes name themselves with these IRIs in reports.
CHECKS = "https://w3id.org/kennisgraaf/def/checks#"
KIND_LABELS = {"parse": ("Turtle-syntaxfout", "Turtle syntax error"),
               "quote": ("citaat niet in de bron", "quote not in its source"),
               "term": ("term niet in de ontologie", "term not in the ontology"),
               "shacl": ("SHACL", "SHACL")}


@dataclass(frozen=True)
class Finding:
    """One validation result, ready to show to a maintainer.

    ``kind`` says which check found it: ``parse`` (a file that is not Turtle), ``quote`` (a quote
    not in its source text), ``term`` (a kg: term the ontology does not declare) or ``shacl``.
    ``detail`` holds extra lines, such as the nearest passage of a quote that was not found.
    """

    focus: str
    path: str | None
    value: str | None
    severity: str
    shape: str
    message_nl: str
    message_en: str
    source_file: str | None
    line: int | None
    kind: str = "shacl"
    detail: str | None = None

    def where(self) -> str:
        """``file:line`` (or just the file) that states the focus node, or an empty string."""
        if self.source_file is None:
            return ""
        return f"{self.source_file}:{self.line}" if self.line else self.source_file


@dataclass(frozen=True)
class Report:
    """All findings of one validation run, with the results as a SHACL validation report graph.

    ``hidden`` counts findings left out because they are about files the maintainer did not ask
    about (own-file mode); ``notes`` are lines for the reader (a check that could not run).
    """

    findings: tuple[Finding, ...]
    report_graph: Graph | None
    hidden: int = 0
    notes: tuple[str, ...] = ()
    turtle: str | None = None  # the Turtle report as cached, when there is no graph

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos are allowed)."""
        return not self.violations

    @property
    def unusable(self) -> bool:
        """True when some input file does not parse (exit code 2)."""
        return any(f.kind == "parse" for f in self.findings)

    def of_severity(self, severity: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    violations = property(lambda self: self.of_severity("Violation"))
    warnings = property(lambda self: self.of_severity("Warning"))
    infos = property(lambda self: self.of_severity("Info"))

    def counts_by_kind(self) -> dict[str, int]:
        return {kind: sum(1 for f in self.findings if f.kind == kind) for kind in KIND_LABELS}

    def summary(self) -> str:
        """One line: whether the data conforms, and how many findings of each severity."""
        state = "conforms" if self.conforms else "does not conform"
        return (f"validate: data {state}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                f"{len(self.infos)} info(s)")

    def to_text(self) -> str:
        """A readable report, grouped by file and by focus node (with its file:line), sorted by line."""
        counts = self.counts_by_kind()
        lines = [self.summary(),
                 "  " + ", ".join(f"{KIND_LABELS[k][1]}: {n}" for k, n in counts.items())]
        if self.hidden:
            lines.append(f"  {self.hidden} finding(s) about other files not shown (not counted)")
        lines += [f"  note: {note}" for note in self.notes]
        if self.findings:
            lines.append("")
        for source_file, groups in grouped(self.findings):
            lines.append(f"== {source_file or '(no file)'}")
            for focus, findings in groups:
                where = findings[0].where()
                lines.append(f"{focus}" + (f"  ({where})" if where else ""))
                for f in findings:
                    lines.append(f"  {f.severity}: {f.shape}")
                    lines.append(f"    nl: {f.message_nl}")
                    lines.append(f"    en: {f.message_en}")
                    if f.path is not None:
                        lines.append(f"    path: {f.path}")
                    if f.value is not None:
                        lines.append(f"    value: {f.value}")
                    if f.detail:
                        lines += [f"    {d}" for d in f.detail.splitlines()]
                lines.append("")  # a blank line after each focus node's findings
        return "\n".join(lines).rstrip("\n") + "\n"

    def to_json(self) -> str:
        """The findings as JSON: conformance, counts and one object per finding."""
        body = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "by_kind": self.counts_by_kind(),
            "hidden": self.hidden,
            "notes": list(self.notes),
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(body, ensure_ascii=False, indent=2)

    def to_turtle(self) -> str:
        """Every finding as a SHACL validation report (sh:ValidationReport) in Turtle."""
        if self.report_graph is None:
            return self.turtle or ""
        return self.report_graph.serialize(format="turtle")


def _severity_rank(f: Finding) -> int:
    return SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9


def grouped(findings: Iterable[Finding]) -> list[tuple[str | None, list[tuple[str, list[Finding]]]]]:
    """Findings by file (sorted by name, no file last), then by focus node (sorted by line)."""
    by_file: dict[str | None, dict[str, list[Finding]]] = {}
    for f in findings:
        by_file.setdefault(f.source_file, {}).setdefault(f.focus, []).append(f)

    def focus_key(item: tuple[str, list[Finding]]) -> tuple:
        focus, fs = item
        return (min(f.line or 0 for f in fs), focus)

    result = []
    for source_file in sorted(by_file, key=lambda name: (name is None, name or "")):
        groups = sorted(by_file[source_file].items(), key=focus_key)
        result.append((source_file, [(focus, sorted(fs, key=_order)) for focus, fs in groups]))
    return result


def report_graph(results: list[tuple[Graph, Node, Finding | None]], extra: list[Finding]) -> Graph:
    """A fresh sh:ValidationReport holding the given pyshacl results (with everything under them,
    and kgc:file/kgc:line where a finding knows them) and one result per finding of the other checks."""
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("kgc", CHECKS)
    report = BNode()
    graph.add((report, RDF.type, SH.ValidationReport))
    conforms = True
    for source, result, finding in results:
        graph.add((report, SH.result, result))
        _copy_tree(source, result, graph)
        if source.value(result, SH.resultSeverity) in (None, SH.Violation):
            conforms = False
        if finding is not None:
            _add_place(graph, result, finding)
    for finding in extra:
        result = BNode()
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        focus = BNode(finding.focus[2:]) if finding.focus.startswith("_:") else URIRef(finding.focus)
        graph.add((result, SH.focusNode, focus))
        graph.add((result, SH.resultSeverity, SH[finding.severity]))
        graph.add((result, SH.sourceShape, URIRef(finding.shape)))
        graph.add((result, SH.sourceConstraintComponent, URIRef(finding.shape)))
        graph.add((result, SH.resultMessage, Literal(finding.message_nl, lang="nl")))
        graph.add((result, SH.resultMessage, Literal(finding.message_en, lang="en")))
        if finding.path is not None:
            graph.add((result, SH.resultPath, URIRef(finding.path)))
        if finding.value is not None:
            graph.add((result, SH.value, Literal(finding.value)))
        _add_place(graph, result, finding)
        conforms = conforms and finding.severity != "Violation"
    graph.add((report, SH.conforms, Literal(conforms)))
    return graph


def _copy_tree(source: Graph, node: Node, target: Graph, seen: set[Node] | None = None) -> None:
    seen = seen if seen is not None else set()
    seen.add(node)
    for p, o in source.predicate_objects(node):
        target.add((node, p, o))
        if isinstance(o, BNode) and o not in seen:
            _copy_tree(source, o, target, seen)


def _add_place(graph: Graph, result: Node, finding: Finding) -> None:
    if finding.source_file is not None:
        graph.add((result, URIRef(CHECKS + "file"), Literal(finding.source_file)))
    if finding.line is not None:
        graph.add((result, URIRef(CHECKS + "line"), Literal(finding.line)))


def _order(f: Finding) -> tuple:
    return (f.focus, SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9, f.shape, f.path or "",
            f.value or "")

