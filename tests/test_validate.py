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


def test_text_report_groups_findings_by_file_and_focus_with_file_and_line(report, data_file):
    text = report.to_text()
    lines = text.splitlines()
    assert lines[0].startswith("validate: data does not conform: ")
    assert f"== {data_file}" in lines
    line = DATA.splitlines().index("<https://w3id.org/kennisgraaf/id/document/c> a kg:Document ;") + 1
    header = f"{C}  ({data_file}:{line})"
    assert text.count(C + "  (") == 1  # one group per focus node
    start = lines.index(header)
    group = lines[start + 1:lines.index("", start) if "" in lines[start:] else len(lines)]
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
                          "source_file", "line", "kind", "detail"}
    assert body["by_kind"] == {"parse": 0, "quote": 0, "term": 0, "shacl": len(report.findings)}


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


# -- one run over a working copy: every check, the check cache, own-file mode --------------------

MADE_UP = "Drenthe schaft alle sociale taken per direct af."
SWN_QUOTE = "De kabinetsformatie is nog in volle gang"  # in 004_…txt as 'De kabinetsformatie is nog in volle gang,'


@pytest.fixture(scope="module")
def broken_copy(tmp_path_factory) -> Path:
    """A working copy with one mistake of each kind: a parse error, a misspelled term, a made-up
    quote and a quote with two letters too many."""
    import shutil

    from kennisgraaf.config import bundled_root

    root = tmp_path_factory.mktemp("broken") / "copy"
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(bundled_root() / name, root / name)
    documents = root / "data" / "documenten"
    alleato = documents / "alleato-2010-kerntaken.ttl"
    alleato.write_text(alleato.read_text(encoding="utf-8") + "\nnope:a nope:b nope:c .\n", encoding="utf-8")
    drenthe = documents / "drenthe-2010-pns.ttl"
    text = drenthe.read_text(encoding="utf-8")
    text = text.replace('    kg:quote "Assen, 14 januari 2010"@nl', '    kg:quot "Assen, 14 januari 2010"@nl', 1)
    text += f'\n<https://w3id.org/kennisgraaf/id/document/drenthe-2010-pns> kg:quote "{MADE_UP}"@nl .\n'
    drenthe.write_text(text, encoding="utf-8")
    swn = documents / "swn-2017-gemeenten.ttl"
    swn.write_text(swn.read_text(encoding="utf-8").replace(f'"{SWN_QUOTE}"', f'"XX{SWN_QUOTE}"', 1), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def whole_run(broken_copy, tmp_path_factory):
    from kennisgraaf.build.checkrun import run_checks
    from kennisgraaf.build.inputs import find_inputs

    cache = tmp_path_factory.mktemp("checks")
    return run_checks(find_inputs(broken_copy), cache_dir=cache), cache


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_one_run_reports_every_parse_error_quote_term_and_shacl_finding(whole_run, broken_copy):
    answer, _cache = whole_run
    report = answer.report
    documents = broken_copy / "data" / "documenten"
    kinds = {f.kind for f in report.findings}
    assert {"parse", "quote", "term"} <= kinds
    assert report.unusable  # a file that does not parse: exit code 2

    parse = next(f for f in report.findings if f.kind == "parse")
    alleato = documents / "alleato-2010-kerntaken.ttl"
    assert (parse.source_file, parse.line) == (str(alleato), _line_of(alleato, "nope:a"))
    assert "nope" in parse.message_en

    drenthe = documents / "drenthe-2010-pns.ttl"
    term = next(f for f in report.findings if f.kind == "term")
    assert term.focus == "https://w3id.org/kennisgraaf/def#quot"
    assert (term.source_file, term.line) == (str(drenthe), _line_of(drenthe, 'kg:quot "Assen'))
    assert "kg:quote?" in term.message_en
    # The shape that finds the same term on the ontology IRI, without a place, is left out.
    assert not [f for f in report.findings if f.shape.endswith("#DeclaredTerms")]

    quotes = {f.value: f for f in report.findings if f.kind == "quote"}
    assert set(quotes) == {MADE_UP, "XX" + SWN_QUOTE}
    made_up = quotes[MADE_UP]
    assert (made_up.source_file, made_up.line) == (str(drenthe), _line_of(drenthe, MADE_UP))
    assert made_up.focus == "https://w3id.org/kennisgraaf/id/document/drenthe-2010-pns"
    swn = documents / "swn-2017-gemeenten.ttl"
    near = quotes["XX" + SWN_QUOTE]
    assert (near.source_file, near.line) == (str(swn), _line_of(swn, "XX" + SWN_QUOTE))
    source = broken_copy / "data" / "bronnen" / "004_b7e651edca1d64fc.txt"
    assert f"source: {source}" in near.detail
    line = _line_of(source, SWN_QUOTE)
    assert f"nearest passage (004_b7e651edca1d64fc.txt:{line}, " in near.detail
    assert "[-XXDe-] {+De+} kabinetsformatie is nog in volle" in near.detail


def test_the_report_is_grouped_by_file_sorted_and_the_same_in_every_format(whole_run):
    report = whole_run[0].report
    text = report.to_text()
    headers = [line[3:] for line in text.splitlines() if line.startswith("== ")]
    assert headers == sorted(headers)
    assert len(headers) == len({f.source_file for f in report.findings})
    body = json.loads(report.to_json())
    assert len(body["findings"]) == len(report.findings)
    assert body["by_kind"]["parse"] == 1 and body["by_kind"]["term"] == 1 and body["by_kind"]["quote"] == 2
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    assert len(list(graph.subjects(RDF.type, SH.ValidationResult))) >= len(report.findings)
    assert any(str(o) == "https://w3id.org/kennisgraaf/def/checks#quote" for o in graph.objects(None, SH.sourceShape))


def test_an_unchanged_copy_is_answered_from_the_cache_and_an_edit_rechecks_only_what_it_can_affect(
        whole_run, broken_copy):
    import time

    from kennisgraaf.build.checkrun import run_checks
    from kennisgraaf.build.inputs import find_inputs

    first, cache = whole_run
    assert first.rechecked  # the first run checked everything
    started = time.perf_counter()
    again = run_checks(find_inputs(broken_copy), cache_dir=cache)
    assert time.perf_counter() - started < 1.0
    assert again.rechecked == []
    assert again.report.findings == first.report.findings
    assert again.report.to_turtle() == first.report.to_turtle()

    # A source text changed: only quotes are checked again (the SHACL result is reused).
    source = broken_copy / "data" / "bronnen" / "004_b7e651edca1d64fc.txt"
    source.write_bytes(source.read_bytes().replace(b"De kabinetsformatie", b"XXDe kabinetsformatie", 1))
    after_source = run_checks(find_inputs(broken_copy), cache_dir=cache)
    assert after_source.rechecked == ["quotes (4 file(s))"]  # the fifth document does not parse
    assert {f.value for f in after_source.report.findings if f.kind == "quote"} == {MADE_UP}

    # One document changed: its terms and quotes, and SHACL over all data.
    swn = broken_copy / "data" / "documenten" / "swn-2017-gemeenten.ttl"
    swn.write_text(swn.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    after_edit = run_checks(find_inputs(broken_copy), cache_dir=cache)
    assert after_edit.rechecked == [
        "terms (1 file(s))", "quotes (1 file(s))", "SHACL (all data: a Turtle file changed)"]


def test_own_file_mode_reports_findings_about_the_given_files_only(tmp_path):
    from kennisgraaf.build.checkrun import run_checks
    from kennisgraaf.build.inputs import find_inputs
    from kennisgraaf.config import bundled_root

    own = tmp_path / "mijn-feiten.ttl"
    own.write_text(
        "@prefix kg: <https://w3id.org/kennisgraaf/def#> .\n"
        "@base <https://w3id.org/kennisgraaf/> .\n\n"
        "<id/cijfer/zonder-eenheid> a kg:Figure ;\n"
        "    kg:statedIn <id/document/drenthe-2010-pns> ;\n"
        '    kg:quote "Assen, 14 januari 2010"@nl ;\n'
        "    kg:value 12 .\n",
        encoding="utf-8",
    )
    report = run_checks(find_inputs(bundled_root()), [own], cache_dir=tmp_path / "cache").report
    assert report.violations
    assert {f.source_file for f in report.findings} == {str(own)}
    assert {f.focus for f in report.findings} == {"https://w3id.org/kennisgraaf/id/cijfer/zonder-eenheid"}
    # The quote is checked against the source text of the document another file states.
    assert not [f for f in report.findings if f.kind == "quote"]
    # The bundled documents are loaded too, so the bundled data gives no finding to hide.
    assert report.hidden == 0


def test_an_own_copy_of_a_document_replaces_it_and_only_its_findings_count(tmp_path):
    from kennisgraaf.build.checkrun import run_checks
    from kennisgraaf.build.inputs import find_inputs
    from kennisgraaf.config import bundled_root

    bundled = bundled_root() / "data" / "documenten" / "swn-2017-gemeenten.ttl"
    own = tmp_path / bundled.name  # same name: it stands in for the bundled file
    own.write_text(bundled.read_text(encoding="utf-8").replace(f'"{SWN_QUOTE}"', f'"XX{SWN_QUOTE}"', 1),
                   encoding="utf-8")
    report = run_checks(find_inputs(bundled_root()), [own], cache_dir=tmp_path / "cache").report
    # Not a second statement of the same document (kgsh:SourceTextUnique): only the changed quote.
    assert [(f.kind, f.value) for f in report.findings] == [("quote", "XX" + SWN_QUOTE)]
    assert report.findings[0].source_file == str(own)
    assert report.hidden == 0


def test_shapes_that_do_not_parse_are_unusable_input_and_the_other_checks_still_run(tmp_path):
    import shutil

    from kennisgraaf.build.checkrun import run_checks
    from kennisgraaf.build.inputs import find_inputs
    from kennisgraaf.config import bundled_root

    root = tmp_path / "copy"
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(bundled_root() / name, root / name)
    shapes = root / "shapes" / "recommended.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + '\nkgsh:X sh:name "open .\n', encoding="utf-8")
    swn = root / "data" / "documenten" / "swn-2017-gemeenten.ttl"
    swn.write_text(swn.read_text(encoding="utf-8").replace(f'"{SWN_QUOTE}"', f'"XX{SWN_QUOTE}"', 1), encoding="utf-8")
    answer = run_checks(find_inputs(root), cache_dir=tmp_path / "cache")
    report = answer.report
    assert report.unusable
    assert [f.source_file for f in report.findings if f.kind == "parse"] == [str(shapes)]
    assert [f.value for f in report.findings if f.kind == "quote"] == ["XX" + SWN_QUOTE]
    assert not [f for f in report.findings if f.kind == "shacl"]
    assert report.notes == ("SHACL not run: the shapes do not parse",)
    assert "  note: SHACL not run: the shapes do not parse" in report.to_text()
