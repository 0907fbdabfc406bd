"""Links to ``/why``: how a triple is written in the query string (kept apart so pages can link without a cycle)."""

from __future__ import annotations

from urllib.parse import urlencode

import pyoxigraph as ox

from kennisgraaf.store.base import Term


def term_param(term: Term) -> str:
    """The ``o`` parameter of ``/why``: an IRI as it is, anything else in N-Triples form (``"…"@nl``, ``_:b``)."""
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def why_href(subject: str, predicate: str, obj: Term, root: str = "/") -> str:
    """The link to the explanation of one triple."""
    return root.rstrip("/") + "/why?" + urlencode({"s": subject, "p": predicate, "o": term_param(obj)})
