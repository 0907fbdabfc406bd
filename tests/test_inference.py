"""The OWL-RL closure: facts that exist only thanks to inference, and the filter of trivia."""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kennisgraaf.build.inference import closure, keep_inferred
from kennisgraaf.vocab import KG

OWN = ("https://w3id.org/kennisgraaf/",)
THING = URIRef("https://w3id.org/kennisgraaf/id/document/x")


def test_filter_drops_reflexive_sameas_literal_subjects_and_owl_thing():
    assert not keep_inferred((THING, OWL.sameAs, THING), OWN, set())
    assert not keep_inferred((Literal("x"), OWL.sameAs, Literal("x")), OWN, set())
    assert not keep_inferred((THING, RDF.type, OWL.Thing), OWN, set())
    assert not keep_inferred((THING, RDF.type, RDFS.Resource), OWN, set())
    assert not keep_inferred((URIRef("http://www.w3.org/ns/prov#Entity"), RDF.type, OWL.Class), OWN, set())
    assert not keep_inferred((BNode("fresh"), RDF.type, KG.Document), OWN, set())
    assert keep_inferred((THING, RDF.type, KG.Document), OWN, set())


def test_closure_keeps_subclass_typing_and_drops_trivia():
    graph = Graph()
    graph.add((KG.Letter, RDFS.subClassOf, KG.Document))
    graph.add((THING, RDF.type, KG.Letter))
    inferred = closure(graph, OWN)
    assert (THING, RDF.type, KG.Document) in inferred
    assert (THING, OWL.sameAs, THING) not in inferred
    assert not any(isinstance(s, Literal) for s, _, _ in inferred)
    assert (THING, RDF.type, OWL.Thing) not in inferred


def test_built_inferred_graph_holds_no_trivial_triples(kg):
    rows = kg.select(
        """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
             FILTER(STRENDS(STR(?g), "/graph/inferred"))
             FILTER((?p = owl:sameAs && ?s = ?o) || ?o IN (owl:Thing, rdfs:Resource)) }"""
    )
    assert rows == [{"n": "0"}]


def test_printed_date_is_a_dcterms_date_only_through_inference(kg):
    query = "SELECT ?d WHERE { <id/document/drenthe-2010-pns> dcterms:date ?d }"
    assert kg.select(query) == [{"d": "2010-01-14"}]
    assert kg.select(query, asserted=True) == []


def test_document_type_through_subclass_only_with_inference(kg):
    query = "ASK { <id/document/drenthe-2010-pns> a kg:Document }"
    assert kg.ask(query)
    assert not kg.ask(query, asserted=True)
