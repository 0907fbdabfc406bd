"""Each canned-query page shows the questions it answers and whether this build verified its expected rows.

Runs in-process and against a real server (the ``http`` fixture).
"""

from __future__ import annotations

from bs4 import BeautifulSoup


def test_query_page_shows_questions_and_verification(http):
    page = BeautifulSoup(http.get("/queries/taken-provincie", params={"lang": "en"},
                                  headers={"Accept": "text/html"}).text, "html.parser")
    questions = [li.get_text(" ", strip=True) for li in page.select("#questions li")]
    assert "Which tasks does the province of Drenthe transfer, and to whom?" in questions
    verified = page.find(id="verified").get_text(" ", strip=True)
    assert verified.startswith("✓ Verified on this build: the expected 3 rows are present")
    assert "handeling=overdragen" in verified
    http.client.cookies.clear()  # ?lang= is remembered in a cookie; a new reader has none
    nl = BeautifulSoup(http.get("/queries/taken-provincie", headers={"Accept": "text/html"}).text, "html.parser")
    assert nl.find(id="verified").get_text(" ", strip=True).startswith(
        "✓ Geverifieerd op deze build: de verwachte 3 rijen zijn aanwezig")
    assert "Welke taken draagt de provincie Drenthe over, en aan wie?" in nl.find(id="questions").get_text()


def test_catalogue_json_carries_questions_expected_rows_and_outcome(http):
    queries = {q["name"]: q for q in http.get("/queries", params={"format": "json"}).json()["queries"]}
    assert all(q["questions"] and q["expected"] for q in queries.values())
    wet = queries["documenten-per-wet"]
    assert {"id": "B25", "nl": wet["questions"][0]["nl"], "en": wet["questions"][0]["en"]} == wet["questions"][0]
    assert wet["expected"] == [{"document": "id/document/mogroep-2014-transformeren"},
                               {"document": "id/document/swn-2017-gemeenten"}]
    assert wet["verified"]["missing"] == [] and wet["verified"]["present"] == 2


def test_catalogue_page_marks_each_verified_query(http):
    page = BeautifulSoup(http.get("/queries", headers={"Accept": "text/html"}).text, "html.parser")
    marks = {dt["id"]: dt.select_one(".verified") for dt in page.select("dl.catalogue dt")}
    assert marks and all(mark is not None for mark in marks.values())
    assert marks["taken-provincie"].get_text(strip=True) == "✓ 3/3"
