"""Why each inferred triple holds: one OWL 2 RL derivation per triple, computed and stored by the build.

Expected derivations are read from the ontology and the documents (e.g. the Drenthe letter is a
kg:Letter, so a kg:Document by cax-sco); the last tests check every stored explanation against the
dataset itself.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox
import pytest

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.vocab import GRAPH_INFERRED

BASE = "https://w3id.org/kennisgraaf/"
KG, ID = BASE + "def#", BASE + "id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ELI = "http://data.europa.eu/eli/ontology#"


def key(s: str, p: str, o: str) -> str:
    """The explanations file's key: the triple in N-Triples (IRIs only here)."""
    return f"<{s}> <{p}> <{o}>"


@pytest.fixture(scope="module")
def explanations(built: BuiltDataset) -> dict:
    return built.explanations


@pytest.fixture(scope="module")
def quads(built: BuiltDataset) -> dict[str, set[str]]:
    """Every triple of graphs.nq (as its key) and the names of the graphs holding it.

    A triple whose object is a list (a property chain) is keyed as the explanations file writes it,
    with the list as a Turtle collection ``( <p1> <p2> )``.
    """
    all_quads = list(ox.parse(path=str(built.quads_file), format=ox.RdfFormat.N_QUADS))
    first = {q.subject: q.object for q in all_quads if q.predicate.value == RDF + "first"}
    rest = {q.subject: q.object for q in all_quads if q.predicate.value == RDF + "rest"}

    def collection(node) -> str:
        members = []
        while node in first:
            members.append(str(first[node]))
            node = rest[node]
        return "( " + " ".join(members) + " )"

    found: dict[str, set[str]] = defaultdict(set)
    for quad in all_quads:
        obj = collection(quad.object) if isinstance(quad.object, ox.BlankNode) and quad.object in first else quad.object
        found[f"{quad.subject} {quad.predicate} {obj}"].add(quad.graph_name.value.rsplit("/", 1)[-1])
    return found


def step(explanations: dict, triple: str) -> tuple[str, set[str]]:
    entry = explanations["derived"][triple]
    return entry["rule"], set(entry["premises"])


# -- one expected derivation per rule kind the ontology uses ---------------------------------------

EXPECTED = {
    # The Drenthe letter of 14 January 2010 is a kg:Letter, and every letter is a document.
    "cax-sco": (key(ID + "document/drenthe-2010-pns", RDF_TYPE, KG + "Document"),
                {key(ID + "document/drenthe-2010-pns", RDF_TYPE, KG + "Letter"),
                 key(KG + "Letter", RDFS + "subClassOf", KG + "Document")}),
    # GS Drenthe sent the letter (kg:sender), and the sender is the document's dcterms:creator.
    "prp-spo1": (key(ID + "document/drenthe-2010-pns", DCTERMS + "creator", ID + "orgaan/gs-drenthe"),
                 {key(ID + "document/drenthe-2010-pns", KG + "sender", ID + "orgaan/gs-drenthe"),
                  key(KG + "sender", RDFS + "subPropertyOf", DCTERMS + "creator")}),
    # Alleato's position "rol blijven vervullen" has the argument "integraliteit", which therefore supports it.
    "prp-inv1": (key(ID + "argument/alleato-2010-kerntaken-1-integraliteit", KG + "supports",
                     ID + "standpunt/alleato-2010-kerntaken-rol-blijven-vervullen"),
                 {key(KG + "hasArgument", OWL + "inverseOf", KG + "supports"),
                  key(ID + "standpunt/alleato-2010-kerntaken-rol-blijven-vervullen", KG + "hasArgument",
                      ID + "argument/alleato-2010-kerntaken-1-integraliteit")}),
    # GS Drenthe is a body of the provincie (kg:bodyOf has the domain kg:Agent).
    "prp-dom": (key(ID + "orgaan/gs-drenthe", RDF_TYPE, KG + "Agent"),
                {key(KG + "bodyOf", RDFS + "domain", KG + "Agent"),
                 key(ID + "orgaan/gs-drenthe", KG + "bodyOf", ID + "provincie/drenthe")}),
    # Alleato: the steunfunctie is assigned by artikel 13 of the Wmo 2007, so that article is a legal resource.
    "prp-rng": (key(ID + "wet/wmo-2007/artikel-13", RDF_TYPE, ELI + "LegalResource"),
                {key(KG + "assignedBy", RDFS + "range", ELI + "LegalResource"),
                 key(ID + "verantwoordelijkheid/alleato-2010-kerntaken-steunfunctiewerk", KG + "assignedBy",
                     ID + "wet/wmo-2007/artikel-13")}),
    # A class hierarchy step: an argument is a claim, a claim a prov:Entity.
    "scm-sco": (key(KG + "Argument", RDFS + "subClassOf", PROV + "Entity"),
                {key(KG + "Argument", RDFS + "subClassOf", KG + "Claim"),
                 key(KG + "Claim", RDFS + "subClassOf", PROV + "Entity")}),
    "scm-spo": (key(KG + "mentionsLaw", RDFS + "subPropertyOf", DCTERMS + "references"),
                {key(KG + "mentionsLaw", RDFS + "subPropertyOf", KG + "mentions"),
                 key(KG + "mentions", RDFS + "subPropertyOf", DCTERMS + "references")}),
    "scm-dom1": (key(KG + "about", RDFS + "domain", PROV + "Entity"),
                 {key(KG + "about", RDFS + "domain", KG + "Document"),
                  key(KG + "Document", RDFS + "subClassOf", PROV + "Entity")}),
    "scm-dom2": (key(KG + "mentionsLawVersionWork", RDFS + "domain", KG + "Document"),
                 {key(KG + "mentionsLaw", RDFS + "domain", KG + "Document"),
                  key(KG + "mentionsLawVersionWork", RDFS + "subPropertyOf", KG + "mentionsLaw")}),
    "scm-rng1": (key(KG + "addressee", RDFS + "range", PROV + "Agent"),
                 {key(KG + "addressee", RDFS + "range", KG + "Agent"),
                  key(KG + "Agent", RDFS + "subClassOf", PROV + "Agent")}),
}


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_a_derivation_per_rule_kind(explanations, rule):
    triple, premises = EXPECTED[rule]
    assert step(explanations, triple) == (rule, premises)


