"""The /sparql query page in a real browser (Debian's Chromium, driven by Playwright).

YASGUI is vendored, so the page must work with no request leaving the server: the editor starts
with the prefixes filled in, a query runs against /sparql and shows a table, an example opens in
a tab of its own, and the download links follow the editor.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def page(sparql_server: Any) -> Iterator[tuple[Any, list[str]]]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        requested: list[str] = []
        tab.on("request", lambda request: requested.append(request.url))
        tab.goto(sparql_server("/sparql"))
        tab.wait_for_selector(".yasqe .CodeMirror")
        yield tab, requested
        browser.close()


def editors(tab: Any) -> list[str]:
    return tab.evaluate("Array.from(document.querySelectorAll('.CodeMirror')).map(e => e.CodeMirror.getValue())")


def test_the_editor_starts_with_the_prefixes_and_runs_a_query_into_a_table(page, sparql_server, built):
    tab, requested = page
    assert f"PREFIX kg: <{built.base}def#>" in editors(tab)[0]
    tab.click(".yasqe_queryButton")
    tab.wait_for_selector(".yasr table tbody tr")
    assert tab.locator(".yasr table tbody tr").count() == 25  # the default query's LIMIT
    server = urlsplit(sparql_server("/")).netloc
    assert {urlsplit(url).netloc for url in requested} == {server}


def test_an_example_opens_in_its_own_tab_and_the_download_links_follow(page, sparql_server):
    tab, _ = page
    button = tab.locator("#sparql-examples button").first
    tab.locator("details.sparql-examples summary").click()
    title = button.locator("span[lang=nl]").inner_text()
    button.click()
    tab.wait_for_function("document.querySelectorAll('.CodeMirror').length >= 2")
    assert tab.locator("[role=tab]").count() >= 2
    assert tab.locator("[role=tab][aria-selected=true]").inner_text().strip()[:20] == title[:20]
    shown = [text for text in editors(tab) if "#+ title:" in text]
    assert shown
    href = tab.locator("#sparql-downloads a[data-format=csv]").get_attribute("href")
    assert parse_qs(urlsplit(href).query)["query"] == [shown[0]]
