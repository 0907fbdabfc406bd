"""Source texts: read them and locate verbatim quotes in them.

The texts are PDF extractions, so a quote may cross a line break, and a word may be broken at a
line end with a hyphen (``be-\\nleid``). A quote matches when it equals the source after
collapsing whitespace and joining such broken words; the match is reported as character offsets
into the raw text so that pages can highlight the exact passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# A hyphen at a line end, with the spaces around the line break: a word broken by the PDF export.
_SOFT_BREAK = r"(?:-[ \t]*\r?\n[ \t]*(?:\r?\n[ \t]*)*)?"
# After a real hyphen in the quote, the source may continue on the next line.
_AFTER_HYPHEN = r"(?:[ \t]*\r?\n[ \t]*)?"


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote occurs in a source text, as character offsets into the raw text."""

    start: int
    end: int


class QuoteNotFound(LookupError):
    """A quote that does not occur in its source text."""


def read_source(path: Path) -> str:
    """Read a source text exactly as stored (UTF-8, no newline translation)."""
    return path.read_bytes().decode("utf-8")


def normalise(text: str) -> str:
    """Collapse whitespace and join words broken with a hyphen at a line end."""
    text = re.sub(r"-[ \t]*\r?\n\s*", "", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=4096)
def quote_pattern(quote: str) -> re.Pattern[str]:
    """Compile a pattern that finds ``quote`` in a raw PDF-extracted text."""
    parts: list[str] = []
    for token in re.split(r"(\s+)", quote.strip()):
        if not token:
            continue
        if token.isspace():
            parts.append(r"\s+")
            continue
        chars = []
        for char in token:
            chars.append(re.escape(char) + (_AFTER_HYPHEN if char == "-" else ""))
        parts.append(_SOFT_BREAK.join(chars))
    return re.compile("".join(parts))


_TOKENS = re.compile(r"-[ \t]*\r?\n\s*|\s+|.", re.DOTALL)


@lru_cache(maxsize=64)
def normalised_views(text: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Two normalised views of ``text`` with, per character, its offset in the raw text.

    The first joins words broken at a line end (``be-\nleid`` → ``beleid``); the second keeps
    the hyphen (``kennis-\nverspreiding`` → ``kennis-verspreiding``). Whitespace runs become one
    space in both.
    """
    views = []
    for join in (True, False):
        chars: list[str] = []
        offsets: list[int] = []
        for match in _TOKENS.finditer(text):
            token = match.group()
            if token.startswith("-") and len(token) > 1:
                if not join:
                    chars.append("-")
                    offsets.append(match.start())
            elif token.isspace():
                chars.append(" ")
                offsets.append(match.start())
            else:
                chars.append(token)
                offsets.append(match.start())
        views.append(("".join(chars), tuple(offsets)))
    return tuple(views)


def locate(quote: str, text: str) -> list[QuoteLocation]:
    """Return every location of ``quote`` in ``text``; raise QuoteNotFound if there is none."""
    if not quote.strip():
        raise QuoteNotFound("empty quote")
    needle = re.sub(r"\s+", " ", quote.strip())
    for view, offsets in normalised_views(text):
        found = []
        start = view.find(needle)
        while start != -1:
            last = start + len(needle) - 1
            found.append(QuoteLocation(offsets[start], offsets[last] + 1))
            start = view.find(needle, start + 1)
        if found:
            return found
    # A quote that joins one broken word and keeps the hyphen of another: the slower pattern.
    found = [QuoteLocation(m.start(), m.end()) for m in quote_pattern(quote).finditer(text)]
    if not found:
        raise QuoteNotFound(quote)
    return found


def line_of(text: str, offset: int) -> int:
    """Return the 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1
