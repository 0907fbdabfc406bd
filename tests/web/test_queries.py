"""The canned queries over HTTP: catalogue, every query as HTML/JSON/CSV, evidence links, bad input, OpenAPI."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlsplit

import pytest
import schemathesis
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from openapi_spec_validator import validate
from rdflib import Graph, URIRef

from kennisgraaf.build.sources import locate, read_source
from kennisgraaf.config import bundled_root
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.vocab import UriStrategy

CATALOGUE = load_catalogue(UriStrategy())
NAMES = [q.name for q in CATALOGUE]
SELECTS = [q.name for q in CATALOGUE if q.kind == "select"]
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}
ANCHOR = re.compile(r"^/doc/document/([a-z0-9-]+)#q-(\d+)-(\d+)$")
ATTACKS = ['" } } SELECT * WHERE { ?s ?p ?o } #', "x' . ?s ?p ?o . FILTER('1", "id/provincie/drenthe> . ?s ?p ?o . <x",
           "}} DROP ALL #", "a\nb } #", "\\u0022 } #", "\\u003E", "#", "{", "<>", "'''\"\"\"", "%00", "\x00"]


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


# -- the catalogue ----------------------------------------------------------------------------


def test_catalogue_page_lists_every_query_with_its_description(http):
    response = http.get("/queries", headers=HTML)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = soup(response)
    for query in CATALOGUE:
        term = page.find("dt", id=query.name)
        assert term is not None, query.name
        assert term.find("a")["href"] == f"/queries/{query.name}"
        assert term.find_next_sibling("dd").find("p").get_text(strip=True) == query.description["nl"]


def test_catalogue_in_english(http):
    page = soup(http.get("/queries", headers=HTML, params={"lang": "en"}))
    assert page.find("dt", id="taken-provincie").find("a").get_text() == CATALOGUE.get("taken-provincie").title["en"]


def test_catalogue_as_json(http):
    response = http.get("/queries", headers=JSON)
    assert response.mimetype == "application/json"
    listed = {q["name"]: q for q in response.json()["queries"]}
    assert list(listed) == NAMES
    entry = listed["taken-provincie"]
    assert entry["url"].endswith("/queries/taken-provincie")
    assert {p["name"]: p["default"] for p in entry["parameters"]} == {"provincie": "id/provincie/drenthe",
                                                                     "handeling": "afbouwen"}
    assert listed["documenten-per-wet"]["inference"]["en"].startswith("Depends on inferred triples")


# -- every query as HTML, JSON and CSV ---------------------------------------------------------


@pytest.mark.parametrize("name", SELECTS)
def test_each_query_answers_as_html_json_and_csv(http, name):
    data = http.get(f"/queries/{name}", headers=JSON)
    assert data.status_code == 200 and data.mimetype == "application/json"
    body = data.json()
    assert body["query"] == name and body["rows"], name
    assert set(body["parameters"]) == {p.name for p in CATALOGUE.get(name).parameters}

    table = http.get(f"/queries/{name}", params={"format": "csv"})
    assert table.status_code == 200 and table.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0] == body["variables"] and len(rows) - 1 == len(body["rows"])

    page = http.get(f"/queries/{name}", headers=HTML)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = soup(page)
    form = html.find("form", class_="query-form")
    assert {f["name"] for f in form.find_all(["input", "select"])} == {
        *(p.name for p in CATALOGUE.get(name).parameters), "asserted"}
    assert len(html.find("table", class_="results").find("tbody").find_all("tr")) == len(body["rows"])
    alternates = {link["title"] for link in html.find_all("link", rel="alternate")}
    assert {"json", "csv", "tsv", "xml", "srj"} <= alternates


@pytest.mark.parametrize(("accept", "media_type"), [
    ("text/csv", "text/csv"), ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"), ("application/json", "application/json"),
])
def test_accept_chooses_the_format(http, accept, media_type):
    response = http.get("/queries/taken-provincie", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media_type
    assert "Accept" in response.headers.get("Vary", "")


def test_format_parameter_wins_over_accept(http):
    response = http.get("/queries/taken-provincie", headers=JSON, params={"format": "tsv"})
    assert response.mimetype == "text/tab-separated-values"
    assert response.text.splitlines()[0].split("\t")[0] == "?taak"


def test_an_unavailable_format_is_406_listing_what_is(http):
    response = http.get("/queries/taken-provincie", headers={"Accept": "image/png"})
    assert response.status_code == 406 and response.mimetype == "text/plain"
    assert "text/csv" in response.text
    as_json = http.get("/queries/taken-provincie", params={"handeling": "nope"}, headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.json()["ok"] is False and "handeling" in as_json.json()["error"]


def test_construct_answers_as_turtle_and_json_ld(http):
    turtle = http.get("/queries/beweringen-van-document", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    graph = Graph().parse(data=turtle.text, format="turtle")
    document = URIRef("https://w3id.org/kennisgraaf/id/document/drenthe-2010-pns")
    stated = URIRef("https://w3id.org/kennisgraaf/def#statedIn")
    assert len(set(graph.subjects(stated, document))) > 20
    jsonld = http.get("/queries/beweringen-van-document", params={"format": "jsonld"})
    assert jsonld.mimetype == "application/ld+json"
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)
    assert http.get("/queries/beweringen-van-document", params={"format": "csv"}).status_code == 400


def test_asserted_only_changes_an_inference_dependent_answer(http):
    full = http.get("/queries/documenten-per-wet", headers=JSON).json()
    asserted = http.get("/queries/documenten-per-wet", headers=JSON, params={"asserted": "true"}).json()
    assert len(full["rows"]) == 5 and asserted["rows"] == [] and asserted["asserted"] is True


def test_the_form_keeps_the_values_given(http):
    page = soup(http.get("/queries/taken-provincie", headers=HTML, params={"handeling": "overdragen"}))
    assert page.find("select", attrs={"name": "handeling"}).find("option", selected=True)["value"] == "overdragen"
    chosen = page.find("select", attrs={"name": "provincie"}).find("option", selected=True)
    assert (chosen["value"], chosen.get_text()) == ("id/provincie/drenthe", "Provincie Drenthe")


# -- evidence ----------------------------------------------------------------------------------


def test_rows_carry_their_evidence_linked_to_the_quote(http):
    rows = http.get("/queries/taken-provincie", headers=JSON).json()["rows"]
    text = read_source(bundled_root() / "data" / "bronnen" / "001_51a662fe140cf0d6.txt")
    for row in rows:
        assert row["_evidence"], row
        for evidence in row["_evidence"]:
            assert evidence["document"].endswith("/id/document/drenthe-2010-pns")
            match = ANCHOR.match(urlsplit(evidence["href"]).path + "#" + urlsplit(evidence["href"]).fragment)
            assert match and match.group(1) == "drenthe-2010-pns"
            where = (int(match.group(2)), int(match.group(3)))
            assert where in {(w.start, w.end) for w in locate(evidence["quote"], text)}


def test_the_html_table_links_each_quote_to_its_place_on_the_document_page(http):
    page = soup(http.get("/queries/taken-provincie", headers=HTML))
    links = [a["href"] for a in page.select("td.evidence a.quote")]
    assert links and all(ANCHOR.match(href) for href in links)
    document = soup(http.get("/doc/document/drenthe-2010-pns", headers=HTML))
    for href in links:
        assert document.find(id=href.split("#")[1]) is not None, href


def test_queries_without_quotes_carry_no_evidence(http):
    rows = http.get("/queries/documenten-tijdlijn", headers=JSON).json()["rows"]
    assert rows and all("_evidence" not in row for row in rows)


# -- bad input ---------------------------------------------------------------------------------


def test_an_unknown_query_is_404_listing_the_catalogue(http):
    response = http.get("/queries/bestaat-niet", headers=JSON)
    assert response.status_code == 404
    assert all(name in response.json()["error"] for name in NAMES)
    page = http.get("/queries/bestaat-niet", headers=HTML)
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "taken-provincie" in soup(page).get_text()


@pytest.mark.parametrize(("params", "named", "allowed"), [
    ({"kleur": "rood"}, "kleur", "takes provincie, handeling"),
    ({"handeling": "slopen"}, "handeling", "'afbouwen'"),
    ({"provincie": "id/provincie/atlantis"}, "provincie", "id/provincie/drenthe"),
    ({"provincie": "id/handeling/afbouwen"}, "provincie", "PublicAuthority"),
    ({"asserted": "misschien"}, "asserted", "true or false"),
    ({"format": "pdf"}, "format", "csv"),
    ({"lang": "fr"}, "lang", "nl or en"),
    ([("handeling", "afbouwen"), ("handeling", "overdragen")], "handeling", "more than once"),
])
def test_a_bad_parameter_is_400_naming_it_and_what_is_allowed(http, params, named, allowed):
    response = http.get("/queries/taken-provincie", headers=JSON, params=params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert f"parameter {named!r}" in error and allowed in error


def test_a_bad_literal_is_400(http):
    response = http.get("/queries/documenten-tijdlijn", headers=JSON, params={"vanaf": "twintig"})
    assert response.status_code == 400 and "parameter 'vanaf'" in response.json()["error"]


def test_a_browser_gets_the_form_back_with_the_problem(http):
    response = http.get("/queries/taken-provincie", headers=HTML, params={"handeling": "slopen"})
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = soup(response)
    assert "parameter 'handeling'" in page.find(class_="error").get_text()
    assert page.find("form", class_="query-form") is not None and page.find("table") is None


@pytest.mark.parametrize("attack", ATTACKS)
def test_injection_attempts_change_nothing(http, attack):
    """Quotes, braces, '#', newlines, '>' and \\u escapes: 400, or an empty result; never a 5xx."""
    for name, param in [("taken-provincie", "provincie"), ("taken-provincie", "handeling"),
                        ("documenten-tijdlijn", "vanaf"), ("wetten-in-meerdere-documenten", "minimum"),
                        ("rollen-voor-bestuurslaag", "document")]:
        response = http.get(f"/queries/{name}", headers=JSON, params={param: attack})
        assert response.status_code == 400, (name, param, response.status_code)
        assert f"parameter {param!r}" in response.json()["error"]
    response = http.get("/queries/citaten-zoeken", headers=JSON, params={"zoekterm": attack})
    assert response.status_code == 200 and response.json()["rows"] == []
    assert response.json()["parameters"]["zoekterm"] == attack
    for target in (f"/queries/{attack}", "/queries/taken-provincie"):
        params = {"format": attack} if target.endswith("provincie") else None
        assert http.get(target, headers=JSON, params=params).status_code in (400, 404)


# -- OpenAPI -----------------------------------------------------------------------------------


def test_openapi_document_validates_and_describes_every_query(http):
    spec = http.get("/openapi.json").json()
    validate(spec)
    assert spec["openapi"].startswith("3.1")
    for query in CATALOGUE:
        operation = spec["paths"][f"/queries/{query.name}"]["get"]
        assert operation["operationId"] == query.name
        names = {p["name"] for p in operation["parameters"]}
        assert names == {p.name for p in query.parameters} | {"format", "asserted", "lang"}
        responses = operation["responses"]["200"]["content"]
        assert ("text/turtle" in responses) == (query.kind == "graph")
        assert ("text/csv" in responses) == (query.kind == "select")
    enum = next(p for p in spec["paths"]["/queries/taken-provincie"]["get"]["parameters"] if p["name"] == "provincie")
    assert "id/provincie/drenthe" in enum["schema"]["enum"]


# schemathesis' own pytest plugin (``from_fixture``) does not run under pytest 9 (it reads the removed
# ``Function._nodeid``), so the tests draw its cases through hypothesis themselves, per operation and mode.
PATHS = ["/queries", *(f"/queries/{name}" for name in NAMES)]
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


def run_schemathesis(api, path: str, mode, examples: int, **call) -> None:
    operation = api[path]["GET"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case) -> None:
        case.call_and_validate(**call)

    check()


@pytest.fixture(scope="module")
def app_schema(app):
    return schemathesis.openapi.from_wsgi("/openapi.json", app)


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
@pytest.mark.parametrize("path", PATHS)
def test_schemathesis_finds_no_failure(app_schema, path, mode):
    """Every default check: no 5xx, documented statuses and media types, bodies that fit their schemas,
    schema-valid requests accepted and schema-invalid ones refused."""
    run_schemathesis(app_schema, path, mode, 25)


@pytest.fixture(scope="module")
def server_schema(live_server):
    return schemathesis.openapi.from_url(live_server("/openapi.json"))


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
@pytest.mark.parametrize("path", PATHS)
def test_schemathesis_against_the_real_server_finds_no_failure(server_schema, live_server, path, mode):
    """The same checks against a real ``kennisgraaf serve`` process, with fewer examples."""
    run_schemathesis(server_schema, path, mode, 5, base_url=live_server.url)
