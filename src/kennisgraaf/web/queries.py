"""Blueprint ``queries``: the canned-query catalogue, each query as an endpoint, and ``/openapi.json``.

``/queries`` lists the catalogue (HTML or JSON); ``/queries/<name>`` is an HTML page with a
parameter form and the result table, and the same URL answers JSON, SPARQL results (JSON, XML,
CSV, TSV) or RDF for CONSTRUCT queries by ``Accept`` or ``?format=``. Rows that rest on a quote
carry their evidence, linked to the quote on the document page. Decisions: docs/queries.md.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, render_template, request
from flask.blueprints import BlueprintSetupState

from kennisgraaf.site.cannedresults import (
    FORMATS,
    Table,
    csv_text,
    evidence_for,
    formats_for,
    label_text_in,
    localise,
    simple_rows,
)
from kennisgraaf.site.openapi import openapi_document
from kennisgraaf.sparql.catalogue import BoundQuery, CannedQuery, Catalogue, ParameterError, UnknownQuery
from kennisgraaf.sparql.mediatypes import CSV, HTML, JSON, N_TRIPLES, SPARQL_JSON, NotAcceptable, negotiate
from kennisgraaf.sparql.queryfiles import load_catalogue
from kennisgraaf.sparql.verify import ensure_verified
from kennisgraaf.store.base import QueryResult, StoreError, solutions
from kennisgraaf.web.errors import UserError, error_response
from kennisgraaf.web.i18n import request_language
from kennisgraaf.web.state import context as _ctx
from kennisgraaf.web.state import page_index as _index
from kennisgraaf.web.state import page_queries
from kennisgraaf.web.state import shared as _shared

# The templates live in the package's templates/ (beside web/), whatever the app's own folder is.
bp = Blueprint("queries", __name__, template_folder=str(Path(__file__).resolve().parent.parent / "templates"))
TRUE, FALSE = ("true", "1"), ("false", "0", "")




@bp.record_once
def _load_catalogue(state: BlueprintSetupState) -> None:
    """Read the catalogue when the app is built, so a bad ``.rq`` header stops ``create_app`` (and ``serve``)."""
    context = state.app.extensions["kennisgraaf"]
    context.extras.setdefault("queries.catalogue", load_catalogue(context.uris))


def _catalogue() -> Catalogue:
    return _shared("queries.catalogue", lambda: load_catalogue(_ctx().uris))


def _verified(name: str) -> dict[str, Any] | None:
    """This build's check of the query's expected rows (recorded in meta.json; run once if missing)."""
    outcome = _shared("queries.verification", lambda: ensure_verified(_ctx().dataset, _catalogue()))
    return outcome["queries"].get(name)








def _select(text: str) -> list[dict[str, str]]:
    """Rows (plain strings) of a helper SELECT on the full graph: membership checks, form options.

    Kept per app (the dataset does not change under it), so a canned query checks its parameters
    against the store once per distinct value, not on every call.
    """
    try:
        rows = page_queries().rows_once(text)
    except StoreError as exc:
        raise UserError(exc.message, exc.status, exc.headers) from None
    return [{name: term.value for name, term in row.items()} for row in rows]


def options(query: CannedQuery) -> dict[str, list[tuple[str, str]]]:
    """(relative IRI, label) of the instances of each IRI parameter's class, cached per app."""
    catalogue, cache = _catalogue(), _shared("queries.options", dict)
    found = {}
    for param in query.parameters:
        if param.type == "iri" and param.cls:
            if param.cls not in cache:
                rows = catalogue.options(param, _select)
                cache[param.cls] = [(catalogue.relative(r["value"]), r.get("label") or catalogue.relative(r["value"]))
                                    for r in rows]
            found[param.name] = cache[param.cls]
    return found


