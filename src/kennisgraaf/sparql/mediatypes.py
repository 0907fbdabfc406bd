"""Media types: one registry of the types we serve, their aliases, and content negotiation.

Every route that chooses a representation (``/sparql``, canned queries, resource pages, dumps,
VoID) and the store use :func:`negotiate`; :func:`wants_html` is the one "is this a browser?"
check (:func:`prefers` is the same for any type: the error shape asks it for JSON). Accept
headers are parsed by werkzeug (:func:`werkzeug.http.parse_accept_header`); the matching is
ours, because it needs three things werkzeug's ``best_match`` does not do:

- **Aliases by what is offered.** ``application/json`` means SPARQL JSON results where SELECT/ASK
  results are offered and JSON-LD where a graph is; ``application/xml`` likewise SPARQL XML results
  or RDF/XML. An alias applies only when its own type is not offered (canned queries offer
  ``application/json`` as such: their plain JSON rows).
- **Parameters.** werkzeug matches a range only if its parameters equal the offer's, so
  ``application/sparql-results+json; charset=utf-8`` would match nothing. We ignore parameters,
  except for **the charset refusal**: we only write UTF-8, so a range asking for another charset
  is left out (``…; charset=latin1`` alone gets 406).
- **The most specific range decides** (RFC 9110 §12.5.1), also between an exact type and an alias:
  ``application/ld+json;q=0.1, application/json`` gives JSON-LD at q=0.1.

Importing this module loads no web framework: the query workers' fork server imports it for the
registry, and werkzeug (whose package import alone loads its test client and development server,
about 40 ms) only where an Accept header is read, in the app.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

HTML = "text/html"
PLAIN_TEXT = "text/plain"
JSON = "application/json"
SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"


@dataclass(frozen=True)
class MediaType:
    """A media type we serve: its name for people, file extension, and the other names clients use.

    ``aliases`` holds both ``format=`` parameter values (``csv``) and other media types clients
    send (``text/tsv``); one alias may belong to several types, and the one offered wins.
    """

    media_type: str
    name: str
    extension: str
    aliases: tuple[str, ...] = ()

    @property
    def rdf_format(self) -> ox.RdfFormat:
        """pyoxigraph's format for an RDF serialisation (ValueError for other types)."""
        found = ox.RdfFormat.from_media_type(self.media_type)
        if found is None:
            raise ValueError(f"{self.media_type} is not an RDF serialisation")
        return found


# The registry. Where one alias names several types (json, xml), the order below is the order of
# preference among those offered.
REGISTRY: tuple[MediaType, ...] = (
    MediaType(HTML, "HTML", "html", ("html",)),
    MediaType(JSON, "JSON", "json", ("json",)),
    MediaType(SPARQL_JSON, "SPARQL JSON", "srj", ("json", "srj", JSON)),
    MediaType(SPARQL_XML, "SPARQL XML", "srx", ("xml", "srx", "application/xml", "text/xml")),
    MediaType(CSV, "CSV", "csv", ("csv",)),
    MediaType(TSV, "TSV", "tsv", ("tsv", "text/tsv")),
    MediaType(TURTLE, "Turtle", "ttl", ("ttl", "turtle", "application/x-turtle")),
    MediaType(JSON_LD, "JSON-LD", "jsonld", ("jsonld", "json-ld", "json", JSON, "application/json+ld")),
    MediaType(N_TRIPLES, "N-Triples", "nt", ("nt", "ntriples", "n-triples", "text/plain")),
    MediaType(RDF_XML, "RDF/XML", "rdf", ("rdf", "rdfxml", "xml", "owl", "application/xml", "text/xml")),
)
BY_MEDIA_TYPE: dict[str, MediaType] = {t.media_type: t for t in REGISTRY}

#: Media types per kind of query result, preferred first (the default without a preference).
RESULT_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_TYPES: tuple[str, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)

#: The serialisations of a resource page or graph, in the order pages list them, and by extension.
RESOURCE_FORMATS: tuple[MediaType, ...] = tuple(BY_MEDIA_TYPE[t] for t in (TURTLE, JSON_LD, N_TRIPLES, RDF_XML))
BY_EXTENSION: dict[str, MediaType] = {t.extension: t for t in RESOURCE_FORMATS}

# Specificity of a media range's match with an offered type; higher wins over a lower q's range.
_EXACT, _ALIAS, _TYPE_WILDCARD, _ANY = 4, 3, 2, 1


class NotAcceptable(Exception):
    """No offered media type is acceptable to the client."""

    def __init__(self, supported: Sequence[str]) -> None:
        self.supported = list(supported)
        super().__init__("None of the requested media types can be produced. Supported: " + ", ".join(supported))


