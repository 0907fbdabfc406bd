"""Dereferencing, content negotiation and the pages about things (blueprint ``resources``).

Every test runs in-process and against a real server (the ``http`` fixture). Pages are parsed
(rdflib for RDF, BeautifulSoup for HTML) and compared with what the built dataset says.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kennisgraaf.build.sources import read_source
from kennisgraaf.config import bundled_root
from kennisgraaf.store.base import StoreError
from kennisgraaf.web import create_app

BASE = "https://w3id.org/kennisgraaf/"
ID = Namespace(BASE + "id/")
KG = Namespace(BASE + "def#")
DRENTHE = ID["provincie/drenthe"]
PNS = ID["document/drenthe-2010-pns"]
TOOI_DRENTHE = URIRef("https://identifier.overheid.nl/tooi/id/provincie/pv22")
FORMATS = [  # Accept media type, extension, rdflib parser
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/n-triples", "nt", "nt"),
    ("application/rdf+xml", "rdf", "xml"),
]


def soup(response) -> BeautifulSoup:
    assert response.mimetype == "text/html", response.text[:300]
    return BeautifulSoup(response.text, "html.parser")


def location_path(response) -> str:
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


# -- 303 from /id/ to /doc/ ----------------------------------------------------------------------

def test_id_answers_303_to_the_doc_page(http):
    response = http.get("/id/provincie/drenthe", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert location_path(response) == "/doc/provincie/drenthe"


def test_303_keeps_the_query_string(http):
    response = http.get("/id/document/drenthe-2010-pns", params={"lang": "en"})
    assert response.status_code == 303
    assert location_path(response) == "/doc/document/drenthe-2010-pns?lang=en"


def test_unknown_id_is_404_not_a_redirect(http):
    response = http.get("/id/provincie/atlantis", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["ok"] is False


# -- content negotiation -------------------------------------------------------------------------

@pytest.mark.parametrize(("media_type", "extension", "parser"), FORMATS)
def test_doc_serves_rdf_by_accept_and_by_extension_alike(http, media_type, extension, parser):
    negotiated = http.get("/doc/provincie/drenthe", headers={"Accept": media_type})
    assert negotiated.status_code == 200
    assert negotiated.mimetype == media_type
    assert "Accept" in negotiated.headers.get("Vary", "")
    assert negotiated.headers["Content-Location"] == f"/doc/provincie/drenthe.{extension}"
    by_extension = http.get(f"/doc/provincie/drenthe.{extension}")
    assert by_extension.status_code == 200 and by_extension.mimetype == media_type
    first = Graph().parse(data=negotiated.content, format=parser)
    second = Graph().parse(data=by_extension.content, format=parser)
    assert isomorphic(first, second)
    # What the reference data says about Drenthe, and a claim pointing at it (incoming).
    assert (DRENTHE, RDFS.label, Literal("Provincie Drenthe", lang="nl")) in first
    assert (DRENTHE, SKOS.exactMatch, TOOI_DRENTHE) in first
    assert any(s for s in first.subjects(KG.actor, DRENTHE))


def test_rdf_description_matches_the_dataset(http, kg):
    graph = Graph().parse(data=http.get("/doc/provincie/drenthe.nt").content, format="nt")
    expected = kg.select("SELECT DISTINCT ?p ?o WHERE { <id/provincie/drenthe> ?p ?o }")
    assert {(str(p), str(o)) for p, o in graph.predicate_objects(DRENTHE)} == {(r["p"], r["o"]) for r in expected}
    incoming = kg.select("SELECT DISTINCT ?s ?p WHERE { ?s ?p <id/provincie/drenthe> }")
    assert {(str(s), str(p)) for s, p in graph.subject_predicates(DRENTHE)} == {(r["s"], r["p"]) for r in incoming}


def test_asserted_only_leaves_out_the_inferred_triples(http, kg):
    full = Graph().parse(data=http.get("/doc/provincie/drenthe.nt").content, format="nt")
    asserted = Graph().parse(data=http.get("/doc/provincie/drenthe.nt", params={"asserted": "true"}).content,
                             format="nt")
    expected = kg.select("SELECT DISTINCT ?p ?o WHERE { <id/provincie/drenthe> ?p ?o }", asserted=True)
    assert {(str(p), str(o)) for p, o in asserted.predicate_objects(DRENTHE)} == {(r["p"], r["o"]) for r in expected}
    assert len(asserted) < len(full)


def test_unacceptable_media_type_is_406(http):
    response = http.get("/doc/provincie/drenthe", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_html_page_points_to_its_twins(http):
    response = http.get("/doc/provincie/drenthe", headers={"Accept": "text/html"})
    assert response.status_code == 200
    links = response.headers["Link"]
    for _, extension, _ in FORMATS:
        assert f'</doc/provincie/drenthe.{extension}>; rel="alternate"' in links
    alternates = {link["type"]: link["href"] for link in soup(response).select('link[rel="alternate"]')}
    assert alternates == {media: f"/doc/provincie/drenthe.{ext}" for media, ext, _ in FORMATS}


def test_pages_are_cached_with_etags(http):
    first = http.get("/doc/provincie/drenthe", headers={"Accept": "text/html"})
    again = http.get("/doc/provincie/drenthe", headers={"Accept": "text/html", "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""


# -- resource pages ------------------------------------------------------------------------------

def test_resource_page_labels_types_properties_and_identifiers(http):
    page = soup(http.get("/doc/provincie/drenthe", params={"lang": "nl"}))
    assert page.html["lang"] == "nl"
    assert page.h1.get_text(strip=True) == "Provincie Drenthe"
    assert [p.get_text(strip=True) for p in page.select("p.alt-label[lang=en]")] == ["Province of Drenthe"]
    assert page.select_one("p.types a[href='/def#PublicAuthority']") is not None
    rows = {row.th.get_text(strip=True): row for row in page.select("#properties tbody tr")}
    assert "exact gelijk aan" in rows
    assert rows["exact gelijk aan"].find("a", href=str(TOOI_DRENTHE)) is not None
    assert page.select_one(f"#identifiers a[href='{TOOI_DRENTHE}']") is not None
    incoming = {row.th.get_text(strip=True) for row in page.select("#incoming tbody tr")}
    assert "actor" in incoming


def test_language_follows_accept_language_and_the_switch(http):
    # No language cookie (an explicit Cookie header replaces the live session's cookies).
    english = soup(http.get("/doc/provincie/drenthe", headers={"Accept-Language": "en-GB,en;q=0.9", "Cookie": "x=1"}))
    assert english.html["lang"] == "en"
    assert english.h1.get_text(strip=True) == "Province of Drenthe"
    switch = english.select_one("p.lang-switch a")
    assert switch["hreflang"] == "nl" and "lang=nl" in switch["href"]
    response = http.get("/doc/provincie/drenthe", params={"lang": "nl"}, headers={"Accept-Language": "en"})
    assert soup(response).h1.get_text(strip=True) == "Provincie Drenthe"
    assert "lang=nl" in response.headers.get("Set-Cookie", "")


def _normalise(text: str) -> str:
    """Compare quote and passage without whitespace and hyphens (the build joins words broken at a line end)."""
    return re.sub(r"[\s-]", "", text)


def test_evidence_links_to_the_highlighted_passage(http):
    page = soup(http.get("/doc/provincie/drenthe", params={"lang": "nl"}))
    quotes = page.select("#related-evidence li")
    assert quotes, "Drenthe's page shows the claims about it with their quotes"
    checked = 0
    for item in quotes[:5]:
        quote = item.blockquote.get_text()
        link = item.select_one("a.in-context")
        path, anchor = link["href"].split("#")
        start, end = (int(n) for n in anchor.removeprefix("q-").split("-"))
        response = http.get(path)
        assert soup(response).find("mark", id=anchor) is not None, anchor
        source = source_text(response.text)
        assert _normalise(source[start:end]) == _normalise(quote)
        checked += 1
    assert checked


class SourceText(HTMLParser):
    """The exact text of ``div#source-text`` without the reference numbers (``sup``) after passages.

    Python's own parser, because BeautifulSoup 4.15 trims whitespace-only strings between tags.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._depth = 0  # inside the source box: nesting depth of its elements
        self._sup = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += 1
            self._sup += tag == "sup"
        elif tag == "div" and ("id", "source-text") in attrs:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            self._sup -= tag == "sup"

    def handle_data(self, data: str) -> None:
        if self._depth and not self._sup:
            self.parts.append(data)


