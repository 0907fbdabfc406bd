"""Blueprint ``resources``: the home page, dereferenceable IRIs and the pages about things.

``/id/…`` answers 303 See Other to ``/doc/…``; ``/doc/…`` serves HTML, Turtle, JSON-LD, N-Triples
or RDF/XML by ``Accept`` or by extension; ``/def`` documents the ontology (where the ``def#Term``
IRIs resolve); ``/graph/<name>`` describes and serves one named graph. Decisions: docs/pages.md.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, redirect, render_template, request, send_from_directory

from kennisgraaf.build.canonical import serialise
from kennisgraaf.site.diagram import panels
from kennisgraaf.site.dumps import known_graphs
from kennisgraaf.site.ontodoc import OntologyDoc, load_ontology_doc
from kennisgraaf.site.pageindex import is_iri
from kennisgraaf.site.pages import Description, Labeller, describe, description_quads, suggestions
from kennisgraaf.site.sourceview import source_view
from kennisgraaf.sparql.mediatypes import (
    BY_EXTENSION,
    BY_MEDIA_TYPE,
    HTML,
    RESOURCE_FORMATS,
    MediaType,
    NotAcceptable,
    negotiate,
    split_extension,
)
from kennisgraaf.vocab import GRAPH_ASSERTED, GRAPH_INFERRED, GRAPH_ONTOLOGY
from kennisgraaf.web.errors import UserError, wants_html
from kennisgraaf.web.i18n import request_language
from kennisgraaf.web.state import context as _ctx
from kennisgraaf.web.state import dump_cache as _dumps
from kennisgraaf.web.state import labeller as _labeller
from kennisgraaf.web.state import page_index as _index
from kennisgraaf.web.state import page_queries as _queries
from kennisgraaf.web.state import shared as _shared

bp = Blueprint("resources", __name__)


# -- shared state and request helpers -------------------------------------------------------------

















# What a page is served as: HTML when the client states no preference, else the best for Accept.
PAGE_TYPES = (HTML, *(f.media_type for f in RESOURCE_FORMATS))


def _negotiate(fmt: MediaType | None) -> str:
    """The media type to answer with: the extension's, or the best for ``Accept`` (406 if none)."""
    if fmt is not None:
        return fmt.media_type
    try:
        return negotiate(request.accept_mimetypes, PAGE_TYPES)
    except NotAcceptable:
        offered = ", ".join(PAGE_TYPES)
        raise UserError(f"no acceptable representation; this resource is available as {offered}", 406) from None


def _alternates(path: str) -> list[tuple[str, str, str]]:
    """(href, media type, name) of every representation of the page at ``path``."""
    return [(path, HTML, "HTML")] + [(f"{path}.{f.extension}", f.media_type, f.name) for f in RESOURCE_FORMATS]


def _finish(response: Response, path: str, negotiated: bool, media_type: str) -> Response:
    """Link headers to the alternates, Vary and a Content-Location for negotiated RDF."""
    response.headers["Link"] = ", ".join(f'<{href}>; rel="alternate"; type="{mt}"'
                                         for href, mt, _ in _alternates(path) if mt != media_type)
    if negotiated:
        response.vary.add("Accept")
        if media_type != HTML:
            response.headers["Content-Location"] = f"{path}.{BY_MEDIA_TYPE[media_type].extension}"
    return response  # ETag, 304 and Cache-Control: web/cache.py, before the page is built


def _rdf_response(quads: list, media_type: str) -> Response:
    fmt = BY_MEDIA_TYPE[media_type]
    body = serialise(quads, fmt.rdf_format, _ctx().uris.prefixes())
    return Response(body, mimetype=media_type)




@bp.get("/favicon.ico")
def favicon() -> Response:
    """The site's icon where browsers and feed readers look for it without a <link>."""
    return send_from_directory(current_app.static_folder or "", "favicon.ico", max_age=86400)


# -- home ----------------------------------------------------------------------------------------

@bp.get("/")
def home() -> Response:
    ctx, index, labeller = _ctx(), _index(), _labeller()
    counts = _queries().select_once("class-counts.rq")  # 39 ms each time it was run
    own = str(ctx.uris.kg)
    classes = [(labeller.link(r["class"].value), int(r["assertedInstances"].value), int(r["instances"].value))
               for r in counts if r["class"].value.startswith(own)]
    # What the documents are about first; the build's own bookkeeping (quote locations) last.
    build_made = {own + "QuoteLocation"}
    classes.sort(key=lambda row: (row[0].iri in build_made, row[0].label.lower()))
    graphs = [(labeller.graph_link(ctx.dataset.graph_iri(name)), n)
              for name, n in sorted(ctx.dataset.meta["triples"].items())]
    authorities = _instances(str(ctx.uris.kg) + "PublicAuthority", labeller)
    diagram = panels(_queries().select_once("page-task-changes.rq"), labeller, index.documents())
    documents = [(labeller.link(d), index.document_date.get(d, ""), d in index.derived_dates)
                 for d in index.documents()]
    body = render_template("resources/home.html", classes=classes, graphs=graphs, documents=documents,
                           authorities=authorities, panels=diagram, meta=ctx.dataset.meta)
    return _finish(Response(body, mimetype=HTML), "/", False, HTML)


def _instances(class_iri: str, labeller: Labeller) -> list:
    rows = _queries().select("page-instances.rq", {"class": class_iri})
    return sorted((labeller.link(r["instance"].value) for r in rows), key=lambda link: link.label.lower())


# -- dereferencing -------------------------------------------------------------------------------

