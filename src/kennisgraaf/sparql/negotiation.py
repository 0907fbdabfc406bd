"""Content and language negotiation for pages: which RDF format, which language.

Pure functions over werkzeug's parsed ``Accept`` headers, so the blueprints that serve pages and
dumps share one table of formats without importing each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import LanguageAccept, MIMEAccept

HTML = "text/html"
LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class RdfFormat:
    """A serialisation of a resource description: extension, media type, name and pyoxigraph format."""

    extension: str
    media_type: str
    name: str
    rdf_format: ox.RdfFormat


RESOURCE_FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("ttl", "text/turtle", "Turtle", ox.RdfFormat.TURTLE),
    RdfFormat("jsonld", "application/ld+json", "JSON-LD", ox.RdfFormat.JSON_LD),
    RdfFormat("nt", "application/n-triples", "N-Triples", ox.RdfFormat.N_TRIPLES),
    RdfFormat("rdf", "application/rdf+xml", "RDF/XML", ox.RdfFormat.RDF_XML),
)
BY_EXTENSION = {f.extension: f for f in RESOURCE_FORMATS}
BY_MEDIA_TYPE = {f.media_type: f for f in RESOURCE_FORMATS}
# Media types some clients send for the same formats.
ALIASES = {"application/x-turtle": "text/turtle", "text/plain": "application/n-triples",
           "application/xml": "application/rdf+xml", "application/json": "application/ld+json"}


def split_extension(path: str) -> tuple[str, RdfFormat | None]:
    """Split ``provincie/drenthe.ttl`` into (``provincie/drenthe``, Turtle); no known extension: (path, None)."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in BY_EXTENSION:
        return stem, BY_EXTENSION[ext]
    return path, None


def choose_media_type(accept: MIMEAccept, offers: Iterable[str] | None = None) -> str | None:
    """The best of HTML and the RDF formats for ``accept``; HTML when the client states no preference.

    Returns None when the client accepts none of them (the caller answers 406).
    """
    offered = list(offers) if offers is not None else [HTML, *BY_MEDIA_TYPE]
    if not accept or not accept.values() or all(v == "*/*" for v in accept.values()):
        return offered[0]
    best = accept.best_match(offered)
    if best is not None:
        return best
    for alias, target in ALIASES.items():
        if target in offered and accept[alias] > 0:
            return target
    return None


def choose_language(param: str | None, cookie: str | None, accept: LanguageAccept) -> str:
    """``?lang=`` first, then the ``lang`` cookie, then ``Accept-Language``; Dutch by default."""
    for explicit in (param, cookie):
        if explicit in LANGUAGES:
            return explicit
    best = accept.best_match(LANGUAGES) if accept else None
    return best if best in LANGUAGES else "nl"


def other_language(lang: str) -> str:
    return "en" if lang == "nl" else "nl"
