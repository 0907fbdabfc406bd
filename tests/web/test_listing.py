"""Class listings as tables (``/doc/?class=…``): rows, sorting, pages, facets, JSON and CSV."""

from __future__ import annotations

import csv
import io

from bs4 import BeautifulSoup

KG = "https://w3id.org/kennisgraaf/def#"
ID = "https://w3id.org/kennisgraaf/id/"


def listing(http, cls: str, **params: str):
    response = http.get("/doc/", params={"class": KG + cls, "format": "json", **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_every_instance_is_a_row_with_its_documents_and_layer(http, kg):
    instances = {row["a"] for row in kg.select("SELECT DISTINCT ?a WHERE { ?a a kg:PublicAuthority }")}
    data = listing(http, "PublicAuthority")
    assert data["total"] == len(instances) and {row["iri"] for row in data["rows"]} == instances
    rijk = next(row for row in data["rows"] if row["iri"] == ID + "overheid/rijk")
    assert rijk["layers"] == [ID + "bestuurslaag/rijk"]
    # The documents whose own graph (their data file) mentions the Rijk.
    mentioning = {row["d"] for row in kg.select(f"""SELECT DISTINCT ?d WHERE {{ GRAPH ?g {{ ?d a ?type .
        {{ <{ID}overheid/rijk> ?p ?o }} UNION {{ ?s ?q <{ID}overheid/rijk> }} }} ?d a kg:Document }}""")}
    assert set(rijk["documents"]) == mentioning and rijk["documentCount"] == len(mentioning) >= 4


def test_sorted_by_label_or_by_documents(http):
    by_label = [row["label"].lower() for row in listing(http, "PublicAuthority")["rows"]]
    assert by_label == sorted(by_label)
    by_documents = [row["documentCount"] for row in listing(http, "PublicAuthority", sort="documents",
                                                             order="desc")["rows"]]
    assert by_documents == sorted(by_documents, reverse=True) and by_documents[0] > by_documents[-1]


def test_a_facet_narrows_the_rows(http):
    document = ID + "document/drenthe-2010-pns"
    everything = listing(http, "PublicAuthority")
    narrowed = listing(http, "PublicAuthority", document=document)
    assert 0 < narrowed["total"] < everything["total"]
    assert all(document in row["documents"] for row in narrowed["rows"])
    provinces = listing(http, "PublicAuthority", layer=ID + "bestuurslaag/provincie")
    assert provinces["total"] > 0 and all(row["layers"] == [ID + "bestuurslaag/provincie"]
                                          for row in provinces["rows"])


def test_long_listings_come_in_pages(http, kg):
    total = int(kg.select("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a kg:Claim FILTER(isIRI(?a)) }")[0]["n"])
    assert total > 50
    first, second = listing(http, "Claim"), listing(http, "Claim", page="2")
    assert first["pages"] == -(-total // 50) and len(first["rows"]) == 50
    assert not {row["iri"] for row in first["rows"]} & {row["iri"] for row in second["rows"]}
    page = BeautifulSoup(http.get("/doc/", params={"class": KG + "Claim"}).text, "html.parser")
    assert page.select_one("nav.pager a[rel=next]")["href"].endswith("page=2")
    assert len(page.select("table.listing tbody tr")) == 50


def test_the_html_table_links_sorting_facets_and_downloads(http):
    page = BeautifulSoup(http.get("/doc/", params={"class": KG + "PublicAuthority", "lang": "en"}).text,
                         "html.parser")
    headings = [th.get_text(" ", strip=True) for th in page.select("table.listing thead th")]
    assert headings[:3] == ["Name ▲", "Type", "Documents"]
    assert page.select_one("table.listing thead th a.sort")["href"]
    assert page.select("#facet-document a.facet") and page.select("#facet-layer a.facet")
    csv_link = page.find("a", string="CSV")["href"]
    rows = list(csv.reader(io.StringIO(http.get(csv_link).text)))
    assert rows[0] == ["iri", "label", "types", "documents", "documentCount", "layers"] and len(rows) > 10


def test_a_bad_sort_or_page_is_400(http):
    assert http.get("/doc/", params={"class": KG + "Claim", "sort": "nope"}).status_code == 400
    assert http.get("/doc/", params={"class": KG + "Claim", "page": "x"}).status_code == 400
