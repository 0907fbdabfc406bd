"""One error shape for the whole app (STYLE §2.7).

Domain exceptions carry a status and a message for users. Machine clients get JSON
``{"ok": false, "error": …, "status": …}``; browsers get ``errors/<status>.html`` (or
``errors/error.html``); a blueprint may register its own text/plain rendering (the SPARQL protocol).
"""

from __future__ import annotations

import secrets

from flask import Flask, Response, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException

from kennisgraaf.sparql import mediatypes
from kennisgraaf.store.base import StoreError, store_fault


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


def error_response(message: str, status: int, headers: dict[str, str] | None = None) -> Response:
    """Render an error in the one shape: HTML for browsers, JSON otherwise."""
    if wants_html():
        try:
            body = render_template(f"errors/{status}.html", message=message, status=status)
        except TemplateNotFound:
            body = render_template("errors/error.html", message=message, status=status)
        response = Response(body, status=status, mimetype="text/html")
    else:
        response = jsonify({"ok": False, "error": message, "status": status})
        response.status_code = status
    response.headers.update(headers or {})
    return response


def init_app(app: Flask) -> None:
    """Register the one error handler and the headers every response carries."""

    @app.errorhandler(UserError)
    def handle_user_error(exc: UserError) -> Response:
        return error_response(exc.message, exc.status, exc.headers)

    @app.errorhandler(StoreError)
    def handle_store_error(exc: StoreError) -> Response:
        # A busy or slow store is the client's to retry (503/504), a store fault already carries its
        # incident id; anything else on a page is our own query failing: our fault (500), logged.
        # The SPARQL blueprint has its own handler: there a store error is usually the query's fault.
        if exc.status in (503, 504) or exc.incident:
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
        return response
