"""Parser messages as people read them: the position, the text found there, a few expected tokens.

pyoxigraph's syntax errors list every token the grammar allows at the position ("expected one of
ABS, AVG, … ['0'..='9'], …"); a reader needs the place, what is written there and a few hints.
"""

from __future__ import annotations

import re

_POSITION = re.compile(r"error at (\d+):(\d+): expected (?:one of )?(.*)$", re.S)
MAX_EXPECTED = 6
SHOWN_TEXT = 24


def _expected(listing: str) -> list[str]:
    """The expected tokens, words first; character ranges such as ``['0'..='9']`` last."""
    items = [item.strip() for item in re.split(r",\s(?![^\[]*\])", listing) if item.strip()]
    return sorted(items, key=lambda item: (item.startswith("["), item.startswith('"')))


def shorten_syntax_error(message: str, query: str | None = None) -> str:
    """``message`` with at most :data:`MAX_EXPECTED` expected tokens and the text at the position."""
    found = _POSITION.search(message)
    if not found:
        return message
    line, column, listing = int(found.group(1)), int(found.group(2)), found.group(3)
    expected = _expected(listing)
    hint = ", ".join(expected[:MAX_EXPECTED]) + (", …" if len(expected) > MAX_EXPECTED else "")
    at = ""
    if query is not None:
        lines = query.split("\n")
        if 0 < line <= len(lines):
            rest = lines[line - 1][max(column - 1, 0):]
            at = f" at {rest[:SHOWN_TEXT]!r}" + ("…" if len(rest) > SHOWN_TEXT else "") if rest else " at the end"
    prefix = message[: found.start()]
    return f"{prefix}line {line}, column {column}{at}: expected {hint}"