def source_text(html: str) -> str:
    parser = SourceText()
    parser.feed(html)
    return "".join(parser.parts)


def test_claim_page_shows_its_quote_linked_to_the_document(http, kg):
    row = kg.select("""SELECT ?change ?quote WHERE { ?change a kg:TaskChange ; kg:actor <id/provincie/drenthe> ;
        kg:task <id/taak/breedtesport> ; kg:action <id/handeling/afbouwen> ; kg:quote ?quote } LIMIT 1""")[0]
    path = "/doc/" + row["change"].removeprefix(BASE + "id/")
    page = soup(http.get(path))
    evidence = page.select("#evidence li")
    assert row["quote"] in [li.blockquote.get_text() for li in evidence]
    hrefs = [a["href"] for a in page.select("#evidence a.in-context")]
    assert hrefs and all(h.startswith("/doc/document/drenthe-2010-pns#q-") for h in hrefs)


# -- document pages ------------------------------------------------------------------------------

def test_document_page_shows_the_whole_source_text(http):
    response = http.get("/doc/document/drenthe-2010-pns")
    raw = read_source(bundled_root() / "data" / "bronnen" / "001_51a662fe140cf0d6.txt")
    assert source_text(response.text) == raw


def test_every_located_quote_is_highlighted_and_linked_to_what_it_supports(http, kg):
    locations = kg.select("""SELECT DISTINCT ?start ?end WHERE { ?loc a kg:QuoteLocation ;
        kg:inSourceText <id/bron/001> ; kg:startOffset ?start ; kg:endOffset ?end }""")
    page = soup(http.get("/doc/document/drenthe-2010-pns"))
    anchors = {m["id"] for m in page.select("div.source-text mark[id]")}
    assert anchors == {f"q-{r['start']}-{r['end']}" for r in locations}
    claims = kg.select("""SELECT DISTINCT ?claim WHERE {
        ?claim kg:statedIn <id/document/drenthe-2010-pns> ; kg:quote ?q }""")
    linked = {unquote(a["href"]) for a in page.select("div.source-text sup.q-ref a")}
    assert {"/doc/" + r["claim"].removeprefix(BASE + "id/") for r in claims} <= linked


