"""Check every quote of a document graph against its source text and record where it occurs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kennisgraaf.build.quotes import marked_differences, nearest_passages
from kennisgraaf.build.report import CHECKS, Finding
from kennisgraaf.build.sources import QuoteNotFound, locate, read_source
from kennisgraaf.build.turtlelines import find_line
from kennisgraaf.vocab import KG


@dataclass(frozen=True)
class QuoteProblem:
    """A quote that cannot be checked or is not in its source."""

    data_file: Path
    node: str
    document: str | None
    quote: str
    reason: str
    source: Path | None = None  # the source text file, when the quote was looked for in one

    def __str__(self) -> str:
        start = self.quote if len(self.quote) <= 60 else self.quote[:57] + "..."
        doc = f"document <{self.document}>" if self.document else f"node <{self.node}>"
        return f"{self.data_file}: {doc}: {self.reason}: “{start}”"

    def to_finding(self, lines: list[str]) -> Finding:
        """The problem as a report finding: the line of the quote literal in ``lines`` (the data
        file's text) and, for a quote not found, the nearest passage of the source with the
        differences marked."""
        detail = None
        if self.source is not None and self.source.is_file():
            detail = f"source: {self.source}"
            nearest = nearest_passages(self.quote, read_source(self.source))
            if nearest:
                best = nearest[0]
                detail += (f"\nnearest passage ({self.source.name}:{best.line}, similarity {best.score:.2f}): "
                           f"{best.text}\ndifferences ([-quote-] {{+source+}}): "
                           f"{marked_differences(self.quote, best.text)}")
        return Finding(
            focus=self.node,
            path=str(KG.quote),
            value=self.quote,
            severity="Violation",
            shape=CHECKS + "quote",
            message_nl=f"Citaat niet controleerbaar of niet gevonden: {_reason_nl(self.reason)}",
            message_en=f"Quote cannot be checked or is not found: {self.reason}",
            source_file=str(self.data_file),
            line=quote_line(lines, self.node, self.quote),
            kind="quote",
            detail=detail,
        )


_REASONS_NL = (("quote not found in", "niet gevonden in"), ("quote without kg:statedIn", "citaat zonder kg:statedIn"),
               ("document has no kg:sourceText", "document zonder kg:sourceText"),
               ("unknown source text", "onbekende brontekst"), ("source file", "bronbestand"),
               ("is missing", "ontbreekt"))


def _reason_nl(reason: str) -> str:
    for en, nl in _REASONS_NL:
        reason = reason.replace(en, nl)
    return reason


def quote_line(lines: list[str], node: str, quote: str) -> int | None:
    """1-based line of the literal ``quote`` in a Turtle file's ``lines``: the first one at or after
    the line that states ``node``, else anywhere; else the node's own line (best effort)."""
    first = quote.splitlines()[0] if quote.strip() else quote
    start = first[:40]
    forms = {start, start.replace("\\", "\\\\").replace('"', '\\"')}
    node_line = find_line(lines, node)
    order = list(range((node_line or 1) - 1, len(lines))) + list(range(0, (node_line or 1) - 1))
    for index in order:
        if any(form and form in lines[index] for form in forms):
            return index + 1
    # The literal may be broken over lines in a long string: match on its first words.
    words = re.escape(" ".join(first.split()[:3]))
    for index in order:
        if words and re.search(words, lines[index]):
            return index + 1
    return node_line


def source_files(reference: Graph, bronnen_dir: Path) -> dict[URIRef, Path]:
    """Map each kg:SourceText IRI to its file in data/bronnen."""
    files = {}
    for text, name in reference.subject_objects(KG.fileName):
        files[text] = bronnen_dir / str(name)
    return files


def _document_of(node, graph: Graph, documents: set) -> URIRef | None:
    if node in documents:
        return node
    return next(iter(graph.objects(node, KG.statedIn)), None)


def check_quotes(
    graph: Graph,
    data_file: Path,
    reference: Graph,
    texts: Mapping[URIRef, Path],
    documents: set,
    base: str,
    context: Graph | None = None,
) -> tuple[Graph, list[QuoteProblem]]:
    """Locate every kg:quote of ``graph``; return the quote-location triples and the problems.

    A document's kg:sourceText is looked up in ``graph``, then in ``context`` (a maintainer's own
    file that adds claims to a document stated in another file).
    """
    locations = Graph()
    problems: list[QuoteProblem] = []
    cache: dict[Path, str] = {}
    for node, quote in sorted(graph.subject_objects(KG.quote)):
        document = _document_of(node, graph, documents)
        text_iri = None
        if document is not None:
            text_iri = next(iter(graph.objects(document, KG.sourceText)), None)
            if text_iri is None and context is not None:
                text_iri = next(iter(context.objects(document, KG.sourceText)), None)
        if document is None:
            problems.append(QuoteProblem(data_file, str(node), None, str(quote), "quote without kg:statedIn"))
            continue
        path = texts.get(text_iri) if text_iri is not None else None
        if path is None:
            reason = "document has no kg:sourceText" if text_iri is None else f"unknown source text <{text_iri}>"
            problems.append(QuoteProblem(data_file, str(node), str(document), str(quote), reason))
            continue
        if path not in cache:
            if not path.is_file():
                problems.append(QuoteProblem(data_file, str(node), str(document), str(quote),
                                             f"source file {path} is missing"))
                continue
            cache[path] = read_source(path)
        try:
            found = locate(str(quote), cache[path])
        except QuoteNotFound:
            problems.append(QuoteProblem(data_file, str(node), str(document), str(quote),
                                         f"quote not found in {path.name}", path))
            continue
        for where in found:
            loc = URIRef(f"{base}id/citaat/{path.stem}-{where.start}-{where.end}")
            locations.add((loc, RDF.type, KG.QuoteLocation))
            locations.add((loc, KG.locatedQuote, Literal(str(quote), lang=quote.language)))
            locations.add((loc, KG.inSourceText, text_iri))
            locations.add((loc, KG.startOffset, Literal(where.start, datatype=XSD.integer)))
            locations.add((loc, KG.endOffset, Literal(where.end, datatype=XSD.integer)))
    return locations, problems
