"""kennisgraaf.build.validate: findings, messages, file:line of the focus node, the report formats, loading shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from kennisgraaf.build.rdfio import TurtleError
from kennisgraaf.build.turtlelines import find_line
from kennisgraaf.build.validate import Report, load_shapes, validate
from kennisgraaf.vocab import SH

ONTOLOGY = """
@prefix kg: <https://w3id.org/kennisgraaf/def#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:Document a owl:Class .
kg:Letter a owl:Class ; rdfs:subClassOf kg:Document .
kg:Agent a owl:Class .
kg:sender a owl:ObjectProperty .
"""

SHAPES = """
@prefix kg: <https://w3id.org/kennisgraaf/def#> .
@prefix kgsh: <https://w3id.org/kennisgraaf/def/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/kennisgraaf/def/shapes/test> a owl:Ontology ;
    sh:declare [ sh:prefix "kg" ; sh:namespace "https://w3id.org/kennisgraaf/def#"^^xsd:anyURI ] .

kgsh:Document a sh:NodeShape ;
    sh:targetClass kg:Document ;
    sh:severity sh:Violation ;
    sh:property kgsh:Document-sender , kgsh:Document-label , kgsh:Document-title ;
    sh:sparql kgsh:NoSelfSender .

kgsh:Document-sender a sh:PropertyShape ;
    sh:path kg:sender ; sh:minCount 1 ; sh:class kg:Agent ; sh:severity sh:Violation ;
    sh:message "Een document heeft een afzender."@nl , "A document has a sender."@en .

kgsh:Document-label a sh:PropertyShape ;
    sh:path rdfs:label ; sh:minCount 1 ; sh:severity sh:Warning ;
    sh:message "Een document heeft een label."@nl , "A document has a label."@en .

kgsh:Document-title a sh:PropertyShape ;
    sh:path kg:title ; sh:maxCount 1 ; sh:severity sh:Violation .

kgsh:NoSelfSender a sh:SPARQLConstraint ;
    sh:message "{$this} verstuurt zichzelf."@nl , "{$this} sends itself."@en ;
    sh:prefixes <https://w3id.org/kennisgraaf/def/shapes/test> ;
    sh:select "SELECT $this ?value WHERE { $this kg:sender ?value . FILTER (?value = $this) }" .
"""

DATA = """@base <https://w3id.org/kennisgraaf/> .
@prefix kg: <https://w3id.org/kennisgraaf/def#> .
@prefix doc: <https://w3id.org/kennisgraaf/id/document/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

# <id/document/a> is mentioned in this comment first; the finding must point at its statement.
<id/agent/x> a kg:Agent .

<id/document/a> a kg:Letter ;
    rdfs:label "A" .

doc:b a kg:Document ;
    kg:sender <id/agent/x> .

<https://w3id.org/kennisgraaf/id/document/c> a kg:Document ;
    kg:sender <id/document/c> ;
    kg:title "een" , "twee" ;
    rdfs:label "C" .
"""

A = "https://w3id.org/kennisgraaf/id/document/a"
B = "https://w3id.org/kennisgraaf/id/document/b"
C = "https://w3id.org/kennisgraaf/id/document/c"
SHAPE = "https://w3id.org/kennisgraaf/def/shapes#"


@pytest.fixture
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "data.ttl"
    path.write_text(DATA, encoding="utf-8")
    return path


@pytest.fixture
def report(data_file: Path) -> Report:
    data = Graph().parse(data_file, format="turtle")
    files = {str(s): data_file for s in data.subjects()}
    return validate(data, Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=ONTOLOGY, format="turtle"),
                    subject_files=files)


def by_shape(report: Report, focus: str) -> dict[str, object]:
    return {f.shape.removeprefix(SHAPE): f for f in report.findings if f.focus == focus}


def test_findings_name_focus_shape_path_and_both_messages(report):
    found = by_shape(report, A)
    sender = found["Document-sender"]
    assert sender.severity == "Violation"
    assert sender.path == "https://w3id.org/kennisgraaf/def#sender"
    assert sender.value is None
    assert (sender.message_nl, sender.message_en) == ("Een document heeft een afzender.", "A document has a sender.")
    assert set(found) == {"Document-sender"}  # subclass kg:Letter is targeted through the ontology


def test_a_class_constraint_follows_the_types_of_the_data(report):
    wrong = by_shape(report, C)["Document-sender"]
    assert wrong.value == C  # a document is not a kg:Agent
    assert "Document-sender" not in by_shape(report, B)


def test_a_sparql_constraint_is_named_and_its_messages_keep_their_language(report):
    finding = by_shape(report, C)["NoSelfSender"]
    assert finding.path is None
    assert finding.message_nl == f"{C} verstuurt zichzelf."
    assert finding.message_en == f"{C} sends itself."


def test_without_a_declared_message_both_languages_get_pyshacls_message(report):
    finding = by_shape(report, C)["Document-title"]
    assert finding.message_nl == finding.message_en
    assert finding.message_nl.startswith(f"More than 1 values on <{C}>")


def test_warnings_do_not_break_conformance():
    data = Graph().parse(data="""@prefix kg: <https://w3id.org/kennisgraaf/def#> .
        <https://w3id.org/kennisgraaf/id/document/d> a kg:Letter ; kg:sender <https://w3id.org/kennisgraaf/id/agent/x> .
        <https://w3id.org/kennisgraaf/id/agent/x> a kg:Agent .""", format="turtle")
    report = validate(data, Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=ONTOLOGY, format="turtle"))
    assert [(f.shape.removeprefix(SHAPE), f.severity) for f in report.findings] == [("Document-label", "Warning")]
    assert report.conforms
    assert report.violations == ()
    assert len(report.warnings) == 1


