"""Across all documents: every graph is non-empty, every claim has a located quote, and every
external identifier in the data is one of the verified identifiers of the reference list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED_LIST = REPO.parent / "shared" / "reference" / "identifiers.md"
OWN_COPY = REPO / "docs" / "reference" / "identifiers.md"
EXTERNAL = ("https://identifier.overheid.nl/", "http://www.wikidata.org/entity/", "https://wetten.overheid.nl/")


@pytest.mark.skipif(not SHARED_LIST.is_file(), reason="needs ../shared/reference beside the repository (as in CI)")
def test_our_copy_of_the_reference_list_is_the_shared_one():
    assert OWN_COPY.read_text(encoding="utf-8") == SHARED_LIST.read_text(encoding="utf-8")


def test_every_document_graph_is_non_empty(built):
    for name in built.meta["documents"]:
        assert built.meta["triples"][name] > 100, name


def test_all_five_source_files_have_a_document(kg):
    rows = kg.select("SELECT DISTINCT ?file WHERE { ?doc a kg:Document ; kg:sourceText/kg:fileName ?file }")
    assert sorted(r["file"] for r in rows) == sorted(p.name for p in (REPO / "data" / "bronnen").glob("*.txt"))


def test_every_claim_has_a_document_and_a_located_quote(kg):
    rows = kg.select("""
        SELECT ?claim (COUNT(DISTINCT ?doc) AS ?docs) (COUNT(DISTINCT ?loc) AS ?located) WHERE {
          ?claim a kg:Claim .
          OPTIONAL { ?claim kg:statedIn ?doc . ?doc a kg:Document }
          OPTIONAL { ?claim kg:quote ?q . ?loc kg:locatedQuote ?q ; kg:inSourceText ?src .
                     ?claim kg:statedIn/kg:sourceText ?src }
        } GROUP BY ?claim""")
    assert len(rows) > 200
    assert [r["claim"] for r in rows if r["docs"] != "1" or r["located"] == "0"] == []


def test_every_external_identifier_is_in_the_reference_list(kg):
    listed = OWN_COPY.read_text(encoding="utf-8")
    rows = kg.select("""
        SELECT DISTINCT ?id WHERE {
          { ?s skos:exactMatch|skos:closeMatch|rdfs:seeAlso|owl:sameAs ?id FILTER(isIRI(?id)) }
          UNION { ?s kg:bwbId ?id }
        }""")
    identifiers = [r["id"] for r in rows if r["id"].startswith(EXTERNAL) or r["id"].startswith("BWB")]
    assert identifiers, "the data links no external identifiers"
    missing = []
    for identifier in identifiers:
        if identifier.startswith("http://www.wikidata.org/entity/"):
            token = identifier.rsplit("/", 1)[1]
        elif identifier.startswith("https://wetten.overheid.nl/"):
            token = re.search(r"BWBR\d{7}", identifier).group()
        else:
            token = identifier
        if token not in listed:
            missing.append(identifier)
    assert missing == []


@pytest.mark.parametrize("prop", ["skos:exactMatch", "skos:closeMatch"])
def test_no_owl_sameas_to_external_identifiers(kg, prop):
    assert kg.select("SELECT ?s WHERE { ?s owl:sameAs ?o FILTER(?s != ?o) }") == []
    assert kg.select(f"SELECT ?s ?o WHERE {{ ?s {prop} ?o FILTER(!isIRI(?o)) }}") == []
