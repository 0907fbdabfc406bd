"""The SHACL shapes: well formed, complete, declared, and each one caught by a fixture that breaks it.

Every named property shape, named SPARQL constraint and node shape with a constraint of its own
has a file ``tests/fixtures/violations/<LocalName>.ttl``. Validated together with ``_context.ttl``
(which on its own has no finding at all) against the real ontology and shapes, that file must give
findings naming exactly that shape, with its Dutch and English message.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kennisgraaf.build.rdfio import read_turtle
from kennisgraaf.build.validate import Report, load_shapes, validate
from kennisgraaf.vocab import KG, KGSH, SH

REPO = Path(__file__).resolve().parent.parent
SHAPES_DIR = REPO / "shapes"
FIXTURES = REPO / "tests" / "fixtures" / "violations"
CONTEXT = FIXTURES / "_context.ttl"
EXAMPLE = FIXTURES / "_example.ttl"
FIXTURE_FILES = sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))

# Node-level constraint parameters: a node shape with one of these can be violated on its own.
NODE_CONSTRAINTS = (SH["in"], SH["or"], SH["and"], SH["not"], SH["xone"], SH["class"], SH.node, SH.datatype,
                    SH.nodeKind, SH.pattern, SH.hasValue, SH.closed)


@pytest.fixture(scope="session")
def shapes() -> Graph:
    return load_shapes(SHAPES_DIR)


@pytest.fixture(scope="session")
def ontology() -> Graph:
    graph = Graph()
    for path in sorted((REPO / "ontology").glob("*.ttl")):
        graph += read_turtle(path)
    return graph


@pytest.fixture(scope="session")
def context() -> Graph:
    return read_turtle(CONTEXT)


def local(iri: object) -> str:
    return str(iri)[len(str(KGSH)):]


def shapes_needing_a_fixture(shapes: Graph) -> set[URIRef]:
    """Named property shapes, named SPARQL constraints and node shapes with constraints of their own."""
    needed = {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    needed |= {s for s in shapes.subjects(RDF.type, SH.SPARQLConstraint) if isinstance(s, URIRef)}
    needed |= {s for s in shapes.subjects(RDF.type, SH.NodeShape)
               if any(shapes.value(s, p) is not None for p in NODE_CONSTRAINTS)}
    return needed


def texts(graph: Graph, subject: object, predicate: URIRef) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = {}
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal):
            out.setdefault(value.language, []).append(str(value))
    return out


def kg_classes(ontology: Graph) -> set[URIRef]:
    return {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef) and c.startswith(str(KG))}


# -- well formed ----------------------------------------------------------------------------


def test_shapes_pass_the_shacl_shapes_for_shacl(shapes):
    conforms, _graph, text = pyshacl.validate(Graph(), shacl_graph=shapes, meta_shacl=True)
    assert conforms, text


@pytest.mark.parametrize("path", sorted(SHAPES_DIR.glob("*.ttl")), ids=lambda p: p.name)
def test_every_shapes_file_opens_with_a_bilingual_header(path):
    graph = read_turtle(path)
    headers = list(graph.subjects(RDF.type, OWL.Ontology))
    assert len(headers) == 1, f"{path.name}: one owl:Ontology header, found {len(headers)}"
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {"nl", "en"} <= set(texts(graph, headers[0], predicate)), f"{path.name}: {predicate} in nl and en"
    first = path.read_text(encoding="utf-8").lstrip()
    assert first.startswith("#"), f"{path.name}: opens with a comment saying what it covers"


def test_property_shapes_are_named_class_property_with_bilingual_texts_and_a_severity(shapes):
    problems = []
    for shape in shapes.subjects(RDF.type, SH.PropertyShape):
        if not isinstance(shape, URIRef) or not str(shape).startswith(str(KGSH)):
            problems.append(f"{shape}: not a named kgsh: shape")
            continue
        name = local(shape)
        owner, _, prop = name.partition("-")
        holders = set(shapes.subjects(SH.property, shape))
        if not prop or holders != {KGSH[owner]}:
            problems.append(f"{name}: not <Class>-<property> held by node shape kgsh:{owner} ({sorted(holders)})")
        target = shapes.value(KGSH[owner], SH.targetClass)
        if target is not None and target not in (KG[owner], URIRef(str(SKOS) + owner)):
            problems.append(f"{name}: kgsh:{owner} targets {target}, not a class named {owner}")
        for predicate in (SH.name, SH.description, SH.message):
            by_lang = texts(shapes, shape, predicate)
            if set(by_lang) != {"nl", "en"} or any(len(v) != 1 for v in by_lang.values()):
                problems.append(f"{name}: {predicate.n3()} is not exactly one nl and one en text")
        if shapes.value(shape, SH.severity) not in (SH.Violation, SH.Warning, SH.Info):
            problems.append(f"{name}: no explicit sh:severity")
    assert not problems, "\n".join(problems)


def test_node_shapes_and_sparql_constraints_are_named_and_bilingual(shapes):
    problems = []
    for kind in (SH.NodeShape, SH.SPARQLConstraint):
        for shape in shapes.subjects(RDF.type, kind):
            if not isinstance(shape, URIRef) or not str(shape).startswith(str(KGSH)):
                problems.append(f"{shape}: not a named kgsh: shape")
                continue
            if set(texts(shapes, shape, RDFS.label)) != {"nl", "en"}:
                problems.append(f"{local(shape)}: rdfs:label not in nl and en")
            if kind == SH.NodeShape and shapes.value(shape, SH.severity) is None:
                problems.append(f"{local(shape)}: no explicit sh:severity")
            needs_message = kind == SH.SPARQLConstraint or any(
                shapes.value(shape, p) is not None for p in NODE_CONSTRAINTS)
            if needs_message and set(texts(shapes, shape, SH.message)) != {"nl", "en"}:
                problems.append(f"{local(shape)}: sh:message not in nl and en")
            if kind == SH.SPARQLConstraint and not list(shapes.subjects(SH.sparql, shape)):
                problems.append(f"{local(shape)}: no node shape holds it")
    assert not problems, "\n".join(problems)


def test_every_node_shape_can_be_violated(shapes):
    """A node shape with nothing to check would pass anything: each has a constraint or a property shape."""
    empty = [local(s) for s in shapes.subjects(RDF.type, SH.NodeShape)
             if not any(shapes.value(s, p) is not None for p in (*NODE_CONSTRAINTS, SH.property, SH.sparql))]
    assert not empty


# -- complete -------------------------------------------------------------------------------


def test_every_class_of_the_ontology_has_a_node_shape(shapes, ontology):
    targeted = set(shapes.objects(None, SH.targetClass))
    missing = sorted(str(c) for c in kg_classes(ontology) - targeted)
    assert not missing, f"classes without a node shape (sh:targetClass): {missing}"


def test_every_shape_has_a_fixture_and_every_fixture_a_shape(shapes):
    needed = {local(s) for s in shapes_needing_a_fixture(shapes)}
    have = {p.stem for p in FIXTURE_FILES}
    assert not needed - have, f"shapes without a fixture: {sorted(needed - have)}"
    assert not have - needed, f"fixtures without a shape: {sorted(have - needed)}"


# -- declared -------------------------------------------------------------------------------


def _iris_used(shapes: Graph) -> set[URIRef]:
    used = {t for triple in shapes for t in triple if isinstance(t, URIRef)}
    prefixes = {"kg": str(KG), "kgsh": str(KGSH)}
    for query in shapes.objects(None, SH.select):
        for prefix, name in re.findall(r"\b(kg|kgsh):([A-Za-z][\w-]*)", str(query)):
            used.add(URIRef(prefixes[prefix] + name))
    return used


def test_every_kg_and_kgsh_iri_used_in_the_shapes_is_declared(shapes, ontology):
    declared_kg = {s for s in ontology.subjects(RDF.type, None) if isinstance(s, URIRef)}
    declared_kgsh = {s for s in shapes.subjects(RDF.type, None) if isinstance(s, URIRef)}
    undeclared = sorted(
        str(i) for i in _iris_used(shapes)
        if (i.startswith(str(KGSH)) and i not in declared_kgsh)
        or (i.startswith(str(KG)) and not i.startswith(str(KGSH)) and i not in declared_kg))
    assert not undeclared, f"used but not declared: {undeclared}"


def test_sparql_prefixes_are_declared_on_the_header(shapes):
    declared = {str(shapes.value(d, SH.prefix)) for d in shapes.objects(None, SH.declare)}
    for constraint in shapes.subjects(RDF.type, SH.SPARQLConstraint):
        query = str(shapes.value(constraint, SH.select))
        bare = re.sub(r'"[^"]*"|<[^>]*>', "", query)
        used = set(re.findall(r"\b([a-z]+):[A-Za-z]", bare))
        assert used <= declared, f"{local(constraint)} uses undeclared prefixes {sorted(used - declared)}"


# -- value lists ----------------------------------------------------------------------------


def _value_lists(shapes: Graph) -> dict[str, set[URIRef]]:
    lists = {}
    for holder, head in shapes.subject_objects(SH["in"]):
        owner = holder if isinstance(holder, URIRef) else next(shapes.subjects(SH.qualifiedValueShape, holder), holder)
        lists[local(owner)] = set(Collection(shapes, head))
    return lists


def test_document_kinds_are_exactly_the_subclasses_of_document(shapes, ontology):
    kinds = _value_lists(shapes)["Document-kind"]
    assert kinds == set(ontology.subjects(RDFS.subClassOf, KG.Document))


def test_closed_value_lists_match_the_concept_schemes_of_the_reference_data(shapes):
    """Each sh:in list of concepts holds exactly the concepts of one scheme in data/reference/*.ttl."""
    reference = Graph()
    for path in sorted((REPO / "data" / "reference").glob("*.ttl")):
        reference += read_turtle(path)
    problems = []
    for owner, members in sorted(_value_lists(shapes).items()):
        if owner == "Document-kind":
            continue
        schemes = {s for m in members for s in reference.objects(m, SKOS.inScheme)}
        if len(schemes) != 1:
            problems.append(f"{owner}: its members belong to {len(schemes)} schemes in the reference data")
            continue
        scheme = schemes.pop()
        in_scheme = set(reference.subjects(SKOS.inScheme, scheme))
        if members != in_scheme:
            problems.append(f"{owner} vs {scheme}: only in shapes {sorted(map(str, members - in_scheme))}, "
                            f"only in the reference data {sorted(map(str, in_scheme - members))}")
    assert not problems, "\n".join(problems)


# -- fixtures -------------------------------------------------------------------------------


def test_the_context_alone_has_no_finding(shapes, ontology, context):
    report = validate(context, shapes, ontology)
    assert report.findings == (), report.to_text()


def test_the_valid_example_has_no_finding_and_covers_every_class(shapes, ontology, context):
    data = context + read_turtle(EXAMPLE)
    report = validate(data, shapes, ontology)
    assert report.findings == (), report.to_text()
    typed = set(data.objects(None, RDF.type))
    assert not {c for c in kg_classes(ontology) if not set(ontology.subjects(RDFS.subClassOf, c))} - typed


def _severity(shapes: Graph, shape: URIRef) -> str:
    holder = shape
    if (shape, RDF.type, SH.SPARQLConstraint) in shapes:
        holder = next(shapes.subjects(SH.sparql, shape))  # SHACL takes the holding shape's severity
    return str(shapes.value(holder, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


def _validate_fixture(path: Path, shapes: Graph, ontology: Graph, context: Graph) -> Report:
    data = Graph()
    data += context
    data += read_turtle(path)
    return validate(data, shapes, ontology, subject_files={})


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_violates_exactly_its_shape(path, shapes, ontology, context):
    shape = KGSH[path.stem]
    report = _validate_fixture(path, shapes, ontology, context)
    assert report.findings, f"{path.name} gives no finding"
    assert {f.shape for f in report.findings} == {str(shape)}, report.to_text()
    declared = texts(shapes, shape, SH.message)
    for finding in report.findings:
        assert finding.message_nl == declared["nl"][0]
        assert finding.message_en == declared["en"][0]
        assert finding.severity == _severity(shapes, shape)
    assert report.conforms == (_severity(shapes, shape) != "Violation")


def test_a_fixture_focus_is_found_in_its_file(shapes, ontology, context):
    path = FIXTURES / "Document-sender.ttl"
    data = context + read_turtle(path)
    focus = "https://w3id.org/kennisgraaf/id/test/f/oproep"
    report = validate(data, shapes, ontology, subject_files={focus: path})
    (finding,) = report.findings
    lines = path.read_text(encoding="utf-8").splitlines()
    assert finding.source_file == str(path)
    assert lines[finding.line - 1].startswith("<id/test/f/oproep> a kg:Call")


def test_docs_list_every_rule(shapes):
    text = (REPO / "docs" / "shapes.md").read_text(encoding="utf-8")
    missing = sorted(local(s) for s in shapes_needing_a_fixture(shapes) if f"`kgsh:{local(s)}`" not in text)
    assert not missing, f"docs/shapes.md does not list: {missing}"