def test_violations_break_conformance(report):
    assert not report.conforms
    assert {f.severity for f in report.violations} == {"Violation"}
    assert {f.shape.removeprefix(SHAPE) for f in report.warnings} == {"Document-label"}


def test_the_line_is_where_the_focus_node_is_stated_whatever_the_iri_form(report, data_file):
    lines = DATA.splitlines()
    for focus, written in ((A, "<id/document/a> a kg:Letter"), (B, "doc:b a"),
                           (C, "<https://w3id.org/kennisgraaf/id/document/c> a")):
        finding = next(f for f in report.findings if f.focus == focus)
        assert finding.source_file == str(data_file)
        assert lines[finding.line - 1].startswith(written)


def test_find_line_forms_and_misses():
    lines = ["@prefix ex: <http://example.org/ns#> .", "@base <http://example.org/> .", "",
             "ex:thing ex:p ex:other .", "<a/b> ex:p ex:thing .", "ex:other ex:p <a/b> ."]
    assert find_line(lines, "http://example.org/ns#thing") == 4
    assert find_line(lines, "http://example.org/ns#other") == 6  # subject position beats an earlier object
    assert find_line(lines, "http://example.org/a/b") == 5
    assert find_line(lines, "http://example.org/ns#thin") is None  # no prefix match on a longer name
    assert find_line(lines, "http://example.org/nowhere") is None


def test_text_report_groups_findings_by_focus_with_file_and_line(report, data_file):
    text = report.to_text()
    lines = text.splitlines()
    assert lines[0].startswith("SHACL: data does not conform: ")
    line = DATA.splitlines().index("<https://w3id.org/kennisgraaf/id/document/c> a kg:Document ;") + 1
    header = f"{C}  ({data_file}:{line})"
    assert text.count(C + "  (") == 1  # one group per focus node
    start = lines.index(header)
    group = lines[start + 1:lines.index("", start)]
    assert [g.strip() for g in group if g.startswith("  ") and not g.startswith("    ")] == [
        f"Violation: {SHAPE}Document-sender", f"Violation: {SHAPE}Document-title", f"Violation: {SHAPE}NoSelfSender"]
    assert f"    nl: {C} verstuurt zichzelf." in group
    assert f"    en: {C} sends itself." in group
    assert "    path: https://w3id.org/kennisgraaf/def#sender" in group
    assert f"    value: {C}" in group


def test_json_report_lists_every_finding(report):
    body = json.loads(report.to_json())
    assert body["conforms"] is False
    assert body["violations"] == len(report.violations)
    assert body["warnings"] == len(report.warnings)
    assert len(body["findings"]) == len(report.findings)
    first = body["findings"][0]
    assert set(first) == {"focus", "path", "value", "severity", "shape", "message_nl", "message_en",
                          "source_file", "line"}


def test_turtle_report_is_the_shacl_validation_report(report):
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    assert len(list(graph.subjects(RDF.type, SH.ValidationReport))) == 1
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) >= len(report.findings)


def test_a_blank_node_focus_has_no_file():
    data = Graph().parse(data="@prefix kg: <https://w3id.org/kennisgraaf/def#> . [] a kg:Document .", format="turtle")
    report = validate(data, Graph().parse(data=SHAPES, format="turtle"), Graph().parse(data=ONTOLOGY, format="turtle"),
                      subject_files={})
    assert report.findings
    assert all(f.focus.startswith("_:") and f.source_file is None and f.line is None for f in report.findings)


def test_load_shapes_names_file_and_line_of_a_syntax_error(tmp_path):
    (tmp_path / "a.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / "b.ttl").write_text('@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<x> sh:name "open .\n',
                                    encoding="utf-8")
    with pytest.raises(TurtleError) as caught:
        load_shapes(tmp_path)
    assert f"{tmp_path / 'b.ttl'}:3:" in str(caught.value)


def test_load_shapes_refuses_shapes_pyshacl_cannot_use(tmp_path):
    broken = SHAPES.replace("WHERE {", "WHERE { VALUES ?x { 1 }")
    (tmp_path / "a.ttl").write_text(broken, encoding="utf-8")
    with pytest.raises(TurtleError) as caught:
        load_shapes(tmp_path)
    assert str(tmp_path) in str(caught.value)
    assert "VALUES" in str(caught.value)


def test_load_shapes_merges_every_file(tmp_path):
    (tmp_path / "a.ttl").write_text(SHAPES, encoding="utf-8")
    (tmp_path / "b.ttl").write_text("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        @prefix kgsh: <https://w3id.org/kennisgraaf/def/shapes#> .
        kgsh:Extra a sh:NodeShape .""", encoding="utf-8")
    graph = load_shapes(tmp_path)
    names = {str(s).removeprefix(SHAPE) for s in graph.subjects(RDF.type, SH.NodeShape)}
    assert names == {"Document", "Extra"}
