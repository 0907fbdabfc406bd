"""SHACL validation: run pyshacl over data + ontology and turn its report into readable findings.

Each finding names the focus node, the shape that failed (a named property shape, a named
SPARQL constraint or a node shape), the shape's own message in Dutch and English, and the data
file and line that state the focus node. rdflib keeps no line numbers for triples, so the line is
found by searching the file for the way the IRI is written there (in full, relative to ``@base``,
or as a prefixed name); it is a best effort and ``None`` when not found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from kennisgraaf.build.onegraph import one_graph
from kennisgraaf.build.rdfio import TurtleError, read_turtle
from kennisgraaf.build.report import Finding, Report, _order, report_graph
from kennisgraaf.build.turtlelines import Locator
from kennisgraaf.vocab import SH

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query
    from rdflib.query import Result

# pyshacl and rdflib's SPARQL engine are imported where they are used: `validate` answered from
# the check cache needs neither, and importing them is a third of the command's start-up time.

# "none", not "rdfs": with RDFS the range axioms type every object of kg:sender as a kg:Agent, so
# sh:class checks could never fail; subclass targets work without it (see docs/shapes.md).
INFERENCE = "none"


def load_shapes(shapes_dir: Path) -> Graph:
    """Parse every ``*.ttl`` of ``shapes_dir`` into one graph and check that pyshacl can use it.

    A file that does not parse raises TurtleError with file and line; shapes that parse but that
    pyshacl refuses (a SPARQL constraint with VALUES, say) raise TurtleError naming the folder.
    """
    return usable_shapes(read_shapes(shapes_dir), shapes_dir)


def read_shapes(shapes_dir: Path) -> Graph:
    """Parse every ``*.ttl`` of ``shapes_dir`` into one graph (no check that pyshacl can use it)."""
    return one_graph(*(read_turtle(path) for path in sorted(shapes_dir.glob("*.ttl"))))


def usable_shapes(graph: Graph, where: Path) -> Graph:
    """Return ``graph`` once pyshacl has compiled every shape in it; raise TurtleError naming ``where``."""
    # A dry run compiles every shape and constraint: pyshacl builds a constraint only when a shape
    # has a focus node, so every node shape is applied to one made-up node. Its SPARQL constraints
    # are parsed here once, for the real run too (``_prepared``).
    node_shapes = list(graph.subjects(RDF.type, SH.NodeShape))
    if not node_shapes:
        return graph
    import pyshacl

    with _constraint_lookup_by_hash():
        _conforms, results, text = pyshacl.validate(
            one_graph(graph_class=_PreparedQueryGraph), shacl_graph=_for_pyshacl(graph),
            use_shapes=node_shapes, focus_nodes=[URIRef("urn:kennisgraaf:dry-run")])
    if not isinstance(results, Graph):
        raise TurtleError(where, None, f"pyshacl cannot use these shapes: {text.strip()}")
    return graph


def _for_pyshacl(shapes: Graph) -> Graph:
    """A copy of ``shapes`` on a :class:`OneGraphStore` for pyshacl, which adds triples to the shapes graph it
    is given (``owl:Class rdfs:subClassOf rdfs:Class``, …): the caller's graph stays the shapes as read, so
    ``shapes.nt`` does not depend on whether SHACL ran in the build's process or beside it."""
    return one_graph(shapes)


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


class _HashedList(list):
    """pyshacl's list of constraint parameters, with membership by hash instead of by scan.

    For every shape it evaluates (11,500 times on the real data, nested shapes included) pyshacl asks
    ``p in CONSTRAINT_PARAMETERS`` for each predicate of the shape: a scan of a 40-item list with
    rdflib's Python ``__eq__``, 2.3 million calls and a fifth of the SHACL run. Same items, same order.
    """

    def __init__(self, items: Iterable[Node]) -> None:
        super().__init__(items)
        self._members = frozenset(self)

    def __contains__(self, item: object) -> bool:
        return item in self._members


