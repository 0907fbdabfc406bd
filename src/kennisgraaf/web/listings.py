"""Blueprint ``listings``: ``/doc/?class=…``, a class's instances as a table (HTML, JSON or CSV).

Sorting, pages and facets are made in ``site/listing.py``; this blueprint reads the request and
renders. Without ``class`` the address goes to the class list on the home page. Decisions: docs/pages.md.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, redirect, render_template, request

from kennisgraaf.site import listing as listings
from kennisgraaf.site.pageindex import is_iri
from kennisgraaf.site.pages import Labeller
from kennisgraaf.sparql.mediatypes import HTML
from kennisgraaf.web.errors import UserError
from kennisgraaf.web.state import context as _ctx
from kennisgraaf.web.state import labeller as _labeller
from kennisgraaf.web.state import page_index as _index
from kennisgraaf.web.state import page_queries as _queries

bp = Blueprint("listings", __name__)


# The same shared objects as the resources blueprint (keyed in the app's shared state), so the
# page index is built once per dataset whichever blueprint asks first.






@bp.get("/doc/")
def listing() -> Response:
    labeller = _labeller()
    class_iri = request.args.get("class", "")
    if class_iri:
        if not is_iri(class_iri):
            raise UserError(f"not an IRI: {class_iri!r}", 400)
        return _listing(class_iri, labeller)
    return redirect("/#classes", 303)


def _listing(class_iri: str, labeller: Labeller) -> Response:
    """A class's instances as a table (HTML, or ``format=json`` / ``format=csv``): sort, page, facets."""
    ctx, index = _ctx(), _index()
    args = request.args
    sort = args.get("sort", "label")
    if sort not in listings.SORTS:
        raise UserError(f"unknown sort {sort!r}; use one of {', '.join(listings.SORTS)}", 400)
    try:
        page = int(args.get("page", "1"))
    except ValueError:
        raise UserError(f"page must be a number, not {args.get('page')!r}", 400) from None
    fmt = args.get("format", "html")
    if fmt not in ("html", "json", "csv"):
        raise UserError(f"unknown format {fmt!r}; use html, json or csv", 400)
    solutions = _queries().select("page-listing.rq", {"class": class_iri})
    graph_documents: dict[str, list[str]] = {}
    for document, graph in index.document_graph.items():
        graph_documents.setdefault(graph, []).append(document)
    rows = listings.collect(solutions, labeller, graph_documents, ctx.dataset.inferred_graph_iri())
    shown = listings.build(labeller.link(class_iri), rows, sort=sort, descending=args.get("order") == "desc",
                          page=page, document=args.get("document") or None, layer=args.get("layer") or None)
    if fmt == "json":
        return jsonify({"class": class_iri, "total": shown.total, "page": shown.page, "pages": shown.pages,
                        "rows": listings.as_records(shown)})
    if fmt == "csv":
        return Response(listings.as_csv(shown), mimetype="text/csv")

    def link_with(**changes: str | None) -> str:
        merged = {k: v for k, v in {**args.to_dict(), **changes}.items() if v not in (None, "")}
        return "/doc/?" + urlencode(merged)

    body = render_template("resources/listing.html", listing=shown, link_with=link_with)
    return Response(body, mimetype=HTML)
