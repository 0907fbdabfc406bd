"""Blueprint ``why``: ``/why?s=…&p=…&o=…`` shows why a triple holds, as HTML or JSON.

A lookup in the build's explanations (``build/explain.py``): the OWL 2 RL rule and its premises,
down to asserted triples with their graphs and quotes. Decisions: docs/explanations.md.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

from kennisgraaf.site.pages import Labeller
from kennisgraaf.site.why import Explainer, NotExplained, parse_triple
from kennisgraaf.sparql.mediatypes import HTML, JSON, NotAcceptable, negotiate
from kennisgraaf.web.errors import UserError
from kennisgraaf.web.i18n import request_language
from kennisgraaf.web.state import context as _ctx
from kennisgraaf.web.state import page_index as _index

bp = Blueprint("why", __name__)




@bp.get("/why")
def why() -> Response:
    """The derivation of the triple ``s p o`` (``o`` an IRI or an N-Triples literal)."""
    ctx = _ctx()
    missing = [name for name in ("s", "p", "o") if not request.args.get(name, "").strip()]
    if missing:
        raise UserError(f"give the triple as s, p and o (missing: {', '.join(missing)}); o is an IRI or an "
                        'N-Triples literal such as "tekst"@nl', 400)
    fmt = request.args.get("format")
    if fmt not in (None, "html", "json"):
        raise UserError(f"format {fmt!r} is not allowed; use html or json", 400)
    try:
        media_type = negotiate(request.accept_mimetypes, [HTML, JSON], fmt)
    except NotAcceptable:
        raise UserError(f"no acceptable representation; /why is available as {HTML}, {JSON}", 406) from None
    try:
        triple = parse_triple(request.args["s"], request.args["p"], request.args["o"], ctx.uris.base,
                              ctx.uris.prefixes())
    except ValueError as exc:
        raise UserError(str(exc), 400) from None
    index, lang = _index(), request_language()
    explainer = Explainer(ctx.dataset.explanations, index, Labeller(index, ctx.uris, lang), ctx.dataset.graph_iri)
    try:
        tree = explainer.tree(triple)
    except NotExplained as exc:
        raise UserError(str(exc), 404) from None
    if media_type == JSON:
        response = jsonify(tree.to_json())
    else:
        response = Response(render_template("why/why.html", tree=tree), mimetype=HTML)
    response.vary.update(("Accept", "Accept-Language", "Cookie"))
    return response
