"""A source text as a document page shows it: the whole text, every quoted passage highlighted,
numbered, anchored (``q-<start>-<end>``) and linked to the claims it supports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kennisgraaf.site.highlight import Passage, Segment, segments
from kennisgraaf.site.pageindex import PageIndex
from kennisgraaf.site.pages import Labeller, Link


@dataclass
class PassageView:
    """One highlighted passage: number, anchor, the quote text(s) and what it supports."""

    passage: Passage
    quotes: list[str]
    supports: list[Link]

    @property
    def anchor(self) -> str:
        return self.passage.anchor


@dataclass
class SourceView:
    """The source text of one or more documents, cut into segments for highlighting."""

    text_iri: str
    file_name: str
    segments: list[Segment]
    passages: list[PassageView]
    documents: list[Link]

    def passage(self, number: int) -> PassageView:
        return self.passages[number - 1]


class SourceMissing(LookupError):
    """The dataset names a source file that the build did not read."""


def source_view(text_iri: str, index: PageIndex, texts: Mapping[str, str], labeller: Labeller) -> SourceView | None:
    """The highlighted text of ``text_iri``, or None if the dataset names no file for it.

    ``texts`` are the source texts by file name as the build read them (the built dataset's
    ``source_texts``): the quote offsets were computed on exactly these.
    """
    file_name = index.text_file.get(text_iri)
    if not file_name:
        return None
    text = texts.get(file_name)
    if text is None:
        raise SourceMissing(f"source text {file_name!r} is not among the build's source texts")
    locations = index.by_text.get(text_iri, [])
    found, cut = segments(text, [(loc.start, loc.end) for loc in locations])
    views = []
    for passage in found:
        here = [loc for loc in locations if (loc.start, loc.end) == (passage.start, passage.end)]
        supports: dict[str, Link] = {}
        for loc in here:
            for ev in index.supporting(loc):
                supports.setdefault(ev.node, labeller.link(ev.node))
        views.append(PassageView(passage, sorted({loc.quote for loc in here}), list(supports.values())))
    documents = [labeller.link(d) for d in index.documents_of_text(text_iri)]
    return SourceView(text_iri, file_name, cut, views, documents)
