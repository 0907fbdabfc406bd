"""The OpenAPI 3.1 document of the canned queries: one GET operation per query, its parameters and schemas.

Pure functions over the catalogue (and the instances an IRI parameter may take), so the
``queries`` blueprint only serves the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kennisgraaf import __version__
from kennisgraaf.site.cannedresults import formats_for
from kennisgraaf.sparql.catalogue import ANY, LEXICAL, MAX_LITERAL, CannedQuery, Catalogue, Parameter
from kennisgraaf.sparql.mediatypes import HTML, JSON, JSON_LD, SPARQL_JSON
from kennisgraaf.vocab import XSD


def parameter_schema(param: Parameter, options: list[str] | None = None) -> dict[str, object]:
    """The JSON Schema (OpenAPI 3.1) of a parameter's value; ``options`` lists an IRI parameter's instances."""
    extra = [ANY] if param.optional else []
    if param.optional or param.default is not None:
        extra.append("")  # empty means "not given": the default, or any value
    schema: dict[str, object]
    if param.type == "enum":
        schema = {"type": "string", "enum": [*param.values, *extra]}
    elif param.type == "iri":
        schema = ({"type": "string", "enum": [*options, *extra]} if options
                  else {"type": "string", "format": "iri-reference", "minLength": 1})
    elif param.datatype == str(XSD.string):
        schema = {"type": "string", "maxLength": MAX_LITERAL}
    elif param.datatype == str(XSD.boolean):
        schema = {"type": "string", "enum": ["true", "false", "1", "0", *extra]}
    else:
        any_ = ("|\\*" if param.optional else "") + ("|" if "" in extra else "")
        schema = {"type": "string", "pattern": f"^({LEXICAL[param.datatype or ''].pattern}{any_})$"}
    if param.default is not None:
        schema["default"] = param.default
    return schema


def openapi_parameters(query: CannedQuery, options: Mapping[str, list[str]]) -> list[dict[str, object]]:
    """The query's parameters as OpenAPI 3.1 query parameters (descriptions in nl and en)."""
    return [{
        "name": p.name,
        "in": "query",
        "required": p.default is None and not p.optional,
        "description": f"{p.label['nl']}: {p.description['nl']} — {p.label['en']}: {p.description['en']}",
        "schema": parameter_schema(p, options.get(p.name)),
    } for p in query.parameters]


ERROR = {"type": "object", "required": ["ok", "error", "status"],
         "properties": {"ok": {"const": False}, "error": {"type": "string"}, "status": {"type": "integer"}}}
ROWS = {
    "type": "object", "required": ["query", "parameters", "asserted", "variables", "rows", "truncated"],
    "properties": {
        "query": {"type": "string"}, "asserted": {"type": "boolean"}, "truncated": {"type": "boolean"},
        "parameters": {"type": "object", "additionalProperties": {"type": "string"}},
        "variables": {"type": "array", "items": {"type": "string"}},
        "boolean": {"type": "boolean"},
        "rows": {"type": "array", "items": {"type": "object", "properties": {"_evidence": {
            "type": "array", "items": {"type": "object", "required": ["document", "quote", "href"], "properties": {
                "document": {"type": "string"}, "quote": {"type": "string"}, "href": {"type": "string"}}}}}}},
    },
}
CATALOGUE = {"type": "object", "required": ["queries"],
             "properties": {"queries": {"type": "array", "items": {"type": "object", "required": ["name", "title"]}}}}
_TEXT = {"type": "string"}


def _responses(media_types: list[str], ok_schema: dict[str, Any]) -> dict[str, Any]:
    other = {SPARQL_JSON: {"type": "object"}, JSON_LD: {"type": ["array", "object"]}}
    ok = {mt: {"schema": ok_schema if mt == JSON else other.get(mt, _TEXT)} for mt in media_types}
    # Errors come in the shape the client asks for: JSON, an HTML page, or the message as plain text.
    error = {"content": {JSON: {"schema": {"$ref": "#/components/schemas/Error"}}, HTML: {"schema": _TEXT},
                         "text/plain": {"schema": _TEXT}}}
    return {
        "200": {"description": "The results / de resultaten", "content": ok},
        "400": {"description": "A parameter that cannot be used, named in the message", **error},
        "406": {"description": "None of the accepted media types is available", **error},
        "503": {"description": "The store is busy; retry later", **error},
        "504": {"description": "The query ran out of time", **error},
    }


def _common(formats: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": list(formats)},
         "description": "Result format; overrides Accept / resultaatformaat, gaat voor Accept"},
        {"name": "lang", "in": "query", "required": False, "schema": {"type": "string", "enum": ["nl", "en"]},
         "description": "Language of the HTML page / taal van de HTML-pagina"},
    ]


def openapi_document(catalogue: Catalogue, options: dict[str, dict[str, list[str]]]) -> dict[str, Any]:
    """The OpenAPI 3.1 document: ``/queries`` and one GET operation per canned query."""
    paths: dict[str, Any] = {"/queries": {"get": {
        "operationId": "catalogue", "summary": "The catalogue of canned queries / de catalogus",
        "tags": ["catalogus"], "parameters": _common({"html": HTML, "json": JSON}),
        "responses": _responses([HTML, JSON], {"$ref": "#/components/schemas/Catalogue"})}}}
    for query in catalogue:
        formats = formats_for(query.kind)
        note = f"\n\nInferentie / inference: {query.inference['en']}" if query.inference else ""
        asserted = {"name": "asserted", "in": "query", "required": False,
                    "schema": {"type": "string", "enum": ["true", "false", "1", "0", ""], "default": "false"},
                    "description": "Asserted facts only, without the OWL-RL inferences / alleen beweerde feiten"}
        paths[f"/queries/{query.name}"] = {"get": {
            "operationId": query.name, "summary": query.title["en"], "tags": list(query.tags),
            "description": f"{query.title['nl']}\n\n{query.description['nl']}\n\n{query.description['en']}{note}",
            "parameters": [*openapi_parameters(query, options.get(query.name, {})), asserted, *_common(formats)],
            "responses": _responses(list(formats.values()), {"$ref": "#/components/schemas/Rows"}),
        }}
    return {
        "openapi": "3.1.0",
        "info": {"title": "kennisgraaf: canned queries / vaste vragen", "version": __version__,
                 "description": "Named, parameterised questions over the kennisgraaf knowledge graph of the Dutch "
                                "sociaal domein. Parameters are bound as RDF terms. See /queries.",
                 "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}},
        "paths": paths,
        "components": {"schemas": {"Error": ERROR, "Rows": ROWS, "Catalogue": CATALOGUE}},
    }