def choices(query: CannedQuery, lang: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """The form's value lists in the reader's language: per parameter (value, text, fallback language or None)."""
    index, base, found = _index(), _ctx().uris.base, {}
    for param in query.parameters:
        if param.type == "enum":
            items = [(word, *label_text_in(index, target if ":" in target.split("/")[0] else base + target, word, lang))
                     for word, target in param.values.items()] if not param.datatype else [
                (word, word, None) for word in param.values]
            found[param.name] = items
    for name, items in options(query).items():
        labelled = [(value, *label_text_in(index, value if ":" in value.split("/")[0] else base + value, label, lang))
                    for value, label in items]
        found[name] = sorted(labelled, key=lambda item: (item[1].lower(), item[0]))
    return found


def _args(allowed: set[str] | None = None) -> dict[str, str]:
    """The request's parameters, each at most once; ``lang`` checked; others only from ``allowed`` (if given)."""
    args: dict[str, str] = {}
    for name, values in request.args.lists():
        if len(values) > 1:
            raise ParameterError(name, "given more than once")
        if allowed is not None and name not in allowed:
            raise ParameterError(name, f"unknown parameter; use {', '.join(sorted(allowed))}")
        args[name] = values[0]
    if args.get("lang", "nl") not in ("nl", "en"):
        raise ParameterError("lang", f"{args['lang']!r} is not allowed; use nl or en")
    return args


def _given() -> tuple[dict[str, str], bool]:
    """The query's parameter values and the ``asserted`` flag from the request."""
    args = _args()
    given = {k: v for k, v in args.items() if k not in ("format", "asserted", "lang")}
    flag = args.get("asserted", "")
    if flag not in TRUE + FALSE:
        raise ParameterError("asserted", f"{flag!r} is not allowed; use true or false")
    return given, flag in TRUE


def _bind(query: CannedQuery, given: dict[str, str]) -> BoundQuery:
    """Bind the values; an IRI that is not an instance of its parameter's class is refused too."""
    bound = _catalogue().bind(query, given)
    _catalogue().check(bound, _select)
    return bound


def _media_type(query: CannedQuery) -> str:
    offered = formats_for(query.kind)
    fmt = _args().get("format")
    if fmt is not None:
        if fmt not in offered:
            raise ParameterError("format", f"{fmt!r} is not allowed; use one of {', '.join(offered)}")
        return offered[fmt]
    try:
        return negotiate(request.accept_mimetypes, list(offered.values()))
    except NotAcceptable:
        raise UserError(f"no acceptable representation; {query.name} is available as "
                        + ", ".join(offered.values()), 406) from None


@bp.get("/queries")
def catalogue_page() -> Response:
    """The catalogue: every canned query with its description, as HTML or JSON."""
    catalogue = _catalogue()
    fmt = _args({"format", "lang"}).get("format")
    if fmt not in (None, "html", "json"):
        raise ParameterError("format", f"{fmt!r} is not allowed; use html or json")
    try:
        chosen = negotiate(request.accept_mimetypes, [HTML, JSON], fmt)
    except NotAcceptable:
        raise UserError(f"no acceptable representation; /queries is available as {HTML}, {JSON}", 406) from None
    if chosen == JSON:
        return jsonify({"queries": [_describe(q) for q in catalogue]})
    verified = {q.name: _verified(q.name) for q in catalogue}
    return Response(render_template("queries/catalogue.html", queries=list(catalogue), verified=verified),
                    mimetype=HTML)


def _describe(query: CannedQuery) -> dict[str, Any]:
    return {
        "name": query.name, "title": dict(query.title), "description": dict(query.description),
        "tags": list(query.tags), "kind": query.kind, "url": f"{request.url_root}queries/{query.name}",
        "inference": dict(query.inference) if query.inference else None, "example": dict(query.example),
        "questions": [dict(q) for q in query.questions], "expected": [dict(r) for r in query.expected],
        "verified": _verified(query.name),
        "formats": list(formats_for(query.kind)),
        "parameters": [{"name": p.name, "type": p.type, "class": p.cls, "datatype": p.datatype,
                        "values": list(p.values) or None, "default": p.default, "optional": p.optional,
                        "label": dict(p.label), "description": dict(p.description)} for p in query.parameters],
    }


@bp.get("/queries/<name>")
def query_page(name: str) -> Response:
    """Run one canned query with the request's parameters, in the negotiated format."""
    try:
        query = _catalogue().get(name)
    except UnknownQuery as exc:
        raise UserError(str(exc), 404) from None
    media_type = _media_type(query)
    if media_type == HTML:
        return _html(query)
    given, asserted = _given()
    bound = _bind(query, given)
    lang = request_language()
    # JSON and CSV carry a …Label column per IRI column in the reader's language; they are made here
    # from SPARQL JSON. The SPARQL result formats (srj, xml, tsv) and RDF are the engine's own answer.
    store_type = SPARQL_JSON if media_type in (JSON, CSV) else media_type
    result = _run(bound.text, store_type, asserted)
    if media_type == CSV:
        variables, rows = solutions(result)
        response = Response(csv_text(localise(variables, rows, _index(), lang)), mimetype=CSV)
        response.mimetype_params["charset"] = "utf-8"
    elif media_type != JSON:
        response = Response(result.body, mimetype=media_type)
        if media_type.startswith("text/"):
            response.mimetype_params["charset"] = "utf-8"
    else:
        variables, rows = solutions(result)
        loc = localise(variables, rows, _index(), lang)
        response = jsonify({"query": query.name, "parameters": dict(bound.values), "asserted": asserted,
                            "lang": lang, "variables": loc.variables, "truncated": result.truncated,
                            "columns": {v: query.heading(v, lang) for v in loc.variables},
                            "rows": simple_rows(query, loc.rows, evidence_for(query, rows, _index(), _ctx().uris,
                                                                              request.url_root), loc.fallbacks)})
    response.headers["Content-Language"] = lang
    response.vary.add("Accept-Language")
    # The same header as /sparql: a cut-off result says so.
    response.headers["X-Result-Truncated"] = "true" if result.truncated else "false"
    response.vary.add("Accept")
    return response


def _run(text: str, accept: str, asserted: bool) -> QueryResult:
    try:
        return _ctx().store.query(text, accept=accept, asserted=asserted)
    except StoreError as exc:
        raise UserError(exc.message, exc.status, exc.headers) from None  # keep Retry-After


def _html(query: CannedQuery) -> Response:
    """The query page: the form (with the values given) and the results, or the problem with them."""
    values = {k: v for k, v in request.args.items() if k not in ("format", "asserted", "lang")}
    problem, table, status, asserted, sparql = None, None, 200, False, None
    try:
        given, asserted = _given()
        bound = _bind(query, given)
        values = dict(bound.values)
        sparql = bound.text
        accept = SPARQL_JSON if query.kind != "graph" else N_TRIPLES
        result = _run(bound.text, accept, asserted)
        table = Table.build(query, result, _index(), _ctx().uris, request_language())
    except ParameterError as exc:
        problem, status = _with_labels(str(exc)), 400
    editor = {"query": sparql or "", **({"asserted": "true"} if asserted else {})}
    links = [(f, f"{request.path}?{urlencode({**values, 'format': f})}") for f in formats_for(query.kind)]
    body = render_template("queries/query.html", query=query, values=values,
                           choices=choices(query, request_language()),
                           problem=problem, table=table, asserted=asserted, formats=links,
                           verified=_verified(query.name), sparql=sparql, editor_href="/sparql?" + urlencode(editor))
    response = Response(body, status=status, mimetype=HTML)
    response.headers["Content-Language"] = request_language()
    response.vary.add("Accept-Language")
    response.headers["Link"] = ", ".join(f'<{href}>; rel="alternate"; type="{FORMATS[f]}"'
                                         for f, href in links if f != "html")
    response.vary.add("Accept")
    return response


def _with_labels(message: str) -> str:
    """A parameter error as the form shows it: things named by their labels, not by raw IRIs, and
    without the list of allowed values (the form's own list shows them)."""
    index, lang, base = _index(), request_language(), _ctx().uris.base

    def label(match: re.Match[str]) -> str:
        iri = match.group(1)
        found = index.label(iri if iri.startswith("http") else base + iri, lang)
        return f"“{found}”" if found else match.group(0)
    return _IRI_IN_TEXT.sub(label, message.split("; allowed:")[0])


_IRI_IN_TEXT = re.compile(r"<?((?:https?://|id/)[^\s<>'\",]+)>?")


@bp.get("/openapi.json")
def openapi() -> Response:
    """OpenAPI 3.1 description of the catalogue: every canned query as an operation."""
    catalogue = _catalogue()
    opts = {q.name: {p: [v for v, _ in o] for p, o in options(q).items()} for q in catalogue}
    return jsonify(openapi_document(catalogue, opts))


@bp.errorhandler(ParameterError)
def _parameter_error(exc: ParameterError) -> Response:
    return error_response(str(exc), 400)
