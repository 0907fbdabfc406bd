"""The words of the VoID description and the service description come from Turtle files
(site/descriptions/*.ttl), on the deployment's base IRI, with the computed parts added."""

from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import DCTERMS, RDFS

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.site import service, void

BASE = "https://example.org/kg/"  # not the default base: relative IRIs must follow the deployment


def _void() -> Graph:
    dataset = BuiltDataset(path=Path("."), meta={"base": BASE, "built": "2026-01-02T03:04:05Z"})
    facts = void.VoidFacts(counts={"triples": 10, "subjects": 3, "properties": 2, "objects": 4},
                           asserted_counts={"triples": 8}, entities=3, classes=[], vocabularies=[], years=[2010],
                           documents=[])
    return void.describe(facts, dataset, dumps=[])


def test_every_statement_of_void_ttl_is_served_on_the_deployment_base():
    words = Graph().parse(void.WORDS, format="turtle", publicID=BASE)
    served = _void()
    kinds = {URIRef(f"{BASE}.well-known/void#kind-{kind}") for kind in void.DUMP_KINDS}
    named = [(s, p, o) for s, p, o in words
             if s not in kinds and not isinstance(s, BNode) and not isinstance(o, BNode)]
    assert len(named) > 30
    assert [t for t in named if t not in served] == []
    dataset = URIRef(BASE + ".well-known/void#dataset")
    assert {t.language for t in served.objects(dataset, DCTERMS.title)} == {"nl", "en"}
    assert (URIRef(BASE + ".well-known/void#asserted"), None, None) in served
    assert not any((kind, None, None) in served for kind in kinds)  # templates for distributions only
    rights = served.value(dataset, DCTERMS.rights)
    assert {label.language for label in served.objects(rights, RDFS.label)} == {"nl", "en"}


def test_service_description_says_its_limits_in_both_languages():
    endpoint = "http://127.0.0.1:8000/sparql"
    triples = service.description(endpoint, 5, {BASE + "graph/x": 5}, Settings(query_timeout=2.5, max_nesting=7))
    comments = {t.object.language: t.object.value for t in triples
                if t.subject == ox.NamedNode(endpoint) and t.predicate == service.RDFS_COMMENT
                and "nesting" in t.object.value}
    assert comments == {
        "nl": "Grenzen: 2.5 s per query, 50000 resultaatrijen, 262144 bytes querytekst, nestingdiepte 7.",
        "en": "Limits: 2.5 s per query, 50000 result rows, 262144 bytes of query text, nesting depth 7.",
    }
    read_only = [t.object for t in triples if t.predicate == service.RDFS_COMMENT and "SERVICE" in t.object.value]
    assert {c.language for c in read_only} == {"nl", "en"}
    assert all(not t.subject.value.endswith("#limits") for t in triples)
