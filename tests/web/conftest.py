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
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from kennisgraaf.config import Settings
from kennisgraaf.dataset import BuiltDataset
from kennisgraaf.web import create_app

SERVER_START_TIMEOUT = 60.0


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


@dataclass
class LiveServer:
    """A running ``kennisgraaf serve`` process."""

    url: str  # base URL without the trailing slash, e.g. http://127.0.0.1:41234
    process: subprocess.Popen[str]
    output: list[str]
    pump: threading.Thread | None = None
    session: requests.Session = field(default_factory=requests.Session)

    def __call__(self, path: str = "/") -> str:
        """Absolute URL of ``path`` on this server."""
        return self.url + path

    def stop(self) -> None:
        """Terminate the process (again: a no-op)."""
        stop_server(self)


def start_server(settings: Settings, *args: str, env: Mapping[str, str] | None = None) -> LiveServer:
    """Start ``kennisgraaf serve -p 0`` with ``settings``' cache dir; return once it listens.

    Extra command-line ``args`` go after ``serve`` (e.g. ``--timeout 1``). Stop it with
    :func:`stop_server`.
    """
    command = [sys.executable, "-m", "kennisgraaf"]
    if settings.root:
        command += ["--root", settings.root]
    command += ["--cache-dir", str(settings.cache_path), "serve", "-p", "0", *args]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        if "serving on " in line:
            url = line.split("serving on ", 1)[1].strip().rstrip("/")
            return LiveServer(url, process, output, reader)
    process.kill()
    raise RuntimeError("kennisgraaf serve did not start:\n" + "".join(output))


def stop_server(server: LiveServer) -> None:
    """Terminate the server process (SIGTERM, then kill)."""
    if server.process.returncode is not None:
        return
    server.session.close()
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait(timeout=10)
    if server.pump is not None:
        server.pump.join(timeout=10)
    if server.process.stdout is not None:
        server.process.stdout.close()


@pytest.fixture(scope="session")
def live_server(settings: Settings, built: BuiltDataset) -> Iterator[LiveServer]:
    """One real ``kennisgraaf serve -p 0`` process for the whole session, on the session's dataset."""
    server = start_server(settings)
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def serve_process(settings: Settings, built: BuiltDataset) -> Iterator[Callable[..., LiveServer]]:
    """Start more ``kennisgraaf serve -p 0`` processes, e.g. with other limits: ``serve_process("--timeout", "1")``.

    Stop one early with ``server.stop()``; any still running stop at the end of the session.
    """
    started: list[LiveServer] = []

    def start(*args: str, env: Mapping[str, str] | None = None) -> LiveServer:
        server = start_server(settings, *args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


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
