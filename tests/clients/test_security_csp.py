"""The Content-Security-Policy of HTML pages lets YASGUI work, in a real browser (Chromium via Playwright)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# Every CSP violation the page causes is recorded, whether or not it breaks what the user sees.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


@pytest.mark.parametrize("path", ["/sparql", "/", "/queries", "/def"])
def test_pages_run_under_their_policy_without_a_single_violation(sparql_server: Any, path: str):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            tab = browser.new_page()
            tab.add_init_script(RECORD_VIOLATIONS)
            response = tab.goto(sparql_server(path))
            assert "script-src 'self'" in response.headers["content-security-policy"]
            if path == "/sparql":
                tab.wait_for_selector(".yasqe .CodeMirror")
                tab.click(".yasqe_queryButton")
                tab.wait_for_selector(".yasr table tbody tr")
            else:
                tab.wait_for_load_state("load")
            assert tab.evaluate("window.__violations") == []
        finally:
            browser.close()
