"""The site as a person uses it: every page kind in real Chromium, on a laptop and on a phone.

Each page must carry the one frame (brand, navigation, language switch, footer), never be wider
than the screen (wide tables scroll inside their own box), and switch language. The query page's
result links stay in the app, and a canned query opened in the query editor gives the same rows.
Screenshots go to ``test-artifacts/site-*.png``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from browser import chromium, screenshot
from serving import LiveServer

KG = "https://w3id.org/kennisgraaf/def#"
PAGES = {
    "home": "/",
    "sparql": "/sparql",
    "catalogue": "/queries",
    "canned-query": "/queries/taken-provincie",
    "canned-query-error": "/queries/taken-provincie?provincie=id/provincie/nergens",
    "resource": "/doc/provincie/drenthe",
    "document": "/doc/document/drenthe-2010-pns",
    "listing": "/doc/?class=" + quote(KG + "Task"),
    "ontology": "/def",
    "graph": "/graph/reference",
    "dumps": "/dumps/",
    "void": "/.well-known/void",
    "not-found": "/doc/provincie/nergens",
    "error": "/dumps/nothing-here",
}
WIDTHS = {"laptop": 1280, "phone": 390}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(params=list(WIDTHS))
def page(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": WIDTHS[request.param], "height": 900}, locale="nl-NL")
    tab = context.new_page()
    tab.width_name = request.param
    yield tab
    context.close()


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_page_has_the_frame_and_fits_the_screen(live_server: LiveServer, page: Any, kind: str) -> None:
    response = page.goto(live_server(PAGES[kind]))
    assert response.status == (404 if kind in ("not-found", "error") else 400 if kind.endswith("-error") else 200)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("header.site a.brand").is_visible()
    assert page.locator("header.site .site-nav a").count() >= 5
    assert page.locator("header.site .lang-switch a[hreflang=en]").is_visible()
    assert page.locator("footer.site").count() == 1
    # Only the site stylesheet: one stylesheet system, whatever the page.
    sheets = page.locator("link[rel=stylesheet]").evaluate_all("links => links.map(l => new URL(l.href).pathname)")
    assert "/static/site.css" in sheets and not [s for s in sheets if s not in ("/static/site.css",
                                                                              "/static/yasgui/yasgui.min.css")]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    screenshot(page, f"site-{kind}-{page.width_name}")
    assert overflow <= 0, f"{PAGES[kind]} is {overflow}px wider than the {page.width_name} screen"


@pytest.mark.parametrize("kind", ["home", "sparql", "canned-query", "resource", "dumps"])
def test_the_language_switch_turns_the_page_into_english(live_server: LiveServer, page: Any, kind: str) -> None:
    page.goto(live_server(PAGES[kind]))
    page.locator("header.site .lang-switch a").click()
    page.wait_for_function("document.documentElement.lang === 'en'")
    assert page.locator(".site-nav a[href='/']").inner_text() == "Home"
    assert page.locator("header.site .lang-switch a").get_attribute("hreflang") == "nl"
    # The choice sticks: the next page comes in English too.
    page.goto(live_server("/queries"))
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_query_page_speaks_one_language(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server("/sparql?lang=en"))
    intro = page.locator(".sparql-intro").inner_text()
    assert "Ask the knowledge graph" in intro and "Stel een" not in intro
    page.goto(live_server("/sparql?lang=nl"))
    intro = page.locator(".sparql-intro").inner_text()
    assert "Stel een" in intro and "Ask the knowledge graph" not in intro
    assert "50.000" in intro  # the result limit with Dutch digit grouping


def test_query_results_link_to_this_servers_pages(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server("/sparql"))
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table tbody tr")
    page.wait_for_function("document.querySelectorAll('.yasr table tbody a.local').length > 0")
    hrefs = page.locator(".yasr table tbody a").evaluate_all("links => links.map(a => a.href)")
    server = urlsplit(live_server("/")).netloc
    ours = [h for h in hrefs if urlsplit(h).path.startswith("/id/")]
    assert ours and all(urlsplit(h).netloc == server for h in ours)
    assert not [h for h in hrefs if h.startswith("https://w3id.org/kennisgraaf/")]
    with page.context.expect_page() as opened:
        page.locator(".yasr table tbody a.local").first.click()
    document = opened.value
    document.wait_for_load_state()
    assert urlsplit(document.url).netloc == server and urlsplit(document.url).path.startswith("/doc/document/")
    assert document.locator("h1").inner_text().strip()


def test_a_canned_query_opens_in_the_editor_and_gives_the_same_rows(live_server: LiveServer, page: Any) -> None:
    page.goto(live_server("/queries/taken-provincie?provincie=id/provincie/drenthe&handeling=afbouwen"))
    rows = page.locator("table.results tbody tr").count()
    assert rows > 0
    page.locator("details.show-sparql summary").click()
    shown = page.locator("details.show-sparql pre").inner_text()
    assert "kg:TaskChange" in shown and "<https://w3id.org/kennisgraaf/id/provincie/drenthe>" in shown
    page.locator("a.open-in-editor").click()
    page.wait_for_selector(".yasr table tbody tr")
    editor = page.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert editor.strip() == shown.strip()
    assert page.locator(".yasr table tbody tr").count() == rows
