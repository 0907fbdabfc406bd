"""One error shape for the whole app (STYLE §2.7), chosen by ``Accept``.

Domain exceptions carry a status and a message for users. Browsers get an HTML page in the site's
frame (``errors/<status>.html`` or ``errors/error.html``); clients that ask for JSON get
``{"ok": false, "error": …, "status": …}``; every other client (curl, SPARQL protocol clients
that ask for a result format) gets the message as ``text/plain``.
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException

from kennisgraaf.sparql import mediatypes
from kennisgraaf.store.base import StoreError, store_fault

# Pages load scripts, styles, images and fonts from this server only and send queries to it only;
# no inline script runs (the query page's settings are a JSON data block, which CSP does not
# execute). Inline styles stay allowed: YASGUI and CodeMirror set them while they draw.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
                           "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
# Query text travels in URLs: other sites learn at most our origin from a link on a result page.
REFERRER_POLICY = "strict-origin-when-cross-origin"


class UserError(Exception):
    """An error caused by the request, shown to the user with its status."""

    status = 400

    def __init__(self, message: str, status: int | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status
        self.headers = headers or {}


def wants_html() -> bool:
    """True when the client prefers HTML over JSON (a browser)."""
    return mediatypes.wants_html(request.accept_mimetypes, [mediatypes.JSON])


def wants_json() -> bool:
    """True when the client names JSON itself and prefers it to plain text (``*/*`` alone is not asking for JSON)."""
    return mediatypes.prefers(request.accept_mimetypes, mediatypes.JSON, [mediatypes.PLAIN_TEXT])


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """Render an error in the one shape: HTML for browsers, JSON for JSON clients, else plain text."""
    if wants_html():
        try:
            body = render_template(f"errors/{status}.html", message=message, status=status)
        except TemplateNotFound:
            body = render_template("errors/error.html", message=message, status=status)
        response = Response(body, status=status, mimetype="text/html")
    elif wants_json():
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
    else:
        response = Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")
    response.headers.update(headers or {})
    return response


def init_app(app: Flask) -> None:
    """Register the one error handler and the headers every response carries."""

    @app.errorhandler(UserError)
    def handle_user_error(exc: UserError) -> Response:
        return error_response(exc.message, exc.status, exc.headers)

    @app.errorhandler(StoreError)
    def handle_store_error(exc: StoreError) -> Response:
        # A busy or slow store, or a client past its share, is the client's to retry (429/503/504); a
        # store fault already carries its incident id; anything else on a page is our own query
        # failing: our fault (500), logged.
        # The SPARQL blueprint has its own handler: there a store error is usually the query's fault.
        if exc.status in (429, 503, 504) or exc.incident:
            return error_response(exc.message, exc.status, exc.headers)
        fault = store_fault("internal error: a query of this page failed.", f"{exc.status} {exc.message}")
        return error_response(fault.message, 500)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> Response:
        response = error_response(exc.description or exc.name, exc.code or 500)
        if exc.code == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        incident = secrets.token_hex(4)
        app.logger.exception("incident %s: unhandled error on %s %s", incident, request.method, request.path)
        return error_response(f"internal error: the server could not answer this request (incident {incident}: "
                              "the operator finds the details in the server log under this id).", 500)

    @app.after_request
    def common_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", REFERRER_POLICY)
        if response.mimetype == "text/html":
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
