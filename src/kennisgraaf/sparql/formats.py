"""Result formats: media types, content negotiation, and serialisers for SPARQL results.

SELECT and ASK results: SPARQL JSON, SPARQL XML, CSV and TSV; CONSTRUCT and DESCRIBE results:
Turtle, N-Triples, JSON-LD and RDF/XML. The serialisers of solutions are our own (not
pyoxigraph's) because they must stop at the result limit; ``tests/test_formats.py``
checks them against pyoxigraph's. Importing this module loads no web framework: the query
workers use it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
N_TRIPLES = "application/n-triples"
JSON_LD = "application/ld+json"
RDF_XML = "application/rdf+xml"

#: Media types per kind of result, preferred first.
RESULT_TYPES: tuple[str, ...] = (SPARQL_JSON, SPARQL_XML, CSV, TSV)
GRAPH_TYPES: tuple[str, ...] = (TURTLE, N_TRIPLES, JSON_LD, RDF_XML)

#: Values of the ``format`` (or ``output``) parameter, per kind of result.
FORMAT_NAMES: dict[str, dict[str, str]] = {
    "results": {"json": SPARQL_JSON, "srj": SPARQL_JSON, "xml": SPARQL_XML, "srx": SPARQL_XML,
                "csv": CSV, "tsv": TSV},
    "graph": {"ttl": TURTLE, "turtle": TURTLE, "nt": N_TRIPLES, "ntriples": N_TRIPLES, "n-triples": N_TRIPLES,
              "jsonld": JSON_LD, "json-ld": JSON_LD, "json": JSON_LD, "rdf": RDF_XML, "rdfxml": RDF_XML,
              "xml": RDF_XML, "owl": RDF_XML},
}
#: Other names clients send for our media types.
ALIASES = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "text/tsv": TSV,
    "application/x-turtle": TURTLE,
    "text/plain": N_TRIPLES,
    "application/json+ld": JSON_LD,
}

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"


class NotAcceptable(Exception):
    """No supported media type is acceptable to the client."""

    def __init__(self, supported: Sequence[str]) -> None:
        self.supported = list(supported)
        super().__init__("None of the requested media types can be produced. Supported: " + ", ".join(supported))


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    q: float
    params: tuple[tuple[str, str], ...] = ()

    def matches(self, media_type: str) -> int:
        """Specificity of the match with ``media_type`` (3 exact, 2 type/*, 1 */*), 0 if none."""
        main, _, sub = media_type.partition("/")
        if self.type == "*" and self.subtype == "*":
            return 1
        if self.type == main and self.subtype == "*":
            return 2
        return 3 if (self.type, self.subtype) == (main, sub) else 0


def parse_accept(header: str) -> list[MediaRange]:
    """Parse an Accept header into media ranges (unparsable parts are ignored)."""
    ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if "/" not in media:
            continue
        media = ALIASES.get(media, media)
        main, _, sub = media.partition("/")
        q, params = 1.0, []
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
            elif name:
                params.append((name, value.lower()))
        if any(name == "charset" and value not in ("utf-8", "utf8") for name, value in params):
            continue  # we only write UTF-8
        ranges.append(MediaRange(main, sub, q, tuple(params)))
    return ranges


def negotiate(accept: str | None, supported: Sequence[str], fmt: str | None = None,
              names: dict[str, str] | None = None) -> str:
    """Pick the media type for a response.

    ``fmt`` (the ``format`` parameter: a short name or a media type) wins over ``Accept``;
    without either the first supported type is the default. Raises :class:`NotAcceptable`.
    """
    if fmt:
        wanted = (names or {}).get(fmt.strip().lower()) or ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
        if wanted in supported:
            return wanted
        raise NotAcceptable(supported)
    if not accept or not accept.strip():
        return supported[0]
    ranges = parse_accept(accept)
    best, best_key = None, (0.0, 0, 0)
    for rank, media_type in enumerate(supported):
        matching = [(r.matches(media_type), r.q) for r in ranges if r.matches(media_type)]
        if not matching:
            continue
        specificity, q = max(matching)
        key = (q, specificity, -rank)
        if q > 0 and key > best_key:
            best, best_key = media_type, key
    if best is None:
        raise NotAcceptable(supported)
    return best


def rdf_format(media_type: str) -> ox.RdfFormat:
    found = ox.RdfFormat.from_media_type(media_type)
    if found is None:  # pragma: no cover - only called with GRAPH_TYPES
        raise ValueError(media_type)
    return found


# --- solutions ------------------------------------------------------------------------------


Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]


def serialise_solutions(variables: Sequence[str], rows: Iterable[Row], media_type: str) -> bytes:
    """Serialise SELECT rows (values in the order of ``variables``; None = unbound)."""
    writer = {SPARQL_JSON: _json, SPARQL_XML: _xml, CSV: _csv, TSV: _tsv}[media_type]
    return writer(list(variables), rows)


def _json_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                        "predicate": _json_term(term.predicate),
                                        "object": _json_term(term.object)}}


def _json(variables: list[str], rows: Iterable[Row]) -> bytes:
    # Written piece by piece, with each distinct term encoded once: results repeat terms a lot.
    encoded: dict[object, str] = {}
    keys = [json.dumps(name, ensure_ascii=False) + ":" for name in variables]
    out = ['{"head":{"vars":', json.dumps(variables, ensure_ascii=False, separators=(",", ":")),
           '},"results":{"bindings":[']
    for index, row in enumerate(rows):
        parts = []
        for key, value in zip(keys, row, strict=True):
            if value is not None:
                text = encoded.get(value)
                if text is None:
                    text = encoded[value] = json.dumps(_json_term(value), ensure_ascii=False, separators=(",", ":"))
                parts.append(key + text)
        out.append(("," if index else "") + "{" + ",".join(parts) + "}")
    out.append("]}}")
    return "".join(out).encode("utf-8")


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml(variables: list[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head><results>")
    encoded: dict[object, str] = {}
    opening = [f"<binding name={quoteattr(name)}>" for name in variables]
    for row in rows:
        out.write("<result>")
        for start, value in zip(opening, row, strict=True):
            if value is not None:
                text = encoded.get(value)
                if text is None:
                    text = encoded[value] = _xml_term(value)
                out.write(start + text + "</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def _csv_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return f"<< {_tsv_value(term.subject)} {_tsv_value(term.predicate)} {_tsv_value(term.object)} >>"


def _csv(variables: list[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8")


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _tsv_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Literal):
        text = '"' + term.value.translate(_TSV_ESCAPES) + '"'
        if term.language:
            return f"{text}@{term.language}"
        return text if term.datatype.value == XSD_STRING else f"{text}^^<{term.datatype.value}>"
    return f"<< {_tsv_value(term.subject)} {_tsv_value(term.predicate)} {_tsv_value(term.object)} >>"


def _tsv(variables: list[str], rows: Iterable[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join(_tsv_value(v) for v in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")
