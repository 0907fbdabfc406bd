"""Check every quote of a document graph against its source text and record where it occurs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from kennisgraaf.build.sources import QuoteNotFound, locate, read_source
from kennisgraaf.vocab import KG


@dataclass(frozen=True)
class QuoteProblem:
    """A quote that cannot be checked or is not in its source."""

    data_file: Path
    node: str
    document: str | None
    quote: str
    reason: str

    def __str__(self) -> str:
        start = self.quote if len(self.quote) <= 60 else self.quote[:57] + "..."
        doc = f"document <{self.document}>" if self.document else f"node <{self.node}>"
        return f"{self.data_file}: {doc}: {self.reason}: “{start}”"


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
) -> tuple[Graph, list[QuoteProblem]]:
    """Locate every kg:quote of ``graph``; return the quote-location triples and the problems."""
    locations = Graph()
    problems: list[QuoteProblem] = []
    cache: dict[Path, str] = {}
    for node, quote in sorted(graph.subject_objects(KG.quote)):
        document = _document_of(node, graph, documents)
        text_iri = next(iter(graph.objects(document, KG.sourceText)), None) if document else None
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
                                         f"quote not found in {path.name}"))
            continue
        for where in found:
            loc = URIRef(f"{base}id/citaat/{path.stem}-{where.start}-{where.end}")
            locations.add((loc, RDF.type, KG.QuoteLocation))
            locations.add((loc, KG.locatedQuote, Literal(str(quote), lang=quote.language)))
            locations.add((loc, KG.inSourceText, text_iri))
            locations.add((loc, KG.startOffset, Literal(where.start, datatype=XSD.integer)))
            locations.add((loc, KG.endOffset, Literal(where.end, datatype=XSD.integer)))
    return locations, problems
