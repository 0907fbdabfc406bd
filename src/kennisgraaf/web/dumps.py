"""Blueprint ``dumps``: whole-dataset dumps, read-only Graph Store Protocol, VoID + DCAT, ``/health``.

Dumps are the bytes of ``kennisgraaf export`` (canonical: same build, same bytes), with a strong
ETag (the SHA-256 of the bytes sent), Last-Modified (the build time), ``Repr-Digest`` and 304 on a
matching ``If-None-Match``; gzip when the client accepts it, or as a ``.gz`` file. Decisions:
docs/pages.md.
"""

from __future__ import annotations

import hashlib
import time
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from kennisgraaf import __version__
from kennisgraaf.site.dumps import DUMP_SPECS, GZIP_MEDIA_TYPE, SPECS_BY_NAME, Dump, known_graphs
from kennisgraaf.site.void import VoidFacts, collect, describe, serialise_description
from kennisgraaf.sparql.mediatypes import (
    BY_MEDIA_TYPE,
    HTML,
    JSON,
    JSON_LD,
    N_TRIPLES,
    RDF_XML,
    TURTLE,
    NotAcceptable,
    negotiate,
)
from kennisgraaf.store.base import StoreError
from kennisgraaf.web.errors import UserError
from kennisgraaf.web.state import context as _ctx
from kennisgraaf.web.state import dump_cache as _dumps
from kennisgraaf.web.state import page_index
from kennisgraaf.web.state import page_queries as _queries
from kennisgraaf.web.state import shared as _shared

bp = Blueprint("dumps", __name__)

RDF_TYPES = [TURTLE, JSON_LD, N_TRIPLES, RDF_XML]








