"""Web fixtures: the app from the factory, a real server process, and ``http``.

``http`` is parametrised over ``["client", "server"]``: every test that uses it runs once
in-process and once against a real ``kennisgraaf serve -p 0`` process, through one HTTP client,
httpx (its WSGI transport for the app, plain TCP for the server), with one small request API
(``http.get/post/options/head/request``) and one response shape (:class:`HttpResponse`:
``status_code``, ``headers``, ``content``, ``text``, ``json()``, ``mimetype``). Redirects are
never followed, so 303s can be asserted. ``serve_process`` starts further server processes (e.g.
with other limits) and ``http_on`` gives the same request API on any app or server.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pytest
from flask import Flask
from serving import LiveServer

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.web import create_app

IN_PROCESS = "http://localhost"
# What a path may hold as it is; anything else (spaces, control characters, non-ASCII) is
# percent-encoded, as browsers and requests do (httpx refuses a raw control character).
PATH_SAFE = "!#$%&'()*+,/:;=?@[]~"
# httpx refuses URLs over 64 KiB on the client side (httpx._urlparse.MAX_URL_LENGTH); the limit
# tests send a query of several hundred KB in a URL to see the *server's* 413, as curl can.
URL_LENGTH_FOR_TESTS = 4 * 1024 * 1024


@pytest.fixture(scope="session", autouse=True)
def _long_urls() -> Iterator[None]:
    """Let httpx send the oversized URLs the limit tests need (its own cap is not what they test)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(httpx._urlparse, "MAX_URL_LENGTH", URL_LENGTH_FOR_TESTS)
        yield


@pytest.fixture(scope="session")
def app(settings: Settings, built: BuiltDataset) -> Iterator[Flask]:
    """The app from ``create_app`` with the session's settings and built dataset (shared: do not mutate)."""
    application = create_app(settings, dataset=built)
    application.config["TESTING"] = True
    yield application
    close = getattr(application.extensions["kennisgraaf"].store, "close", None)
    if close is not None:
        close()


@pytest.fixture(scope="session")
def http_on() -> Iterator[Callable[[Flask | LiveServer], Http]]:
    """The ``http`` request API on another app (in-process) or server process."""
    opened: list[Http] = []

    def make(target: Flask | LiveServer) -> Http:
        opened.append(Http.on(target))
        return opened[-1]

    yield make
    for http in opened:
        http.close()


class HttpResponse:
    """An httpx response, plus the media type of its Content-Type (what most assertions compare)."""

    def __init__(self, reply: httpx.Response) -> None:
        self.status_code = reply.status_code
        self.headers = reply.headers
        self.content = reply.content

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
    """One request API over one httpx client: the app in-process (``kind="client"``) or a live server (``"server"``).

    In-process requests go through httpx's WSGI transport straight into the app, the others over
    TCP to the server process; everything else (encoding, headers, no redirects followed, the
    response) is the same httpx code on both paths.
    """

    def __init__(self, kind: str, client: httpx.Client) -> None:
        self.kind = kind
        self.client = client

    @classmethod
    def on(cls, target: Flask | LiveServer) -> Http:
        if isinstance(target, Flask):
            return cls("client", httpx.Client(transport=httpx.WSGITransport(app=target), base_url=IN_PROCESS))
        return cls("server", httpx.Client(base_url=target.url))

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (``http://localhost`` for the app in-process)."""
        return str(self.client.base_url).rstrip("/") + path

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
        if isinstance(data, Mapping | list):
            data = urlencode(list(data.items()) if isinstance(data, Mapping) else data, doseq=True)
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        reply = self.client.request(method, quote(path, safe=PATH_SAFE), headers=headers, params=params, content=data,
                                    timeout=timeout)
        return HttpResponse(reply)

    def get(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("POST", path, **kwargs)

    def options(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("OPTIONS", path, **kwargs)

    def head(self, path: str, **kwargs: Any) -> HttpResponse:
        return self.request("HEAD", path, **kwargs)

    def close(self) -> None:
        self.client.close()


@pytest.fixture(params=["client", "server"])
def http(request: pytest.FixtureRequest, app: Flask) -> Iterator[Http]:
    """Run the test in-process and against the real server process."""
    target = app if request.param == "client" else request.getfixturevalue("live_server")
    client = Http.on(target)
    yield client
    client.close()
