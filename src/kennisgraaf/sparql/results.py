"""Serialisers of SELECT results: SPARQL JSON, SPARQL XML, CSV and TSV.

Our own (not pyoxigraph's) because they must stop at the result limit: the query workers use them
only for an answer that may be over the row or byte limit (pyoxigraph writes the others, faster:
:mod:`kennisgraaf.store.workers`), the remote store for rows it has cut. ``tests/test_formats.py``
checks them against pyoxigraph's. The media types and their negotiation are in
:mod:`kennisgraaf.sparql.mediatypes`. Importing this module loads no web framework: the query
workers use it.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

import pyoxigraph as ox

from kennisgraaf.sparql.mediatypes import CSV, SPARQL_JSON, SPARQL_XML, TSV

# xsd:string, the datatype of every plain literal (RDF 1.1), from pyoxigraph itself: the query
# workers import this module and should not load rdflib (kennisgraaf.vocab) for one IRI.
XSD_STRING = ox.Literal("").datatype

Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]

# pyoxigraph's XML writer escapes both quotes in text and attributes alike, and whitespace at either
# end of a text as character references (an XML reader may trim it otherwise); ours writes the same.
_XML_QUOTES = {'"': "&quot;", "'": "&apos;"}
_EDGE_SPACE = re.compile(r"^[ \t\n\r]+|[ \t\n\r]+$")
# TSV writes a boolean, integer, decimal or double bare where its lexical form is a Turtle token of
# that type (SPARQL 1.1 CSV/TSV §4), as pyoxigraph's writer does: the grammar rules of Turtle.
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TURTLE_TOKENS = {
    _XSD + "boolean": re.compile(r"true|false"),
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+"),
}


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
        elif term.datatype != XSD_STRING:
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


def _xml_text(text: str) -> str:
    return _EDGE_SPACE.sub(lambda edge: "".join(f"&#{ord(c)};" for c in edge.group()), escape(text, _XML_QUOTES))


def _xml_term(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{_xml_text(term.language)}">{_xml_text(term.value)}</literal>'
        if term.datatype != XSD_STRING:
            return f'<literal datatype="{_xml_text(term.datatype.value)}">{_xml_text(term.value)}</literal>'
        return f"<literal>{_xml_text(term.value)}</literal>"
    return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
            f"</predicate><object>{_xml_term(term.object)}</object></triple>")


def _xml(variables: list[str], rows: Iterable[Row]) -> bytes:
    out = io.StringIO()
    out.write('<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>" + "".join(f'<variable name="{_xml_text(v)}"/>' for v in variables) + "</head><results>")
    encoded: dict[object, str] = {}
    opening = [f'<binding name="{_xml_text(name)}">' for name in variables]
    for row in rows:
        out.write("<result>")
        for start, value in zip(opening, row, strict=True):
            if value is not None:
                text = encoded.get(value)
                if text is None:
                    text = encoded[value] = _xml_term(value)
                out.write(start + text + "</binding>")
        out.write("</result>")
    out.write("</results></sparql>")
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
        if term.datatype == XSD_STRING:
            return text
        token = _TURTLE_TOKENS.get(term.datatype.value)
        if token is not None and token.fullmatch(term.value):
            return term.value
        return f"{text}^^<{term.datatype.value}>"
    return f"<< {_tsv_value(term.subject)} {_tsv_value(term.predicate)} {_tsv_value(term.object)} >>"


def _tsv(variables: list[str], rows: Iterable[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join(_tsv_value(v) for v in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")
