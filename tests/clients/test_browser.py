"""A real browser (headless Chromium driven by Playwright) against a real server process.

A newcomer's path: the home page, a link to Provincie Drenthe, from a claim about Drenthe to the
highlighted sentence in the source document, and a canned query run from its form. Screenshots are
kept in ``test-artifacts/`` (gitignored). Chromium is Debian's (``/usr/bin/chromium``): Playwright's
own browser download is not reachable, so ``executable_path`` points at it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import chromium, screenshot
from serving import LiveServer


@pytest.fixture(scope="module")
def server(live_server: LiveServer) -> LiveServer:
    return live_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
    tab = context.new_page()
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    screenshot(page, f"browser-{name}")


def test_from_the_home_page_to_the_sentence_a_fact_comes_from(server: Any, page: Any) -> None:
    page.goto(server("/"))
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("#diagram svg").first.is_visible()
    shot(page, "1-home")

    page.locator("#authorities").get_by_role("link", name="Provincie Drenthe", exact=True).click()
    page.wait_for_url("**/doc/provincie/drenthe")
    assert page.locator("h1").inner_text().strip() == "Provincie Drenthe"
    shot(page, "2-drenthe")

    evidence = page.locator("#related-evidence li").first
    quote = evidence.locator("blockquote").inner_text()
    evidence.locator("a.in-context").first.click()
    page.wait_for_url("**/doc/document/**#q-*")
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(":target")
    assert target.evaluate("node => node.tagName") == "MARK"
    assert target.get_attribute("id") == anchor
    if "q-anchor" in (target.get_attribute("class") or ""):
        # A passage that starts inside another's highlight has an empty anchor mark; the highlight
        # it marks is the mark right after it (styled by `mark.q-anchor:target + mark.q`).
        target = page.locator(":target + mark.q")
    assert target.is_visible()
    # The passage linked to is a third down the screen, not hidden under the top edge.
    top = target.evaluate("node => node.getBoundingClientRect().top")
    assert 0 < top < page.viewport_size["height"]
    assert target.evaluate("node => getComputedStyle(node).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
    squeeze = lambda text: "".join(text.replace("-", "").split())  # noqa: E731
    assert squeeze(quote).startswith(squeeze(target.inner_text()))
    shot(page, "3-highlighted-quote")


def test_a_canned_query_from_its_form(server: Any, page: Any, kg: Any) -> None:
    page.goto(server("/queries/taken-provincie?lang=nl"))
    province = page.locator("#p-provincie")
    if province.evaluate("node => node.tagName") == "SELECT":
        province.select_option(label="Provincie Drenthe")
    else:
        province.fill("https://w3id.org/kennisgraaf/id/provincie/drenthe")
    page.locator("#p-handeling").select_option("afbouwen")
    page.locator("form.query-form button[type=submit]").click()
    page.wait_for_selector("table.results")
    shot(page, "4-canned-query")

    expected = kg.select("""SELECT DISTINCT ?change ?task WHERE { ?change a kg:TaskChange ;
        kg:actor <id/provincie/drenthe> ; kg:action <id/handeling/afbouwen> ; kg:task ?task ; kg:quote ?q }""")
    # One row per task of each change: "Taken afbouwen" under Mijn dag names two tasks.
    assert page.locator("table.results tbody tr").count() == len({(r["change"], r["task"]) for r in expected})
    tasks = {href for href in page.locator("table.results tbody a").evaluate_all("links => links.map(a => a.pathname)")}
    # The Drenthe letter phases out "Taken voor breedtesport" and "Welzijn- en zorgtaken".
    assert {"/doc/taak/breedtesport", "/doc/taak/welzijn-en-zorgtaken"} <= tasks
    shown = {t for t in tasks if t.startswith("/doc/taak/")}
    assert shown == {"/doc/" + r["task"].split("/id/", 1)[1] for r in expected}
