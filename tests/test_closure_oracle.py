"""The build's closure (the forward chainer of build/explain.py) against owlrl, the oracle.

The chainer computes the closure and its explanations in one pass; owlrl stays available
(setting ``closure = owlrl``) and must give the same kept inferred graph: on the real graph,
and on a generated graph that exercises every rule the chainer knows.
"""

from __future__ import annotations

import json
import random

import pytest
from rdflib import Graph

from kennisgraaf.build.explain import RULES, chained_closure
from kennisgraaf.build.inference import closure
from kennisgraaf.build.inputs import BuildError, find_inputs
from kennisgraaf.build.pipeline import Progress, run_pipeline
from kennisgraaf.config import bundled_root
from kennisgraaf.vocab import GRAPH_INFERRED

BASE = "https://w3id.org/kennisgraaf/"
EXPLANATIONS = "explanations.json"


@pytest.fixture(scope="module")
def both_builds() -> dict[str, tuple[dict[str, Graph], dict, dict[str, str]]]:
    """The real graph's pipeline run once with each closure engine."""
    inputs = find_inputs(bundled_root())
    quiet = Progress(report=lambda text: None)
    return {engine: run_pipeline(inputs, BASE, quiet, closure_engine=engine) for engine in ("chainer", "owlrl")}


def test_real_graph_chainer_closure_equals_owlrl(both_builds):
    chainer, owlrl = (set(both_builds[e][0][GRAPH_INFERRED]) for e in ("chainer", "owlrl"))
    assert chainer == owlrl
    assert len(chainer) > 3000  # 3,701 on the five documents


def test_real_graph_same_explanations_with_either_engine(both_builds):
    chainer, owlrl = (json.loads(both_builds[e][2][EXPLANATIONS]) for e in ("chainer", "owlrl"))
    assert owlrl["missing"] == [] and owlrl["extra"] == []
    assert chainer == owlrl
    assert both_builds["chainer"][1]["triples"] == both_builds["owlrl"][1]["triples"]


def test_unknown_engine_is_a_usage_error():
    with pytest.raises(BuildError) as caught:
        run_pipeline(find_inputs(bundled_root()), BASE, Progress(report=lambda text: None), closure_engine="hermit")
    assert caught.value.exit_code == 2 and "hermit" in str(caught.value)


# -- a generated graph with every rule kind -----------------------------------------------------

SCHEMA = """
@prefix kg: <https://w3id.org/kennisgraaf/def#> .
@prefix ex: <http://example.org/vocab#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
kg:Letter rdfs:subClassOf kg:Document . kg:Document rdfs:subClassOf ex:Entity .
kg:Memo owl:equivalentClass kg:Note . kg:Note rdfs:subClassOf kg:Document .
kg:Doc2 rdfs:subClassOf kg:Letter . kg:Letter rdfs:subClassOf kg:Doc2 .
kg:sender rdfs:subPropertyOf kg:creator . kg:creator rdfs:subPropertyOf ex:contributor .
kg:author owl:equivalentProperty kg:writer .
kg:hasArgument owl:inverseOf kg:supports .
kg:sender rdfs:domain kg:Letter ; rdfs:range kg:Agent .
kg:creator rdfs:domain kg:Document . kg:contributor2 rdfs:subPropertyOf kg:sender .
kg:Agent rdfs:subClassOf ex:Agent .
kg:sameAs2 a owl:SymmetricProperty, owl:TransitiveProperty .
kg:partOf a owl:TransitiveProperty .
kg:mentionsWork owl:propertyChainAxiom ( kg:mentions kg:versionOf kg:partOf ) .
"""


def generated_graph(documents: int, seed: int = 7) -> Graph:
    """Schema above plus ``documents`` documents whose data triggers every rule (deterministic)."""
    rng = random.Random(seed)
    lines = [SCHEMA, "@prefix : <https://w3id.org/kennisgraaf/id/> ."]
    for n in range(documents):
        kind = rng.choice(["kg:Letter", "kg:Memo", "kg:Note", "kg:Doc2"])
        agent = f":org{rng.randrange(documents // 3 + 1)}"
        law = f":law{rng.randrange(20)}"
        lines.append(f":doc{n} a {kind} ; kg:sender {agent} ; kg:author :p{n} ; kg:writer :q{n} ; "
                     f'kg:mentions {law}v ; kg:contributor2 {agent} ; kg:title "Document {n}" .')
        lines.append(f":pos{n} kg:hasArgument :arg{n} . :arg{n + 1} kg:supports :pos{n} .")
        lines.append(f"{agent} kg:sameAs2 :org{rng.randrange(documents // 3 + 1)} .")
    for law in range(20):
        lines.append(f":law{law}v kg:versionOf :law{law} . :law{law} kg:partOf :code{law % 4} . "
                     f":code{law % 4} kg:partOf :corpus .")
    return Graph().parse(data="\n".join(lines), format="turtle")


def test_generated_graph_chainer_equals_owlrl_with_every_rule_kind():
    graph = generated_graph(300)
    inferred, explanations = chained_closure(graph, (BASE,))
    assert set(inferred) == set(closure(graph, (BASE,)))
    used = {explanations.steps[t].rule for t in inferred}
    assert used == set(RULES)
    # Every kept triple's derivation bottoms out in the generated graph.
    for triple in inferred:
        assert all(t in graph or t in explanations.steps for t in explanations.steps[triple].premises)