@contextmanager
def _constraint_lookup_by_hash() -> Iterator[None]:
    """Let pyshacl 0.40 look up constraint parameters in a set while this block runs.

    pyshacl keeps the list in a module attribute (``pyshacl.shape.CONSTRAINT_PARAMS``) that it fills
    on first use; this puts a :class:`_HashedList` there and restores what was there after. Should a
    later pyshacl lay this out differently, validation runs as it is (only slower).
    """
    try:
        from pyshacl import shape as shape_module
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:
        yield
        return
    before = shape_module.__dict__.get("CONSTRAINT_PARAMS")
    shape_module.CONSTRAINT_PARAMS = (_HashedList(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)
    try:
        yield
    finally:
        if before is None:
            del shape_module.CONSTRAINT_PARAMS
        else:
            shape_module.CONSTRAINT_PARAMS = before


@lru_cache(maxsize=256)
def _prepared(text: str, namespaces: tuple[tuple[str, str], ...], base: str | None) -> Query:
    from rdflib.plugins.sparql import prepareQuery

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


def validate(data: Graph | Sequence[Graph], shapes: Graph, ontology: Graph, *,
             subject_files: Mapping[str, Path] | None = None, keep: Container[Node] | None = None,
             fast: bool = True) -> Report:
    """Validate ``data`` (a graph, or graphs whose union is the data; with ``ontology`` mixed in)
    against ``shapes`` and return the findings.

    With ``keep``, only results whose focus node is in it are reported; the others are counted
    in ``Report.hidden`` (own-file mode: findings about files the maintainer did not give).
    ``fast=False`` runs pyshacl as it comes (rdflib's Memory store, its own parameter lookup): the
    oracle the tests compare the fast path with.
    """
    import pyshacl

    graphs = [data] if isinstance(data, Graph) else list(data)
    if fast:
        # The data copied once into a store without context bookkeeping (onegraph.py); the shapes too,
        # since pyshacl reads them for every nested shape it evaluates.
        work = one_graph(*graphs, graph_class=_PreparedQueryGraph)
        shapes_graph = _for_pyshacl(shapes)
        lookup: AbstractContextManager[None] = _constraint_lookup_by_hash()
    else:
        work = _PreparedQueryGraph()
        for graph in graphs:
            work += graph
        shapes_graph, lookup = _copy(shapes), nullcontext()
    with lookup:
        _conforms, results, text = pyshacl.validate(
            work,
            shacl_graph=shapes_graph,
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
    kept = {r for r in top if keep is None or results.value(r, SH.focusNode) in keep}
    by_result = {r: _finding(results, shapes, r, locator) for r in kept}
    findings = sorted(set(by_result.values()), key=_order)
    graph = report_graph([(results, r, f) for r, f in by_result.items()], [])
    return Report(tuple(findings), graph, hidden=len(top) - len(kept))


def merge(shacl: Report | None, extra: Iterable[Finding], *, hidden: int = 0, notes: Iterable[str] = (),
          covered: Callable[[Finding], bool] | None = None) -> Report:
    """One report of a SHACL report (or none: SHACL did not run) and the other checks' findings.

    SHACL findings for which ``covered`` is true are left out: another check reports the same
    problem with a better place (kg:DeclaredTerms on the ontology IRI vs. the term check's file:line).
    """
    extra = list(extra)
    dropped = {(f.focus, f.value, f.shape) for f in (shacl.findings if shacl else ()) if covered and covered(f)}
    findings = sorted({*(f for f in (shacl.findings if shacl else ()) if (f.focus, f.value, f.shape) not in dropped),
                       *extra}, key=_order)
    graph = Graph()
    if shacl is not None and shacl.report_graph is not None:
        for triple in shacl.report_graph:
            if triple[1] != SH.conforms and triple[2] != SH.ValidationReport and triple[1] != SH.result:
                graph.add(triple)
    top = [r for r in graph.subjects(RDF.type, SH.ValidationResult) if not set(graph.subjects(SH.detail, r))]
    kept = [r for r in top if _result_identity(graph, r) not in dropped]
    graph = report_graph([(graph, r, None) for r in kept], extra)
    return Report(tuple(findings), graph, hidden=hidden + (shacl.hidden if shacl else 0), notes=tuple(notes))


def _result_identity(graph: Graph, result: Node) -> tuple[str, str | None, str]:
    """(focus, value, shape) of a result, as a Finding writes them."""
    value = graph.value(result, SH.value)
    shape = _source_shape(graph, result)
    return (_term_text(graph.value(result, SH.focusNode)), _term_text(value) if value is not None else None,
            _term_text(shape) if shape is not None else "")



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
