"""Where a Turtle file writes a subject: the line a report can point a maintainer to (best effort)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.IGNORECASE)
_LOCAL = re.compile(r"^[\w-][\w.-]*$")


class Locator:
    """Finds the line on which a data file first writes a subject IRI (best effort)."""

    def __init__(self, subject_files: Mapping[str, Path]) -> None:
        self._files = subject_files
        self._lines: dict[Path, list[str]] = {}

    def locate(self, iri: str) -> tuple[str | None, int | None]:
        path = self._files.get(iri)
        if path is None:
            return None, None
        return str(path), self.line_of(path, iri)

    def line_of(self, path: Path, iri: str) -> int | None:
        if path not in self._lines:
            try:
                self._lines[path] = path.read_text(encoding="utf-8").splitlines()
            except OSError:
                self._lines[path] = []
        return find_line(self._lines[path], iri)


def find_line(lines: list[str], iri: str) -> int | None:
    """1-based number of the first line that writes ``iri`` (preferring subject position), or None."""
    forms = [f"<{iri}>"]
    patterns: list[re.Pattern[str]] = []
    base: str | None = None
    first_any: int | None = None
    for number, text in enumerate(lines, start=1):
        if m := _BASE.match(text):
            base = m.group(1)
            if iri.startswith(base) and iri != base:
                forms.append(f"<{iri[len(base):]}>")
            continue
        if m := _PREFIX.match(text):
            prefix, namespace = m.group(1) or "", m.group(2)
            if base and not re.match(r"^[a-z][a-z0-9+.-]*:", namespace, re.IGNORECASE):
                namespace = base + namespace
            local = iri[len(namespace):]
            if iri.startswith(namespace) and _LOCAL.match(local) and not local.endswith("."):
                patterns.append(re.compile(rf"(?<![\w:-]){re.escape(prefix)}:{re.escape(local)}(?![\w:-])"))
            continue
        stripped = text.lstrip()
        if stripped.startswith("#"):
            continue
        if any(stripped.startswith(f) for f in forms) or any(p.match(stripped) for p in patterns):
            return number
        if first_any is None and (any(f in text for f in forms) or any(p.search(text) for p in patterns)):
            first_any = number
    return first_any