def rdf_format(media_type: str) -> ox.RdfFormat:
    """pyoxigraph's format for one of the RDF media types."""
    return BY_MEDIA_TYPE[media_type].rdf_format


def resolve(name: str, offers: Sequence[str]) -> str | None:
    """The offered type a ``format=`` value or an alias names (``json`` → SPARQL JSON or JSON-LD), or None."""
    name = name.strip().lower()
    if name in offers:
        return name
    for entry in REGISTRY:
        if name in entry.aliases and entry.media_type in offers:
            return entry.media_type
    return None


def split_extension(path: str) -> tuple[str, MediaType | None]:
    """Split ``provincie/drenthe.ttl`` into (``provincie/drenthe``, Turtle); no known extension: (path, None)."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in BY_EXTENSION:
        return stem, BY_EXTENSION[ext]
    return path, None


def _ranges(accept: MIMEAccept | str | None) -> list[tuple[str, str, float]]:
    """(type, subtype, q) of each usable media range; ranges asking for a charset other than UTF-8 left out."""
    from werkzeug.datastructures import MIMEAccept  # see the module note: not at import time
    from werkzeug.http import parse_accept_header

    parsed = accept if isinstance(accept, MIMEAccept) else parse_accept_header(accept or "", MIMEAccept)
    ranges = []
    for value, quality in parsed:
        media, *params = (piece.strip() for piece in value.split(";"))
        main, slash, sub = media.lower().partition("/")
        if not slash or not main or not sub or (main == "*" and sub != "*"):
            continue
        charset = next((p.partition("=")[2].strip().strip('"').lower() for p in params
                        if p.partition("=")[0].strip().lower() == "charset"), None)
        if charset not in (None, "utf-8", "utf8"):
            continue  # we only write UTF-8
        ranges.append((main, sub, float(quality)))
    return ranges


def _quality(ranges: Iterable[tuple[str, str, float]], offer: str, offers: Sequence[str]) -> tuple[float, int]:
    """(q, specificity) of the most specific range that matches ``offer``; (0, 0) if none does."""
    main, _, sub = offer.partition("/")
    best = (0, 0.0)
    for r_main, r_sub, q in ranges:
        media = f"{r_main}/{r_sub}"
        if media == offer:
            specificity = _EXACT
        elif media not in offers and offer in BY_MEDIA_TYPE and media in BY_MEDIA_TYPE[offer].aliases:
            specificity = _ALIAS
        elif r_main == main and r_sub == "*":
            specificity = _TYPE_WILDCARD
        elif r_main == "*":
            specificity = _ANY
        else:
            continue
        best = max(best, (specificity, q))
    return best[1], best[0]


def _stated(accept: MIMEAccept | str | None) -> bool:
    """Whether the client sent an Accept header with anything in it (else the route's default applies)."""
    return bool(accept.strip()) if isinstance(accept, str) else bool(accept)


def negotiate(accept: MIMEAccept | str | None, offers: Sequence[str], fmt: str | None = None) -> str:
    """Pick the media type of a response from ``offers`` (the first is the default).

    ``fmt`` (a ``format=`` value: a name such as ``csv`` or a media type) wins over ``accept`` (an
    Accept header, as text or as werkzeug parsed it). Between acceptable types the higher q wins,
    then the more specific range, then the order of ``offers``. Raises :class:`NotAcceptable`.
    """
    if fmt is not None:
        found = resolve(fmt, offers)
        if found is None:
            raise NotAcceptable(offers)
        return found
    if not _stated(accept):
        return offers[0]
    ranges = _ranges(accept)
    best, best_key = None, (0.0, 0, 0)
    for rank, offer in enumerate(offers):
        q, specificity = _quality(ranges, offer, offers)
        key = (q, specificity, -rank)
        if q > 0 and key > best_key:
            best, best_key = offer, key
    if best is None:
        raise NotAcceptable(offers)
    return best


def prefers(accept: MIMEAccept | str | None, wanted: str, others: Iterable[str]) -> bool:
    """Whether the client names ``wanted`` itself and accepts it at least as much as each of ``others``.

    Naming counts: ``*/*`` or ``text/*`` alone is no request for HTML, nor ``*/*`` for JSON.
    """
    ranges = _ranges(accept)
    offers = [wanted, *others]
    quality, specificity = _quality(ranges, wanted, offers)
    if quality <= 0 or specificity != _EXACT:
        return False
    return all(quality >= _quality(ranges, other, offers)[0] for other in offers[1:])


def wants_html(accept: MIMEAccept | str | None, others: Iterable[str]) -> bool:
    """Whether the client names ``text/html`` and accepts it at least as much as each of ``others`` (a browser)."""
    return prefers(accept, HTML, others)