def _built_at() -> datetime:
    return datetime.strptime(_ctx().dataset.meta["built"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)




def _choose(offers: list[str]) -> str | None:
    """The offer that best fits the request's Accept (the first without a preference), None if none does."""
    try:
        return negotiate(request.accept_mimetypes, offers)
    except NotAcceptable:
        return None


def _conditional(response: Response, etag: str, *, vary: tuple[str, ...] = ()) -> Response:
    """Strong ETag, Last-Modified of the build, caching headers, then 304/206 as the request asks."""
    response.set_etag(etag)
    response.last_modified = _built_at()
    response.cache_control.public = True
    response.cache_control.max_age = 300
    response.vary.update(vary)
    return response.make_conditional(request, accept_ranges=True)




# -- dumps ---------------------------------------------------------------------------------------

@bp.get("/dumps/")
def index() -> Response:
    dumps = _dumps().all()
    if _choose([HTML, JSON]) == JSON:
        return jsonify({"ok": True, "dumps": [_summary(d) for d in dumps], "void": "/.well-known/void"})
    return Response(render_template("dumps/index.html", dumps=dumps, graphs=known_graphs(_ctx().dataset)),
                    mimetype=HTML)


def _summary(dump: Dump) -> dict[str, Any]:
    name = dump.spec.file_name
    return {"file": name, "url": f"/dumps/{name}", "media_type": dump.spec.media_type, "bytes": len(dump.data),
            "sha256": dump.sha256, "gzip": {"url": f"/dumps/{name}.gz", "bytes": len(dump.gzipped),
                                            "sha256": dump.gzip_sha256}}


@bp.get("/dumps/SHA256SUMS")
def checksums() -> Response:
    lines = []
    for dump in _dumps().all():
        lines.append(f"{dump.sha256}  {dump.spec.file_name}")
        lines.append(f"{dump.gzip_sha256}  {dump.spec.file_name}.gz")
    body = ("\n".join(lines) + "\n").encode()
    return _conditional(Response(body, mimetype="text/plain"), hashlib.sha256(body).hexdigest())


@bp.get("/dumps/<name>")
def dump(name: str) -> Response:
    as_file = name.endswith(".gz")
    spec = SPECS_BY_NAME.get(name[:-3] if as_file else name)
    if spec is None:
        raise UserError(f"no dump named {name!r}; see /dumps/", 404)
    found = _dumps().get(spec.file_name)
    encoded = as_file or _accepts_gzip()
    response = Response(found.body(encoded), mimetype=GZIP_MEDIA_TYPE if as_file else spec.media_type)
    if encoded and not as_file:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Repr-Digest"] = found.repr_digest(encoded)
    response.headers["Link"] = '</.well-known/void>; rel="describedby"'
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    return _conditional(response, found.etag(encoded), vary=() if as_file else ("Accept-Encoding",))


def _accepts_gzip() -> bool:
    """gzip when the client accepts it at least as much as the plain bytes."""
    encodings = request.accept_encodings
    return encodings["gzip"] > 0 and encodings["gzip"] >= encodings["identity"]


# -- Graph Store Protocol (read-only) ------------------------------------------------------------

@bp.get("/dumps/graph-store")
def graph_store() -> Response:
    """SPARQL 1.1 Graph Store HTTP Protocol, indirect identification, GET only."""
    default = "default" in request.args
    graph = request.args.get("graph")
    if default == (graph is not None):
        raise UserError("give exactly one of ?default or ?graph=<IRI>", 400)
    ctx = _ctx()
    if graph is not None and graph not in known_graphs(ctx.dataset):
        raise UserError(f"no graph <{graph}> in this dataset", 404)
    media_type = _choose(RDF_TYPES)
    if media_type is None:
        raise UserError("no acceptable representation; offered: " + ", ".join(RDF_TYPES), 406)
    body = _dumps().graph(graph, BY_MEDIA_TYPE[media_type].rdf_format)
    return _conditional(Response(body, mimetype=media_type), hashlib.sha256(body).hexdigest(), vary=("Accept",))


# -- VoID + DCAT ---------------------------------------------------------------------------------

def _void_facts() -> VoidFacts:
    def build() -> VoidFacts:
        index = page_index()
        return collect(_queries(), index.documents(), _ctx().dataset.meta["triples"])

    return _shared("void.facts", build)


@bp.get("/.well-known/void")
def void() -> Response:
    offers = [TURTLE, HTML, *RDF_TYPES[1:]]
    media_type = _choose(offers)
    if media_type is None:
        raise UserError("no acceptable representation; offered: " + ", ".join(offers), 406)
    facts, dumps = _void_facts(), _dumps().all()
    if media_type == HTML:
        body = render_template("dumps/void.html", facts=facts, dumps=dumps, meta=_ctx().dataset.meta)
        response = Response(body, mimetype=HTML)
    else:
        graph = describe(facts, _ctx().dataset, dumps)
        data = serialise_description(graph, BY_MEDIA_TYPE[media_type].rdf_format, _ctx().dataset.base)
        response = Response(data, mimetype=media_type)
    variant = BY_MEDIA_TYPE[media_type].extension if media_type != HTML else "html"
    etag = f"{_ctx().dataset.key[:24]}-{__version__}-{variant}"
    return _conditional(response, etag, vary=("Accept", "Accept-Language"))


# -- health --------------------------------------------------------------------------------------

@bp.get("/health")
def health() -> Response:
    """For operators: the dataset being served and whether the store answers."""
    ctx = _ctx()
    started = time.perf_counter()
    try:
        store_ok = _queries().ask("health.rq")
        problem = None if store_ok else "the store holds no triples"
    except (StoreError, OSError) as exc:
        store_ok, problem = False, str(exc)
    # What the store actually loaded, against what the build wrote (the embedded store reports it).
    loaded = getattr(ctx.store, "loaded_triples", None)
    if store_ok and loaded is not None and loaded != ctx.dataset.triple_count:
        store_ok, problem = False, f"the store loaded {loaded} of the build's {ctx.dataset.triple_count} quads"
    elapsed = round((time.perf_counter() - started) * 1000, 1)
    body = {
        "ok": store_ok,
        "status": "ok" if store_ok else "unavailable",
        "version": __version__,
        "dataset": {"key": ctx.dataset.key, "built": ctx.dataset.meta["built"], "base": ctx.dataset.base,
                    "graphs": len(ctx.dataset.graph_names), "quads": ctx.dataset.triple_count,
                    "sha256": ctx.dataset.quads_sha256, **({"loaded": loaded} if loaded is not None else {})},
        "store": {"ok": store_ok, "milliseconds": elapsed, **({"error": problem} if problem else {})},
        "dumps": [spec.file_name for spec in DUMP_SPECS],
    }
    response = jsonify(body)
    response.status_code = 200 if store_ok else 503
    response.cache_control.no_store = True
    return response
