"""Example queries for the SPARQL query page, read from the canned queries (``queries/*.rq``).

Each example has a title (nl and en, from the ``#+ title:`` header when there is one, else the
file stem) and the query text with the standard PREFIX lines in front, so that it runs as it
stands on any SPARQL endpoint that holds the dataset.
"""

from __future__ import annotations

from importlib import resources

import yaml


def example_queries(prologue: str) -> list[dict[str, str]]:
    """``[{"name", "nl", "en", "query"}]`` for every ``queries/*.rq`` of the package, by name."""
    folder = resources.files("kennisgraaf.sparql") / "queries"
    if not folder.is_dir():
        return []
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        text = entry.read_text(encoding="utf-8")
        stem = entry.name[: -len(".rq")]
        title = _header(text).get("title")
        nl, en = _titles(title, stem)
        found.append({"name": stem, "nl": nl, "en": en, "query": prologue + "\n" + text})
    return found


def _header(text: str) -> dict:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    try:
        header = yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
    except yaml.YAMLError:
        return {}
    return header if isinstance(header, dict) else {}


def _titles(title: object, stem: str) -> tuple[str, str]:
    if isinstance(title, dict):
        nl = str(title.get("nl") or title.get("en") or stem)
        return nl, str(title.get("en") or nl)
    if isinstance(title, str) and title.strip():
        return title.strip(), title.strip()
    return stem, stem
