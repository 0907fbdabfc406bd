"""Canned-query answers in the reader's language: labels, column headings, value lists, JSON and CSV.

``?lang=`` first, then ``Accept-Language``, then Dutch. Expected labels are the data's own
(data/reference: ``id/handeling/afbouwen`` "afbouwen"@nl / "phase out"@en, ``id/taak/breedtesport``
"stimuleren breedtesport"@nl / "promoting grassroots sport"@en). Runs in-process and against a real server.
"""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
from bs4 import BeautifulSoup

from kennisgraaf.site.cannedresults import localise
from kennisgraaf.site.pageindex import PageIndex

BASE = "https://w3id.org/kennisgraaf/"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"


def breedtesport(rows: list[dict]) -> dict:
    return next(r for r in rows if r["taak"] == BASE + "id/taak/breedtesport")


def test_json_labels_follow_lang_then_accept_language_then_dutch(http):
    english = http.get("/queries/taken-provincie", params={"lang": "en", "format": "json"})
    assert english.headers["Content-Language"] == "en"
    row = breedtesport(english.json()["rows"])
    assert (row["taakLabel"], row["handelingLabel"]) == ("promoting grassroots sport", "phase out")
    assert english.json()["columns"]["taak"] == "Task"
    http.client.cookies.clear()  # ?lang= is remembered in a cookie; a new reader has none
    by_header = http.get("/queries/taken-provincie", params={"format": "json"}, headers={"Accept-Language": "en"})
    assert breedtesport(by_header.json()["rows"])["handelingLabel"] == "phase out"
    http.client.cookies.clear()
    dutch = http.get("/queries/taken-provincie", params={"format": "json"})
    assert dutch.headers["Content-Language"] == "nl"
    row = breedtesport(dutch.json()["rows"])
    assert (row["taakLabel"], row["handelingLabel"]) == ("stimuleren breedtesport", "afbouwen")
    assert "_fallback" not in row or "taakLabel" not in row["_fallback"]
    assert dutch.json()["columns"]["taak"] == "Taak"


def test_text_only_in_dutch_is_marked_as_a_fallback(http):
    row = breedtesport(http.get("/queries/taken-provincie", params={"lang": "en", "format": "json"}).json()["rows"])
    assert "reden" in row["_fallback"]  # the reason is the letter's own Dutch wording
    assert "taakLabel" not in row["_fallback"]


def test_csv_has_a_label_column_in_the_chosen_language(http):
    body = http.get("/queries/taken-provincie", params={"lang": "en", "format": "csv"}).text
    table = list(csv.DictReader(io.StringIO(body)))
    row = next(r for r in table if r["taak"] == BASE + "id/taak/breedtesport")
    assert (row["taakLabel"], row["handelingLabel"], row["productLabel"]) == (
        "promoting grassroots sport", "phase out", "My exercise")


def test_html_headings_cells_and_value_lists_in_english(http):
    page = BeautifulSoup(http.get("/queries/taken-provincie", params={"lang": "en"},
                                  headers={"Accept": "text/html"}).text, "html.parser")
    headings = {th["data-variable"]: th.get_text() for th in page.select("table.results th[data-variable]")}
    assert headings["taak"] == "Task" and headings["handeling"] == "Action" and headings["product"] == "Product line"
    cells = [[td.get_text(" ", strip=True) for td in tr.select("td")] for tr in page.select("table.results tbody tr")]
    assert any("promoting grassroots sport" in row and "phase out" in row for row in cells)
    assert not any("afbouwen" in row for row in cells)
    fallback = page.select("table.results td.fallback")
    assert fallback and all(td["lang"] == "nl" for td in fallback)
    actions = {o["value"]: o.get_text() for o in page.select("select[name=handeling] option")}
    assert actions["afbouwen"] == "phase out" and actions["overdragen"] == "transfer"
    http.client.cookies.clear()  # ?lang= is remembered in a cookie; a new reader has none
    dutch = BeautifulSoup(http.get("/queries/taken-provincie", headers={"Accept": "text/html"}).text, "html.parser")
    assert {o["value"]: o.get_text() for o in dutch.select("select[name=handeling] option")}["afbouwen"] == "afbouwen"
    assert dutch.select_one("table.results th[data-variable=taak]").get_text() == "Taak"


def test_a_missing_label_falls_back_to_the_other_language_and_says_so():
    index = PageIndex(labels={BASE + "id/x": {SKOS_PREF: {"nl": "alleen Nederlands"}},
                              BASE + "id/y": {SKOS_PREF: {"nl": "beide", "en": "both"}}})
    rows = [{"thing": ox.NamedNode(BASE + "id/x")}, {"thing": ox.NamedNode(BASE + "id/y")}]
    loc = localise(["thing"], rows, index, "en")
    assert loc.variables == ["thing", "thingLabel"]
    assert [r["thingLabel"].value for r in loc.rows] == ["alleen Nederlands", "both"]
    assert loc.fallbacks == [{"thingLabel"}, set()]
