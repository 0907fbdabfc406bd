"""One error shape for the whole app (STYLE §2.7).

Domain exceptions carry a status and a message for users. Machine clients get JSON
``{"ok": false, "error": …, "status": …}``; browsers get ``errors/<status>.html`` (or
``errors/error.html``); a blueprint may register its own text/plain rendering (the SPARQL protocol).
"""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from jinja2 import TemplateNotFound
from werkzeug.exceptions import HTTPException

from kennisgraaf.store.base import StoreError


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
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


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
        # A busy, slow, unreachable or refusing store (503/504/502) is said as such, as /sparql says it;
        # anything else is our fault (500). The SPARQL blueprint has its own handler: there a store
        # error is usually the query's fault. Remote-store messages carry no credentials (Redactor).
        if exc.status in (502, 503, 504):
            app.logger.warning("store: %s", exc.message)
            return error_response(exc.message, exc.status, exc.headers)
        app.logger.error("query failed: %s", exc.message)
        return error_response("internal error: a query failed", 500)

    @app.errorhandler(HTTPException)
    def handle_http_error(exc: HTTPException) -> Response:
        response = error_response(exc.description or exc.name, exc.code or 500)
        if exc.code == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        return error_response("internal error: the server could not answer this request", 500)

    @app.after_request
    def common_headers(response: Response) -> Response:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response