def test_source_text_page_highlights_too(http):
    page = soup(http.get("/doc/bron/001"))
    assert page.select("div.source-text mark.q")
    assert page.select_one("div.source-text").get("lang") == "nl"


def test_document_page_has_its_task_diagram(http, kg):
    changes = kg.select("SELECT DISTINCT ?c WHERE { ?c a kg:TaskChange ; kg:statedIn <id/document/drenthe-2010-pns> }")
    page = soup(http.get("/doc/document/drenthe-2010-pns"))
    figure = page.select_one("figure#diagram-drenthe-2010-pns")
    rows = {a["href"] for a in figure.select("svg a")}
    assert rows == {"/doc/" + r["c"].removeprefix(BASE + "id/") for r in changes}


# -- not found -----------------------------------------------------------------------------------

def test_unknown_resource_gets_a_404_page_with_suggestions(http):
    response = http.get("/doc/provincie/drent", headers={"Accept": "text/html"})
    assert response.status_code == 404
    suggestions = [a["href"] for a in soup(response).select("ul.suggestions a")]
    assert "/doc/provincie/drenthe" in suggestions


@pytest.mark.parametrize("path", ["/doc/a%20b", "/doc/a%3Eb", "/id/a%7Bb", "/doc/a%22b.ttl"])
def test_paths_that_are_no_iri_are_404_not_500(http, path):
    response = http.get(path, headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json()["ok"] is False


def test_unknown_resource_for_machines_is_the_error_shape_they_ask_for(http):
    # One error shape by Accept: an RDF client gets the message as text, a JSON client JSON.
    response = http.get("/doc/provincie/drent", headers={"Accept": "text/turtle"})
    assert response.status_code == 404 and response.mimetype == "text/plain"
    assert "https://w3id.org/kennisgraaf/id/provincie/drent" in response.text
    as_json = http.get("/doc/provincie/drent", headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.json() == {"ok": False, "error": response.text.strip(), "status": 404}


# -- home page -----------------------------------------------------------------------------------

def test_home_links_to_everything_a_newcomer_needs(http):
    page = soup(http.get("/", params={"lang": "nl"}))
    hrefs = {a["href"] for a in page.select("main a")}
    assert {"/sparql", "/queries", "/def", "/dumps/", "/.well-known/void", "/doc/provincie/drenthe"} <= hrefs


def test_home_counts_per_class_and_per_graph(http, kg, built):
    page = soup(http.get("/"))  # Dutch: 13.277 with a dot for thousands; "–*" for inferred-only classes

    def number(text: str) -> int:
        text = text.strip()
        return 0 if text.endswith("*") else int(text.replace(".", ""))

    counts = {row.th.a["href"]: [number(td.get_text()) for td in row.select("td")]
              for row in page.select("#classes tbody tr")}
    documents = kg.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Document }")[0]["n"]
    assert counts["/def#Document"] == [0, int(documents)]  # documents are stated as letters and memos
    assert "kg:Letter" in page.select_one("#classes p.hint").get_text()
    # What the documents are about first; the build's quote locations last.
    assert list(counts)[-1] == "/def#QuoteLocation"
    graphs = {row.th.get_text(strip=True): number(row.td.get_text()) for row in page.select("#graphs tbody tr")}
    assert graphs == built.meta["triples"]


def test_home_diagram_shows_every_task_change_per_document(http, kg):
    # One row per task of a change (a change may name several tasks).
    rows = kg.select("""SELECT ?d (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?d ?c ?t WHERE {
        ?c a kg:TaskChange ; kg:statedIn ?d ; kg:task ?t } } } GROUP BY ?d""")
    page = soup(http.get("/"))
    for row in rows:
        figure = page.select_one(f"figure#diagram-{row['d'].rsplit('/', 1)[-1]}")
        assert len(figure.select("svg a")) == int(row["n"])
    # The Drenthe letter phases out grassroots sport: a minus in the province's column.
    drenthe = page.select_one("figure#diagram-drenthe-2010-pns svg")
    assert drenthe.select("g.marker.ends") and drenthe.select("g.marker.takes-on")


def test_class_listing(http):
    page = soup(http.get("/doc/", params={"class": str(KG.PublicAuthority)}))
    assert "/doc/provincie/drenthe" in {a["href"] for a in page.select("table.listing tbody th a")}


# -- ontology and graphs -------------------------------------------------------------------------

def _ontology() -> Graph:
    graph = Graph()
    for path in sorted((bundled_root() / "ontology").glob("*.ttl")):
        graph.parse(path)
    return graph


def test_def_documents_every_class_and_property_with_its_shapes(http):
    ontology = _ontology()
    page = soup(http.get("/def", headers={"Accept": "text/html"}))
    own = lambda kind: {str(s).removeprefix(str(KG)) for s in ontology.subjects(RDF.type, kind)  # noqa: E731
                        if str(s).startswith(str(KG))}
    sections = {s["id"] for s in page.select("section.term")}
    assert own(OWL.Class) <= sections
    assert own(OWL.ObjectProperty) | own(OWL.DatatypeProperty) <= sections
    shapes = Graph().parse(bundled_root() / "shapes" / "core.ttl")
    SH = Namespace("http://www.w3.org/ns/shacl#")
    for shape, cls in shapes.subject_objects(SH.targetClass):
        if not str(cls).startswith(str(KG)):
            continue
        local = str(cls).removeprefix(str(KG))
        section = page.find("section", id=local)
        assert section.find(id="shape-" + str(shape).rsplit("#", 1)[-1]) is not None, local
    # A letter is checked by the document shapes too (sh:targetClass follows rdfs:subClassOf).
    assert page.find("section", id="Letter").select_one("p.inherited a[href='#shape-Document']") is not None


def test_def_serves_the_ontology_as_rdf(http):
    response = http.get("/def", headers={"Accept": "text/turtle"})
    assert response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.content, format="turtle")
    assert (KG.Document, RDF.type, OWL.Class) in graph
    assert isomorphic(graph, _ontology())


