"""Cut a source text into segments so that every quoted passage can be highlighted and linked.

Passages may overlap (a document's metadata quote and a claim's quote can share words). The text
is cut at every passage start and end; each segment knows which passages cover it, which start
with it (their anchors, ``q-<start>-<end>``) and which end with it (where the links to the claims
go). See docs/pages.md for the anchor contract.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Passage:
    """One highlighted span of the raw text, numbered in reading order from 1."""

    start: int
    end: int
    number: int = 0

    @property
    def anchor(self) -> str:
        return f"q-{self.start}-{self.end}"


@dataclass
class Segment:
    """A run of text covered by the same passages."""

    text: str
    start: int
    covered_by: list[Passage] = field(default_factory=list)
    starting: list[Passage] = field(default_factory=list)
    ending: list[Passage] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        return bool(self.covered_by)


def passages(spans: Iterable[tuple[int, int]], length: int) -> list[Passage]:
    """Distinct non-empty spans within the text, in reading order, numbered from 1."""
    unique = sorted({(max(0, s), min(length, e)) for s, e in spans if 0 <= s < e and s < length})
    return [Passage(s, e, n) for n, (s, e) in enumerate(unique, start=1)]


def segments(text: str, spans: Iterable[tuple[int, int]]) -> tuple[list[Passage], list[Segment]]:
    """The numbered passages and the segments of ``text`` (together they are the whole text)."""
    found = passages(spans, len(text))
    bounds = sorted({0, len(text), *(p.start for p in found), *(p.end for p in found)})
    result = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        if a == b:
            continue
        result.append(Segment(
            text=text[a:b],
            start=a,
            covered_by=[p for p in found if p.start <= a and b <= p.end],
            starting=[p for p in found if p.start == a],
            ending=[p for p in found if p.end == b],
        ))
    return found, result