def test_property_chain_prp_spo2(explanations):
    """Alleato mentions the Wmo 2007, a version of the Wmo: it mentions the work (chain mentionsLaw/versionOf)."""
    rule, premises = step(explanations, key(ID + "document/alleato-2010-kerntaken", KG + "mentionsLawVersionWork",
                                            ID + "wet/wmo"))
    assert rule == "prp-spo2"
    assert {key(ID + "document/alleato-2010-kerntaken", KG + "mentionsLaw", ID + "wet/wmo-2007"),
            key(ID + "wet/wmo-2007", KG + "versionOf", ID + "wet/wmo")} < premises
    # The chain axiom is written with its list, as in the ontology: kg:mentionsLawVersionWork owl:propertyChainAxiom
    # ( kg:mentionsLaw kg:versionOf ).
    assert key(KG + "mentionsLawVersionWork", OWL + "propertyChainAxiom", "x").replace(
        "<x>", f"( <{KG}mentionsLaw> <{KG}versionOf> )") in premises


def test_symmetric_and_transitive_prp_symp_prp_trp(explanations):
    """The MOgroep was renamed Sociaal Werk Nederland (reference data): the same organisation both ways."""
    mogroep, swn = ID + "organisatie/mogroep", ID + "organisatie/sociaal-werk-nederland"
    same = KG + "sameOrganisationAs"
    rule, premises = step(explanations, key(mogroep, same, swn))
    assert rule == "prp-symp"
    assert premises == {key(same, RDF_TYPE, OWL + "SymmetricProperty"), key(swn, same, mogroep)}
    rule, premises = step(explanations, key(mogroep, same, mogroep))
    assert rule == "prp-trp"
    assert premises == {key(same, RDF_TYPE, OWL + "TransitiveProperty"), key(mogroep, same, swn),
                        key(swn, same, mogroep)}


def test_every_rule_kind_in_use_has_a_test(explanations):
    used = {entry["rule"] for entry in explanations["derived"].values()}
    assert used == set(EXPECTED) | {"prp-spo2", "prp-symp", "prp-trp"}
    assert used <= set(explanations["rules"])


def test_asserted_premises_carry_their_graph_and_quote(explanations):
    sender = explanations["asserted"][key(ID + "document/drenthe-2010-pns", KG + "sender", ID + "orgaan/gs-drenthe")]
    assert sender["graphs"] == ["drenthe-2010-pns"]
    # The document carries ten quotes; the one naming the sender is kept (source text 001, signature block).
    assert sender["quotes"] == {"drenthe-2010-pns": ["gedeputeerde staten van Drenthe,"]}
    argument = explanations["asserted"][key(ID + "standpunt/alleato-2010-kerntaken-rol-blijven-vervullen",
                                            KG + "hasArgument", ID + "argument/alleato-2010-kerntaken-1-integraliteit")]
    assert argument["graphs"] == ["alleato-2010-kerntaken"]
    assert argument["quotes"]["alleato-2010-kerntaken"]
    axiom = explanations["asserted"][key(KG + "Letter", RDFS + "subClassOf", KG + "Document")]
    assert axiom == {"graphs": ["ontology"], "quotes": {}}


# -- every stored explanation against the dataset ----------------------------------------------------


def test_the_chainer_reaches_exactly_the_inferred_graph(built, explanations, quads):
    inferred = {k for k, graphs in quads.items() if GRAPH_INFERRED in graphs}
    stored = {k for k, entry in explanations["derived"].items() if entry["stored"]}
    assert inferred == stored
    assert explanations["missing"] == [] and explanations["extra"] == []
    assert built.meta["explanations"] == {"derived": len(explanations["derived"]), "missing": 0, "extra": 0}
    assert len(inferred) > 3000


def test_every_derivation_rests_on_triples_in_the_dataset(explanations, quads):
    derived, asserted = explanations["derived"], explanations["asserted"]
    for triple, entry in derived.items():
        assert entry["rule"] in explanations["rules"]
        for premise in entry["premises"]:
            if premise in derived:
                assert derived[premise]["stored"] == (GRAPH_INFERRED in quads.get(premise, ())), premise
            else:
                assert premise in asserted, (triple, premise)
                assert set(asserted[premise]["graphs"]) == quads[premise] - {GRAPH_INFERRED}, premise
    # Down to asserted triples: every derivation tree bottoms out (no cycles, no dangling premise).
    done: set[str] = set()

    def grounded(triple: str, path: frozenset[str]) -> bool:
        if triple in asserted or triple in done:
            return True
        assert triple not in path, f"cycle through {triple}"
        ok = all(grounded(p, path | {triple}) for p in derived[triple]["premises"])
        done.add(triple)
        return ok

    assert all(grounded(t, frozenset()) for t in derived)