def test_def_term_iris_resolve_to_the_def_page(http):
    response = http.get("/def/shapes")
    assert response.status_code == 303 and location_path(response) == "/def"


def test_graph_page_and_content(http, built):
    page = soup(http.get("/graph/drenthe-2010-pns", headers={"Accept": "text/html"}))
    assert page.select_one("main a[href='/doc/document/drenthe-2010-pns']") is not None
    graph = Graph().parse(data=http.get("/graph/drenthe-2010-pns.ttl").content, format="turtle")
    assert len(graph) == built.meta["triples"]["drenthe-2010-pns"]
    assert (PNS, RDF.type, KG.Letter) in graph
    assert http.get("/graph/nonsense", headers={"Accept": "application/json"}).status_code == 404


def test_home_tells_derived_dates_from_printed_ones(http, kg):
    derived = {r["d"] for r in kg.select("SELECT ?d WHERE { ?d kg:derivedDate ?y }")}
    printed = {r["d"] for r in kg.select("SELECT ?d WHERE { ?d kg:printedDate ?y }")}
    assert derived and printed
    page = soup(http.get("/", params={"lang": "nl"}))
    marked = {}
    for item in page.select("#documents li"):
        path = item.a["href"]
        marked[BASE + "id/" + path.removeprefix("/doc/")] = item.select_one("span.date abbr") is not None
    assert {d for d, is_marked in marked.items() if is_marked} == derived
    assert printed <= {d for d, is_marked in marked.items() if not is_marked}


