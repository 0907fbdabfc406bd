"""``/why``: the derivation of an inferred triple as HTML and JSON; resource pages link to it.

Every test runs in-process and against a real server (the ``http`` fixture).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

BASE = "https://w3id.org/kennisgraaf/"
KG, ID = BASE + "def#", BASE + "id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PNS = ID + "document/drenthe-2010-pns"
LETTER_IS_DOCUMENT = {"s": PNS, "p": RDF_TYPE, "o": KG + "Document"}


def test_why_json_gives_rule_and_premises_down_to_quotes(http):
    r = http.get("/why", params={**LETTER_IS_DOCUMENT, "format": "json"})
    assert r.status_code == 200, r.text
    tree = r.json()
    assert tree["inferred"] is True and tree["rule"] == "cax-sco"
    assert tree["triple"] == {"subject": PNS, "predicate": RDF_TYPE, "object": KG + "Document",
                              "ntriples": f"<{PNS}> <{RDF_TYPE}> <{KG}Document> ."}
    premises = {p["triple"]["object"]: p for p in tree["premises"]}
    letter = premises[KG + "Letter"]
    assert letter["inferred"] is False and letter["graphs"] == [BASE + "graph/drenthe-2010-pns"]
    axiom = premises[KG + "Document"]
    assert axiom["triple"]["subject"] == KG + "Letter" and axiom["graphs"] == [BASE + "graph/ontology"]


def test_why_quotes_link_to_their_place_in_the_source_text(http):
    r = http.get("/why", params={"s": "id/document/drenthe-2010-pns", "p": "dcterms:creator",
                                 "o": "id/orgaan/gs-drenthe"}, headers={"Accept": "application/json"})
    assert r.status_code == 200, r.text
    sender = r.json()["premises"][1] if r.json()["premises"][0]["triple"]["subject"] == KG + "sender" \
        else r.json()["premises"][0]
    assert sender["triple"]["predicate"] == KG + "sender"
    [quote] = sender["quotes"]
    assert quote["quote"] == "gedeputeerde staten van Drenthe,"
    assert quote["document"] == PNS
    assert quote["href"].startswith("/doc/document/drenthe-2010-pns#q-")
    page = http.get(quote["href"].split("#")[0])
    anchor = BeautifulSoup(page.text, "html.parser").find(id=quote["href"].split("#")[1])
    assert anchor is not None and "gedeputeerde staten van Drenthe" in anchor.get_text(" ")


def test_why_html_shows_the_tree_in_the_readers_language(http):
    r = http.get("/why", params={**LETTER_IS_DOCUMENT, "lang": "en"}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = BeautifulSoup(r.text, "html.parser")
    assert page.h1.get_text() == "Why does this hold?"
    top = page.select_one("ul.why-tree > li.derived")
    assert top.select_one(".rule-name").get_text() == "cax-sco"
    assert "subclass" in top.select_one(".rule").get_text()
    assert len(top.select("ul.premises > li.asserted")) == 2
    nl = BeautifulSoup(http.get("/why", params=LETTER_IS_DOCUMENT, headers={"Accept": "text/html"}).text,
                       "html.parser")
    assert nl.h1.get_text() == "Waarom geldt dit?"


def test_why_literal_object_in_ntriples_form(http):
    r = http.get("/why", params={"s": "id/document/drenthe-2010-pns", "p": "prov:value",
                                 "o": '"Assen, 14 januari 2010"@nl', "format": "json"})
    assert r.status_code == 200, r.text
    assert r.json()["rule"] == "prp-spo1"
    assert r.json()["triple"]["object"] == "Assen, 14 januari 2010"
    assert r.json()["triple"]["language"] == "nl"


def test_why_refuses_bad_or_unknown_triples(http):
    missing = http.get("/why", params={"s": PNS, "p": RDF_TYPE}, headers={"Accept": "application/json"})
    assert missing.status_code == 400 and "missing: o" in missing.json()["error"]
    bad = http.get("/why", params={"s": PNS, "p": RDF_TYPE, "o": '"unterminated'},
                   headers={"Accept": "application/json"})
    assert bad.status_code == 400 and "not a triple" in bad.json()["error"]
    unknown = http.get("/why", params={"s": PNS, "p": RDF_TYPE, "o": KG + "Memo"},
                       headers={"Accept": "application/json"})
    assert unknown.status_code == 404 and unknown.json()["ok"] is False
    assert http.get("/why", params={**LETTER_IS_DOCUMENT, "format": "xml"}).status_code == 400


def test_resource_page_links_each_inferred_value_to_its_explanation(http):
    page = BeautifulSoup(http.get("/doc/document/drenthe-2010-pns", headers={"Accept": "text/html"}).text,
                         "html.parser")
    links = page.select("#inferred a.why")
    assert len(links) > 10
    asked = [{k: v[0] for k, v in parse_qs(urlsplit(a["href"]).query).items()} for a in links]
    assert LETTER_IS_DOCUMENT in asked
    # Asserted values are not marked: no explanation link outside the inferred section.
    assert not page.select("#properties a.why")
    for query in asked[:5]:
        assert http.get("/why", params={**query, "format": "json"}).json()["inferred"] is True


def test_sparql_page_documents_why_beside_asserted(http):
    page = BeautifulSoup(http.get("/sparql", headers={"Accept": "text/html"}).text, "html.parser")
    example = page.find(id="why-example")
    assert example is not None and "asserted=true" in example.parent.get_text()
    assert http.get(example["href"], headers={"Accept": "application/json"}).json()["rule"] == "cax-sco"


def test_why_shows_a_property_chain_with_its_members(http):
    r = http.get("/why", params={"s": "id/document/alleato-2010-kerntaken", "p": "kg:mentionsLawVersionWork",
                                 "o": "id/wet/wmo", "format": "json"})
    assert r.status_code == 200, r.text
    tree = r.json()
    assert tree["rule"] == "prp-spo2"
    [axiom] = [p for p in tree["premises"] if p["triple"]["predicate"].endswith("#propertyChainAxiom")]
    assert axiom["triple"]["object"] == [KG + "mentionsLaw", KG + "versionOf"]
    assert axiom["graphs"] == [BASE + "graph/ontology"]
    page = BeautifulSoup(http.get("/why", params={"s": "id/document/alleato-2010-kerntaken",
                                                  "p": "kg:mentionsLawVersionWork", "o": "id/wet/wmo"},
                                  headers={"Accept": "text/html"}).text, "html.parser")
    assert page.select_one("li.derived .rule-name").get_text() == "prp-spo2"
