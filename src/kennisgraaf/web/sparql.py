"""Blueprint ``sparql``: the SPARQL 1.1 Protocol query operation at ``/sparql`` (read-only).

GET ``?query=``, POST form-encoded and POST ``application/sparql-query``; ``default-graph-uri``
and ``named-graph-uri`` (graphs of this dataset only); ``asserted=true`` for asserted facts only;
results by ``Accept`` (q-values) or a ``format`` / ``output`` parameter. Without a query, a
browser gets the query page (YASGUI) and any other client the Service Description. Updates are
refused on every route with 403. Errors on this blueprint are ``text/plain`` with the message (the
parser's, for syntax errors), as the protocol's clients expect; CORS allows any origin, without
credentials. Decisions: ``docs/endpoint.md``.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, render_template, request
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from kennisgraaf.site.examples import example_queries
from kennisgraaf.site.queries import read_query
from kennisgraaf.site.service import description
from kennisgraaf.sparql import mediatypes
from kennisgraaf.sparql.admission import READ_ONLY_MESSAGE, query_form
from kennisgraaf.sparql.messages import shorten_syntax_error
from kennisgraaf.store.base import StoreError, solutions
from kennisgraaf.web.errors import UserError, error_response

bp = Blueprint("sparql", __name__)

QUERY_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
TRUE, FALSE = {"", "1", "true", "yes", "on"}, {"0", "false", "no", "off"}
FORMAT_PARAMS = ("format", "output", "results")
CORS_EXPOSED = "X-Result-Truncated, X-Result-Limit, Content-Disposition"
# What every answer of this blueprint carries; an answer to a query is built with them at once
# (each later werkzeug ``Headers.set`` scans the list: a third of a light query's miss went to headers).
CORS_HEADERS = (("Access-Control-Allow-Origin", "*"), ("Access-Control-Expose-Headers", CORS_EXPOSED),
                ("Vary", "Accept"))


def _context():
    return current_app.extensions["kennisgraaf"]


@bp.errorhandler(UserError)
def _user_error(exc: UserError) -> Response:
    return error_response(exc.message, exc.status, exc.headers)


@bp.errorhandler(StoreError)
def _store_error(exc: StoreError) -> Response:
    # On this endpoint a store error is usually the query's own fault: say what and where.
    return error_response(shorten_syntax_error(exc.message, g.get("sparql_query")), exc.status, exc.headers)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    response = error_response(exc.description or exc.name, exc.code or 500)
    if exc.code == 405:
        response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
    return response


@bp.after_request
def _cors(response: Response) -> Response:
    if response.headers.get("Access-Control-Allow-Origin") == "*":
        return response  # built with CORS_HEADERS
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    """Answer a CORS preflight: any origin, GET/POST, the headers the client asks for; no credentials."""
    response = Response(status=204)
    del response.headers["Content-Type"]
    response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Accept, Content-Type")
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = "GET, HEAD, POST, OPTIONS"
    return response


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint() -> Response:
    """The query operation (or, without a query, the query page or the service description)."""
    query, params = _operation()
    g.sparql_query = query
    if query is None:
        if _wants_html():
            return _page(None)
        return _service_description()
    if request.method in ("GET", "HEAD") and not any(name in params for name in FORMAT_PARAMS) and _wants_html():
        return _page(query)
    return _answer(query, params)


def _operation() -> tuple[str | None, MultiDict]:
    """The query text and the parameters of the request, or a 4xx for anything else."""
    args = request.args
    if request.method in ("GET", "HEAD"):  # HEAD: the GET's headers without its body (Flask drops it)
        if "update" in args:
            raise UserError(READ_ONLY_MESSAGE, 403)
        return _single(args, "query"), args
    mimetype = request.mimetype.lower()
    if mimetype in ("application/sparql-update",):
        raise UserError(READ_ONLY_MESSAGE, 403)
    if mimetype not in QUERY_TYPES:
        raise UserError(
            f"Unsupported Content-Type {mimetype or '(none)'!r}: POST a query as application/sparql-query "
            "or as application/x-www-form-urlencoded with a query parameter.", 415)
    if mimetype == "application/x-www-form-urlencoded":
        form = request.form
        if "update" in form or "update" in args:
            raise UserError(READ_ONLY_MESSAGE, 403)
        if "query" in args:
            raise UserError("Give the query in the request body or in the URL, not both.")
        params = MultiDict([*args.items(multi=True), *form.items(multi=True)])
        query = _single(params, "query")
        if query is None:
            raise UserError("A form-encoded POST needs a query parameter.")
        return query, params
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise UserError(f"The query must be UTF-8, not {charset}.", 415)
    if "query" in args:
        raise UserError("Give the query in the request body or in the URL, not both.")
    try:
        return request.get_data().decode("utf-8"), args
    except UnicodeDecodeError:
        raise UserError("The query is not valid UTF-8.") from None


def _single(params: MultiDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise UserError(f"Give exactly one {name} parameter, not {len(values)}.")
    return values[0] if values else None


def _param(params: MultiDict, *names: str) -> str | None:
    for name in names:
        value = _single(params, name)
        if value is not None:
            return value
    return None


def _asserted(params: MultiDict) -> bool:
    value = _param(params, "asserted")
    if value is None:
        return False
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise UserError(f"asserted must be true or false, not {value!r}.")


def _wants_html() -> bool:
    return mediatypes.wants_html(request.accept_mimetypes, (*mediatypes.RESULT_TYPES, *mediatypes.GRAPH_TYPES))


def _answer(query: str, params: MultiDict) -> Response:
    ctx = _context()
    kind = query_form(query)
    supported = mediatypes.GRAPH_TYPES if kind == "graph" else mediatypes.RESULT_TYPES
    media_type = _negotiate(params, supported)
    default_graphs, named_graphs = params.getlist("default-graph-uri"), params.getlist("named-graph-uri")
    protocol_dataset = bool(default_graphs or named_graphs)
    result = ctx.store.query(
        query,
        accept=media_type,
        asserted=_asserted(params),
        default_graphs=default_graphs if protocol_dataset else None,
        named_graphs=named_graphs if protocol_dataset else None,
    )
    headers = [("Content-Type", _content_type(result.media_type)), *CORS_HEADERS,
               ("X-Result-Limit", str(ctx.settings.result_limit))]
    if result.truncated:
        headers.append(("X-Result-Truncated", "true"))
    response = Response(result.body, status=200, headers=headers)
    if _param(params, "download") is not None:
        response.headers["Content-Disposition"] = (
            f'attachment; filename="kennisgraaf-results.{mediatypes.BY_MEDIA_TYPE[result.media_type].extension}"')
    return response


def _negotiate(params: MultiDict, supported: tuple[str, ...]) -> str:
    """The media type to answer with: from a format parameter if there is one, else from Accept.

    Clients repeat the parameter under several names and values (SPARQLWrapper sends ``format``,
    ``output`` and ``results``, for TSV each twice): the first value we can produce wins.
    """
    wanted = [value for name in FORMAT_PARAMS for value in params.getlist(name)]
    known = {name for entry in mediatypes.REGISTRY for name in (entry.extension, *entry.aliases) if "/" not in name}
    if wanted and not any(value.strip().lower() in known or "/" in value for value in wanted):
        # A name we have never heard of is a mistake in the request, not a format we lack (406).
        raise UserError(f"unknown format {wanted[0]!r}; use one of {', '.join(sorted(known))} or a media type", 400)
    try:
        for value in wanted:
            found = mediatypes.resolve(value, supported)
            if found is not None:
                return found
        if wanted:
            raise mediatypes.NotAcceptable(supported)
        return mediatypes.negotiate(request.accept_mimetypes, supported)
    except mediatypes.NotAcceptable as exc:
        raise UserError(str(exc), 406) from None


def _content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type.startswith("text/") else media_type


def _service_description() -> Response:
    ctx = _context()
    media_type = _negotiate(request.args, mediatypes.GRAPH_TYPES)
    counts = ctx.extras.get("sparql_counts")
    if counts is None:
        counts = _graph_counts()
        ctx.extras["sparql_counts"] = counts
    triples = description(request.base_url, counts[""], {g: n for g, n in counts.items() if g}, ctx.settings)
    body = _serialise(triples, media_type, ctx.uris.prefixes())
    return Response(body, content_type=_content_type(media_type))


def _graph_counts() -> dict[str, int]:
    """Triples in the default graph ("") and in each graph a query may name."""
    store = _context().store
    counts: dict[str, int] = {}
    _, rows = solutions(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
    counts[""] = int(rows[0]["n"].value)
    graphs = sorted(store.graphs) if hasattr(store, "graphs") else _context().dataset.named_graph_iris()
    for graph in graphs:
        _, rows = solutions(store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", default_graphs=[graph]))
        counts[graph] = int(rows[0]["n"].value)
    return counts


def _serialise(triples: list[ox.Triple], media_type: str, prefixes: dict[str, str]) -> bytes:
    fmt = mediatypes.rdf_format(media_type)
    if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        prefixes = {**prefixes, "sd": "http://www.w3.org/ns/sparql-service-description#",
                    "void": "http://rdfs.org/ns/void#", "formats": "http://www.w3.org/ns/formats/"}
        return ox.serialize(triples, format=fmt, prefixes=prefixes)
    return ox.serialize(triples, format=fmt)


def _page(query: str | None) -> Response:
    ctx = _context()
    prologue = ctx.uris.sparql_prologue()
    prefixes = ctx.uris.prefixes()
    config = {
        "endpoint": request.base_url,
        # The PREFIX lines keep a copied query portable; the editor folds them so the body shows.
        "query": query if query is not None else prologue + read_query("start-query.rq"),
        "base": ctx.uris.base,
        "prefixes": prefixes,
        "run": query is not None,
        "examples": example_queries(prologue),
        "resultLimit": ctx.settings.result_limit,
    }
    body = render_template("sparql/query.html", config=config, query=query, prologue=prologue, prefixes=prefixes,
                           base=ctx.uris.base, examples=config["examples"], settings=ctx.settings)
    return Response(body, mimetype="text/html")
