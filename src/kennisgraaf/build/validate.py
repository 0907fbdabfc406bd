"""SHACL validation: run pyshacl over data + ontology and turn its report into readable findings.

Each finding names the focus node, the shape that failed (a named property shape, a named
SPARQL constraint or a node shape), the shape's own message in Dutch and English, and the data
file and line that state the focus node. rdflib keeps no line numbers for triples, so the line is
found by searching the file for the way the IRI is written there (in full, relative to ``@base``,
or as a prefixed name); it is a best effort and ``None`` when not found.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Result
from rdflib.term import Node

from kennisgraaf.build.rdfio import TurtleError, read_turtle
from kennisgraaf.build.turtlelines import Locator
from kennisgraaf.vocab import SH

# "none", not "rdfs": with RDFS the range axioms type every object of kg:sender as a kg:Agent, so
# sh:class checks could never fail; subclass targets work without it (see docs/shapes.md).
INFERENCE = "none"

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Finding:
    """One validation result, ready to show to a maintainer."""

    focus: str
    path: str | None
    value: str | None
    severity: str
    shape: str
    message_nl: str
    message_en: str
    source_file: str | None
    line: int | None

    def where(self) -> str:
        """``file:line`` (or just the file) that states the focus node, or an empty string."""
        if self.source_file is None:
            return ""
        return f"{self.source_file}:{self.line}" if self.line else self.source_file


@dataclass(frozen=True)
class Report:
    """All findings of one validation run, with pyshacl's own results graph."""

    findings: tuple[Finding, ...]
    report_graph: Graph

    @property
    def conforms(self) -> bool:
        """True when there is no violation (warnings and infos are allowed)."""
        return not self.violations

    def of_severity(self, severity: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == severity)

    violations = property(lambda self: self.of_severity("Violation"))
    warnings = property(lambda self: self.of_severity("Warning"))
    infos = property(lambda self: self.of_severity("Info"))

    def summary(self) -> str:
        """One line: whether the data conforms, and how many findings of each severity."""
        state = "conforms" if self.conforms else "does not conform"
        return (f"SHACL: data {state}: {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                f"{len(self.infos)} info(s)")

    def to_text(self) -> str:
        """A readable report, grouped by focus node (with its file:line), most severe first."""
        lines = [self.summary()]
        for focus, findings in _grouped(self.findings):
            where = findings[0].where()
            lines.append("")
            lines.append(f"{focus}" + (f"  ({where})" if where else ""))
            for f in findings:
                lines.append(f"  {f.severity}: {f.shape}")
                lines.append(f"    nl: {f.message_nl}")
                lines.append(f"    en: {f.message_en}")
                if f.path is not None:
                    lines.append(f"    path: {f.path}")
                if f.value is not None:
                    lines.append(f"    value: {f.value}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        """The findings as JSON: conformance, counts and one object per finding."""
        body = {
            "conforms": self.conforms,
            "violations": len(self.violations),
            "warnings": len(self.warnings),
            "infos": len(self.infos),
            "findings": [asdict(f) for f in self.findings],
        }
        return json.dumps(body, ensure_ascii=False, indent=2)

    def to_turtle(self) -> str:
        """pyshacl's results graph (sh:ValidationReport) as Turtle."""
        return self.report_graph.serialize(format="turtle")


def _grouped(findings: Iterable[Finding]) -> list[tuple[str, list[Finding]]]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.focus, []).append(f)

    def key(item: tuple[str, list[Finding]]) -> tuple:
        focus, fs = item
        worst = min(SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9 for f in fs)
        return (worst, fs[0].source_file or "~", fs[0].line or 0, focus)

    return sorted(groups.items(), key=key)


def load_shapes(shapes_dir: Path) -> Graph:
    """Parse every ``*.ttl`` of ``shapes_dir`` into one graph and check that pyshacl can use it.

    A file that does not parse raises TurtleError with file and line; shapes that parse but that
    pyshacl refuses (a SPARQL constraint with VALUES, say) raise TurtleError naming the folder.
    """
    graph = Graph()
    for path in sorted(shapes_dir.glob("*.ttl")):
        graph += read_turtle(path)
    # A dry run compiles every shape and constraint: pyshacl builds a constraint only when a shape
    # has a focus node, so every node shape is applied to one made-up node (about 0.5 s).
    node_shapes = list(graph.subjects(RDF.type, SH.NodeShape))
    if not node_shapes:
        return graph
    _conforms, results, text = pyshacl.validate(Graph(), shacl_graph=graph, use_shapes=node_shapes,
                                                focus_nodes=[URIRef("urn:kennisgraaf:dry-run")])
    if not isinstance(results, Graph):
        raise TurtleError(shapes_dir, None, f"pyshacl cannot use these shapes: {text.strip()}")
    return graph


@lru_cache(maxsize=256)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...], base: str | None) -> Query:
    return prepareQuery(text, initNs=dict(namespaces), base=base)