PAGES = ["/", "/doc/provincie/drenthe", "/doc/document/mogroep-2015-oproep", "/def", "/graph/reference",
         "/dumps/", "/.well-known/void", "/doc/taakwijziging/drenthe-2010-pns-breedtesport-afbouwen"]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_structurally_accessible(http, path):
    """What a screen reader relies on: language, one h1, named links and controls, scoped headers."""
    response = http.get(path, headers={"Accept": "text/html", "Accept-Language": "en"})
    assert response.status_code == 200
    page = soup(response)
    assert page.html.get("lang") in ("nl", "en")
    assert len(page.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in page.find_all(re.compile(r"^h[1-6]$"))]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    for link in page.find_all("a", href=True):
        name = link.get_text(strip=True) or link.get("aria-label") or link.get("title")
        assert name, str(link)[:200]
    for header in page.select("tbody th"):
        assert header.get("scope") == "row", str(header)[:200]
    for svg in page.find_all("svg"):
        assert svg.get("aria-label") or svg.find("title"), "an SVG needs an accessible name"
    for element in page.select("[lang]"):
        assert element["lang"] in ("nl", "en"), element["lang"]


class BusyStore:
    """A store that is always full: every query is refused with 503."""

    def query(self, text, **kwargs):
        raise StoreError("busy", 503, {"Retry-After": "2"})


def test_a_busy_store_gives_503_with_retry_after(settings, built, http_on):
    client = http_on(create_app(settings, dataset=built, store=BusyStore()))
    response = client.get("/doc/provincie/drenthe", headers={"Accept": "application/json"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json() == {"ok": False, "error": "busy", "status": 503}
    assert client.get("/health").status_code == 503


def test_pages_refuse_a_page_index_cut_at_the_result_limit(settings, built, http_on):
    # The labels alone are hundreds of rows; with a limit of 50 a page would silently show bare IRIs.
    from dataclasses import replace

    app = create_app(replace(settings, result_limit=50), dataset=built)
    try:
        client = http_on(app)
        response = client.get("/doc/provincie/drenthe", headers={"Accept": "application/json"})
        assert response.status_code == 503
        assert "result_limit" in response.json()["error"]
        assert "page-labels.rq" in response.json()["error"]
        # The endpoint itself still answers, cut at the limit and saying so.
        answer = client.get("/sparql", params={"query": "SELECT * { ?s ?p ?o }", "format": "json"})
        assert answer.status_code == 200 and answer.headers["X-Result-Truncated"] == "true"
    finally:
        app.extensions["kennisgraaf"].store.close()
