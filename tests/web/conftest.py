"""Web fixtures: the app from the factory, Flask's test client, a real server process, and ``http``.

``http`` is parametrised over ``["client", "server"]``: every test that uses it runs once
in-process (Flask's test client) and once against a real ``kennisgraaf serve -p 0`` process, with
one small request API (``http.get/post/options/request``) and one response shape
(:class:`HttpResponse`: ``status_code``, ``headers``, ``content``, ``text``, ``json()``).
Redirects are never followed, so 303s can be asserted. ``serve_process`` starts further server
processes (e.g. with other limits) and ``http_on`` gives the same request API on any app or server.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from serving import LiveServer
from werkzeug.datastructures import Headers

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.web import create_app


@pytest.fixture(scope="session")
def app(settings: Settings, built: BuiltDataset) -> Iterator[Flask]:
    """The app from ``create_app`` with the session's settings and built dataset (shared: do not mutate)."""
    application = create_app(settings, dataset=built)
    application.config["TESTING"] = True
    yield application
    close = getattr(application.extensions["kennisgraaf"].store, "close", None)
    if close is not None:
        close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """Flask's test client for :func:`app`."""
    return app.test_client()


@pytest.fixture(scope="session")
def http_on() -> Callable[[Flask | LiveServer], Http]:
    """The ``http`` request API on another app (in-process) or server process."""
    return lambda target: Http("client", client=target.test_client()) if isinstance(target, Flask) else Http(
        "server", server=target)


@dataclass
class HttpResponse:
    """The one response shape of :class:`Http`, whichever way the request went."""

    status_code: int
    headers: Headers
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode("utf-8")

    @property
    def mimetype(self) -> str:
        """The media type of Content-Type without parameters."""
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class Http:
    """One request API over Flask's test client (``kind="client"``) or a live server (``"server"``)."""

    def __init__(self, kind: str, client: FlaskClient | None = None, server: LiveServer | None = None) -> None:
        self.kind = kind
        self._client = client
        self._server = server

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (``http://localhost`` for the in-process client)."""
        return (self._server.url if self._server else "http://localhost") + path

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | list[tuple[str, str]] | None = None,
        data: bytes | str | Mapping[str, Any] | list[tuple[str, str]] | None = None,
        timeout: float = 60,
    ) -> HttpResponse:
        """Send a request; ``data`` as a mapping or pair list is form-encoded, bytes/str is sent as is."""
        headers = dict(headers or {})
        if self._server is not None:
            reply = self._server.session.request(method, self._server(path), headers=headers, params=params, data=data,
                                          allow_redirects=False, timeout=timeout)
            return HttpResponse(reply.status_code, Headers(list(reply.headers.items())), reply.content)
        assert self._client is not None
        if isinstance(data, list):
            data = _multi(data)
        query = _multi(params) if isinstance(params, list) else params
        kwargs: dict[str, Any] = {"headers": headers, "query_string": query}
        if isinstance(data, Mapping):
            kwargs["data"] = data
            kwargs["content_type"] = headers.pop("Content-Type", "application/x-www-form-urlencoded")
        elif data is not None:
            kwargs["data"] = data
        reply = self._client.open(path, method=method, **kwargs)
        try:
            return HttpResponse(reply.status_code, Headers(list(reply.headers.items())), reply.get_data())
        finally:
            reply.close()  # file responses (static files) hold their file open until closed

    def get(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("POST", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("OPTIONS", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("HEAD", path, **kwargs)


def _multi(pairs: list[tuple[str, str]]) -> Any:
    from werkzeug.datastructures import MultiDict

    return MultiDict(pairs)


@pytest.fixture(params=["client", "server"])
def http(request: pytest.FixtureRequest, app: Flask) -> Http:
    """Run the test in-process and against the real server process."""
    if request.param == "client":
        return Http("client", client=app.test_client())
    return Http("server", server=request.getfixturevalue("live_server"))
