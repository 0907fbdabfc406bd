"""Reading Turtle files with precise error positions, and rewriting the base IRI."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef


class TurtleError(ValueError):
    """A Turtle file that cannot be parsed; the message names file, line and the parser's reason."""

    def __init__(self, path: Path, line: int | None, message: str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


def read_turtle(path: Path) -> Graph:
    """Parse a Turtle file into an rdflib Graph, raising TurtleError with file and line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TurtleError(path, None, f"cannot read: {exc.strerror}") from exc
    # pyoxigraph reports exact line/column positions; rdflib's own positions can be off by one.
    try:
        for _ in ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
            pass
    except SyntaxError as exc:
        message = str(exc.msg) if hasattr(exc, "msg") else str(exc)
        message = message.split(": ", 1)[-1] if message.startswith("Parser error at line") else message
        raise TurtleError(path, exc.lineno, message) from None
    graph = Graph()
    graph.parse(data=data, format="turtle", publicID=path.resolve().as_uri())
    return graph


def rebase(graph: Graph, old: str, new: str) -> Graph:
    """Return a copy of ``graph`` with every IRI (and IRI-valued literal) under ``old`` moved to ``new``."""

    def move(term):
        if isinstance(term, URIRef) and str(term).startswith(old):
            return URIRef(new + str(term)[len(old):])
        if isinstance(term, Literal) and term.datatype and str(term.datatype).endswith("#anyURI"):
            text = str(term)
            if text.startswith(old):
                return Literal(new + text[len(old):], datatype=term.datatype)
        return term

    moved = Graph()
    for s, p, o in graph:
        moved.add((move(s), move(p), move(o)))
    return moved
