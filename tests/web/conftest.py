"""Web fixtures: the app from the factory, a real server process, and ``http``.

``http`` is parametrised over ``["client", "server"]``: every test that uses it runs once
in-process and once against a real ``kennisgraaf serve -p 0`` process, through one HTTP client,
httpx (its WSGI transport for the app, plain TCP for the server), with one small request API
(``http.get/post/options/head/request``) and one response shape (:class:`HttpResponse`:
``status_code``, ``headers``, ``content``, ``text``, ``json()``, ``mimetype``). Redirects are
never followed, so 303s can be asserted. ``serve_process`` starts further server processes (e.g.
with other limits) and ``http_on`` gives the same request API on any app or server. The client
itself (:class:`serving.Http`) lives in ``tests/serving.py``, beside the server it talks to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from flask import Flask
from serving import Http, LiveServer

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.web import create_app

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


@pytest.fixture(params=["client", "server"])
def http(request: pytest.FixtureRequest, app: Flask) -> Iterator[Http]:
    """Run the test in-process and against the real server process."""
    target = app if request.param == "client" else request.getfixturevalue("live_server")
    client = Http.on(target)
    yield client
    client.close()