class _PreparedQueryGraph(Graph):
    """A graph that parses each SPARQL text once.

    pyshacl sends the same SHACL-SPARQL query text for every focus node and every run, and
    rdflib parses the text again each time (pyparsing: ~70 ms a parse, most of a validation run);
    a prepared query can be evaluated again with other initial bindings.
    """

    def query(self, query_object, processor="sparql", result="sparql", initNs=None,  # noqa: N803
              initBindings=None, use_store_provided=True, **kwargs) -> Result:  # noqa: N803
        if isinstance(query_object, str) and processor == "sparql":
            namespaces = tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items()))
            query_object = _prepared(query_object, namespaces, kwargs.get("base"))
        return super().query(query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs)


class ShapesError(ValueError):
    """Shapes that pyshacl cannot use (for example a SPARQL constraint it refuses)."""


def validate(data: Graph, shapes: Graph, ontology: Graph, *,
             subject_files: Mapping[str, Path] | None = None) -> Report:
    """Validate ``data`` (with ``ontology`` mixed in) against ``shapes`` and return the findings."""
    work = _PreparedQueryGraph()
    work += data
    _conforms, results, text = pyshacl.validate(
        work,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=INFERENCE,
        inplace=True,  # ``work`` is our own copy; the ontology is mixed into it
        advanced=False,
        allow_infos=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(results, Graph):
        raise ShapesError(f"pyshacl cannot use the shapes: {text}")
    locator = Locator(subject_files or {})
    # Only the report's own results: nested results (sh:detail, e.g. under sh:node) explain those.
    top = {r for report in results.subjects(RDF.type, SH.ValidationReport) for r in results.objects(report, SH.result)}
    findings = sorted({_finding(results, shapes, r, locator) for r in top}, key=_order)
    return Report(tuple(findings), results)


def _order(f: Finding) -> tuple:
    return (f.focus, SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9, f.shape, f.path or "",
            f.value or "")


def _finding(results: Graph, shapes: Graph, result: Node, locator: Locator) -> Finding:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    shape = _source_shape(results, result)
    nl, en = _messages(results, shapes, result, shape)
    focus_text = _term_text(focus)
    source_file, line = locator.locate(focus_text) if isinstance(focus, URIRef) else (None, None)
    return Finding(
        focus=focus_text,
        path=_path_text(results, path) if path is not None else None,
        value=_term_text(value) if value is not None else None,
        severity=str(severity).rsplit("#", 1)[-1] if severity is not None else "Violation",
        shape=_term_text(shape) if shape is not None else "",
        message_nl=nl,
        message_en=en,
        source_file=source_file,
        line=line,
    )


def _source_shape(results: Graph, result: Node) -> Node | None:
    """The named SPARQL constraint if the result comes from one, otherwise the source shape."""
    constraint = results.value(result, SH.sourceConstraint)
    if isinstance(constraint, URIRef):
        return constraint
    return results.value(result, SH.sourceShape)


def _messages(results: Graph, shapes: Graph, result: Node, shape: Node | None) -> tuple[str, str]:
    """The shape's nl and en message, as pyshacl reported it (placeholders filled in) where it did.

    pyshacl keeps the language tag of a property shape's messages but drops it when it fills in
    the {$this}/{?var} placeholders of a SPARQL constraint's messages; those reported messages are
    matched back to the declared ones. Without a declared message, pyshacl's own message is used.
    """
    reported = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    declared = [m for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)] if shape is not None else []

    def pick(lang: str) -> str | None:
        for message in reported:
            if message.language == lang:
                return str(message)
        for message in declared:
            if message.language == lang:
                template = _template(str(message))
                for candidate in reported:
                    if candidate.language is None and template.fullmatch(str(candidate)):
                        return str(candidate)
                return str(message)
        return None

    fallback = str(reported[0]) if reported else (str(declared[0]) if declared else "")
    return pick("nl") or fallback, pick("en") or fallback


_PLACEHOLDER = re.compile(r"\{[$?][A-Za-z_][A-Za-z0-9_]*\}")


def _template(message: str) -> re.Pattern[str]:
    """A pattern that matches ``message`` with any text in place of its {$this}/{?var} placeholders."""
    parts = _PLACEHOLDER.split(message)
    return re.compile("(?s)" + ".*?".join(re.escape(part) for part in parts))


def _term_text(term: Node) -> str:
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _path_text(graph: Graph, path: Node) -> str:
    """An IRI path as its IRI; a complex path in SPARQL property-path syntax."""
    if isinstance(path, URIRef):
        return str(path)
    inverse = graph.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _path_part(graph, inverse)
    alternatives = graph.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path_part(graph, p) for p in graph.items(alternatives))
    for op, suffix in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
        inner = graph.value(path, op)
        if inner is not None:
            return _path_part(graph, inner) + suffix
    items = list(graph.items(path))
    if items:
        return "/".join(_path_part(graph, p) for p in items)
    return _term_text(path)


def _path_part(graph: Graph, path: Node) -> str:
    text = _path_text(graph, path)
    return f"<{text}>" if isinstance(path, URIRef) else f"({text})"
