"""The /sparql query page in a real browser (Debian's Chromium, driven by Playwright).

YASGUI is vendored, so the page must work with no request leaving the server: the editor starts
with the prefixes filled in, a query runs against /sparql and shows a table, an example opens in
a tab of its own, and the download links follow the editor.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from browser import chromium


@pytest.fixture(scope="module")
def page(sparql_server: Any) -> Iterator[tuple[Any, list[str]]]:
    with chromium() as browser:
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        requested: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        tab.goto(sparql_server("/sparql"))
        tab.wait_for_selector(".yasqe .CodeMirror")
        yield tab, requested


def editors(tab: Any) -> list[str]:
    return tab.evaluate("Array.from(document.querySelectorAll('.CodeMirror')).map(e => e.CodeMirror.getValue())")


def test_the_editor_starts_with_the_prefixes_and_runs_a_query_into_a_table(page, sparql_server, built, kg):
    tab, requested = page
    assert f"PREFIX kg: <{built.base}def#>" in editors(tab)[0]
    # The PREFIX lines are folded, so the query's body shows from the first lines.
    assert tab.locator(".CodeMirror-foldmarker").count() == 1
    assert "SELECT ?document ?title" in tab.locator(".CodeMirror-code").inner_text()
    tab.click(".yasqe_queryButton")
    tab.wait_for_selector(".yasr table tbody tr")
    documents = kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?d a kg:Document ; dcterms:title ?t }")
    assert tab.locator(".yasr table tbody tr").count() == int(documents[0]["n"])
    server = urlsplit(sparql_server("/")).netloc
    assert {urlsplit(url).netloc for url in requested} == {server}


def test_an_example_opens_in_its_own_tab_and_the_download_links_follow(page, sparql_server):
    tab, _ = page
    button = tab.locator("#sparql-examples button").first
    tab.locator("details.sparql-examples summary").click()
    title = button.inner_text()
    button.click()
    tab.wait_for_function("document.querySelectorAll('.CodeMirror').length >= 2")
    assert tab.locator("[role=tab]").count() >= 2
    assert tab.locator("[role=tab][aria-selected=true]").inner_text().strip()[:20] == title[:20]
    shown = [text for text in editors(tab) if "#+ title:" in text]
    assert shown
    href = tab.locator("#sparql-downloads a[data-format=csv]").get_attribute("href")
    assert parse_qs(urlsplit(href).query)["query"] == [shown[0]]
