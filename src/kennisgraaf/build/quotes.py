"""Finding the passage of a source text nearest to some words: for quotes that are not found
and for maintainers who look up the exact wording of a quote.

The search works on the same normalised view of the text as ``sources.locate`` (whitespace runs
as one space, words broken with a hyphen at a line end joined), so the passage it returns, written
as a quote, is found again by the build. Candidates are windows of whole words that share the
most words with the query (case and punctuation ignored); the best few are then compared
character by character with difflib, allowing a window a few words longer or shorter.
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass

from kennisgraaf.build.sources import line_of, normalised_views

_WORD = re.compile(r"\S+")
_CANDIDATES = 8  # windows refined with difflib
_SLACK = 3  # words a window may start earlier/later or be longer/shorter than the query


@dataclass(frozen=True)
class Passage:
    """A passage of a source text: raw offsets, its text as a quote is written, its first line."""

    start: int
    end: int
    text: str
    line: int
    score: float  # similarity to the query, 0..1 (1: the same words)


def _key(word: str) -> str:
    """A word for comparison: lower case, letters and digits only."""
    return "".join(c for c in word.lower() if c.isalnum())


def nearest_passages(query: str, text: str, limit: int = 1) -> list[Passage]:
    """The ``limit`` passages of ``text`` most like ``query``, best first (none for an empty query)."""
    view, offsets = normalised_views(text)[0]
    words = [(m.start(), m.end()) for m in _WORD.finditer(view)]
    wanted = [_key(w) for w in query.split()]
    if not words or not any(wanted):
        return []
    keys = [_key(view[s:e]) for s, e in words]
    size = len(wanted)
    need = Counter(k for k in wanted if k)
    scored = []
    for i in range(max(1, len(words) - size + 1)):
        window = Counter(keys[i:i + size])
        shared = sum(min(count, window[k]) for k, count in need.items())
        scored.append((shared, -i))
    scored.sort(reverse=True)
    target = " ".join(query.split()).lower()
    best: dict[tuple[int, int], float] = {}
    for _shared, negative_start in scored[:_CANDIDATES]:
        first = -negative_start
        for start in range(max(0, first - _SLACK), min(len(words), first + _SLACK + 1)):
            for length in range(max(1, size - _SLACK), size + _SLACK + 1):
                stop = min(len(words), start + length)
                if (start, stop) in best:
                    continue
                candidate = view[words[start][0]:words[stop - 1][1]].lower()
                best[(start, stop)] = difflib.SequenceMatcher(None, target, candidate, autojunk=False).ratio()
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
    passages: list[Passage] = []
    chosen: list[tuple[int, int]] = []  # word spans already taken: the next passage may not overlap one
    for (start, stop), score in ranked:
        if any(start < taken_stop and taken_start < stop for taken_start, taken_stop in chosen):
            continue
        chosen.append((start, stop))
        begin, end = words[start][0], words[stop - 1][1]
        raw_start, raw_end = offsets[begin], offsets[end - 1] + 1
        passages.append(Passage(raw_start, raw_end, view[begin:end], line_of(text, raw_start), round(score, 3)))
        if len(passages) == limit:
            break
    return passages


_SENTENCE_END = re.compile(r"[.!?](?=\s)|\n[ \t]*\n")


def sentence_around(passage: Passage, text: str) -> Passage:
    """``passage`` widened to the whole sentence(s) it lies in: from just after the previous '.',
    '!', '?' or blank line to the next one (included), written as a quote is written."""
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, passage.start):
        start = match.end()
    after = _SENTENCE_END.search(text, max(passage.start, passage.end - 1))
    end = after.start() + 1 if after and not after.group().startswith("\n") else (after.start() if after else len(text))
    view, offsets = normalised_views(text)[0]
    inside = [i for i in range(bisect_left(offsets, start), bisect_left(offsets, end)) if not view[i].isspace()]
    if not inside:
        return passage
    first, last = inside[0], inside[-1]
    return Passage(offsets[first], offsets[last] + 1, view[first:last + 1], line_of(text, offsets[first]),
                   passage.score)


def marked_differences(quote: str, passage: str) -> str:
    """The words of ``quote`` with what differs from ``passage`` marked: ``[-quote-]{+source+}``."""
    ours, theirs = quote.split(), passage.split()
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.extend(ours[i1:i2])
            continue
        if i2 > i1:
            parts.append("[-" + " ".join(ours[i1:i2]) + "-]")
        if j2 > j1:
            parts.append("{+" + " ".join(theirs[j1:j2]) + "+}")
    return " ".join(parts)


def turtle_literal(text: str, language: str = "nl") -> str:
    """``text`` as a Turtle string literal with a language tag, ready to paste after ``kg:quote``."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"@{language}'
