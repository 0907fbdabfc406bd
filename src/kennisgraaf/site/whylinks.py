"""Links to ``/why``: how a triple is written in the query string (kept apart so pages can link without a cycle)."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox

from kennisgraaf.store.base import Term


def term_param(term: Term) -> str:
    """The ``o`` parameter of ``/why`` for a SPARQL-JSON term: an IRI, or a literal in N-Triples form."""
    if term.type == "uri":
        return term.value
    if term.type == "bnode":
        return f"_:{term.value}"
    if term.lang:
        return str(ox.Literal(term.value, language=term.lang))
    if term.datatype:
        return str(ox.Literal(term.value, datatype=ox.NamedNode(term.datatype)))
    return str(ox.Literal(term.value))


def why_href(subject: str, predicate: str, obj: Term, root: str = "/") -> str:
    """The link to the explanation of one triple."""
    return root.rstrip("/") + "/why?" + urlencode({"s": subject, "p": predicate, "o": term_param(obj)})