@bp.get("/id/<path:rest>")
def identifier(rest: str) -> Response:
    """303 See Other from the thing's IRI to the page about it (if the dataset knows the thing)."""
    stem, fmt = split_extension(rest)  # a pasted IRI with an extension still finds its twin
    iri = _ctx().uris.base + "id/" + stem
    if not is_iri(iri) or not _queries().ask("page-exists.rq", {"resource": iri}):
        return _not_found(iri)
    path = "/doc/" + stem + (f".{fmt.extension}" if fmt else "")
    target = path + (("?" + request.query_string.decode()) if request.query_string else "")
    response = redirect(target, 303)
    response.headers["Vary"] = "Accept"
    return response


@bp.get("/doc/<path:rest>")
def resource(rest: str) -> Response:
    stem, fmt = split_extension(rest)
    media_type = _negotiate(fmt)
    ctx = _ctx()
    iri = ctx.uris.base + "id/" + stem
    if not is_iri(iri):
        return _not_found(iri)
    lang = request_language()
    description = describe(iri, _queries(), _index(), ctx.uris, lang, ctx.dataset.inferred_graph_iri())
    if not description.exists:
        return _not_found(iri)
    path = "/doc/" + stem
    if media_type != HTML:
        inferred = request.args.get("asserted", "").lower() not in ("true", "1", "yes")
        quads = description_quads(description, ctx.dataset.inferred_graph_iri(), inferred=inferred)
        return _finish(_rdf_response(quads, media_type), path, fmt is None, media_type)
    body = render_template("resources/resource.html", d=description, path=path, alternates=_alternates(path),
                           own_graph=_index().document_graph.get(description.iri), **_document_parts(description))
    return _finish(Response(body, mimetype=HTML), path, fmt is None, media_type)


def _document_parts(description: Description) -> dict[str, Any]:
    """The highlighted source text (documents and source texts) and the task diagram (documents)."""
    index, labeller = _index(), _labeller()
    text_iri = index.document_text.get(description.iri)
    if text_iri is None and description.iri in index.text_file:
        text_iri = description.iri
    if text_iri is None:
        return {"source": None, "panels": []}
    source = source_view(text_iri, index, _ctx().dataset.source_texts, labeller)
    diagram = []
    if description.iri in index.document_text:
        diagram = panels(_queries().select_once("page-task-changes.rq"), labeller, [description.iri])
    return {"source": source, "panels": diagram}


def _not_found(iri: str) -> Response:
    """404 with suggestions: known things whose path or label is close to what was asked."""
    if not wants_html():
        raise UserError(f"the dataset says nothing about <{iri}>", 404)
    body = render_template("resources/not_found.html", iri=iri, suggestions=suggestions(iri, _labeller()))
    return Response(body, status=404, mimetype=HTML)


# -- ontology and graphs -------------------------------------------------------------------------

def _ontology_doc(lang: str) -> OntologyDoc:
    docs: dict[str, OntologyDoc] = _shared("pages.ontodoc", dict)
    if lang not in docs:
        ctx = _ctx()
        ontology = _dumps().graph(ctx.dataset.graph_iri(GRAPH_ONTOLOGY), BY_EXTENSION["nt"].rdf_format)
        docs[lang] = load_ontology_doc(ontology, ctx.dataset.shapes_file.read_bytes(), ctx.uris.base, lang)
    return docs[lang]


@bp.get("/def")
@bp.get("/def.<ext>")
def ontology(ext: str | None = None) -> Response:
    fmt = _format_of_extension(ext)
    media_type = _negotiate(fmt)
    ctx = _ctx()
    if media_type != HTML:
        body = _dumps().graph(ctx.dataset.graph_iri(GRAPH_ONTOLOGY), BY_MEDIA_TYPE[media_type].rdf_format)
        return _finish(Response(body, mimetype=media_type), "/def", fmt is None, media_type)
    doc = _ontology_doc(request_language())
    body = render_template("resources/ontology.html", o=doc, alternates=_alternates("/def"))
    return _finish(Response(body, mimetype=HTML), "/def", fmt is None, media_type)


@bp.get("/def/<path:rest>")
def ontology_part(rest: str) -> Response:
    """Shapes (``def/shapes#…``) and the version IRI (``def/0.1.0``) are documented on ``/def``."""
    anchor = "#shapes" if rest.startswith("shapes") else ""
    return redirect("/def" + anchor, 303)


def _format_of_extension(ext: str | None) -> MediaType | None:
    if ext is None:
        return None
    _, fmt = split_extension("x." + ext)
    if fmt is None:
        raise UserError(f"unknown format extension .{ext}", 404)
    return fmt


GRAPH_KINDS = {GRAPH_ONTOLOGY: "ontology", "reference": "reference", "quote-locations": "quotes",
               GRAPH_INFERRED: "inferred", GRAPH_ASSERTED: "asserted"}


@bp.get("/graph/<name>")
def graph(name: str) -> Response:
    stem, fmt = split_extension(name)
    ctx = _ctx()
    iri = ctx.dataset.graph_iri(stem)
    if iri not in known_graphs(ctx.dataset):
        raise UserError(f"no graph named {stem!r}", 404)
    media_type = _negotiate(fmt)
    path = "/graph/" + stem
    if media_type != HTML:
        body = _dumps().graph(iri, BY_MEDIA_TYPE[media_type].rdf_format)
        return _finish(Response(body, mimetype=media_type), path, fmt is None, media_type)
    index, labeller = _index(), _labeller()
    documents = [labeller.link(d) for d, g in sorted(index.document_graph.items()) if g == iri]
    triples = ctx.dataset.meta["triples"].get(stem)
    body = render_template("resources/graph.html", name=stem, iri=iri, kind=GRAPH_KINDS.get(stem, "document"),
                           triples=triples, documents=documents, alternates=_alternates(path))
    return _finish(Response(body, mimetype=HTML), path, fmt is None, media_type)
