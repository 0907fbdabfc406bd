"""A real ``kennisgraaf serve -p 0`` process for tests, and the one HTTP client of the tests (httpx).

:class:`Http` sends the same requests to the app in-process (httpx's WSGI transport) or to a
server process (TCP), so a test can run both ways with one request API (``tests/web/conftest.py``
gives it as the ``http`` fixture).
"""

from __future__ import annotations

import json as jsonlib
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

import httpx
from flask import Flask

from kennisgraaf.config import Settings

SERVER_START_TIMEOUT = 60.0
IN_PROCESS = "http://localhost"
# What a path may hold as it is; anything else (spaces, control characters, non-ASCII) is
# percent-encoded, as browsers and requests do (httpx refuses a raw control character).
PATH_SAFE = "!#$%&'()*+,/:;=?@[]~"


@dataclass
class LiveServer:
    """A running ``kennisgraaf serve`` process."""

    url: str  # base URL without the trailing slash, e.g. http://127.0.0.1:41234
    process: subprocess.Popen[str]
    output: list[str]
    pump: threading.Thread | None = None

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


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop_process(process: subprocess.Popen[Any], *, timeout: float = 10) -> None:
    """Terminate a child process and wait for it; kill it when it does not stop within ``timeout`` s."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def stop_server(server: LiveServer) -> None:
    """Terminate the server process (SIGTERM, then kill)."""
    if server.process.returncode is not None:
        return
    stop_process(server.process)
    if server.pump is not None:
        server.pump.join(timeout=10)
    if server.process.stdout is not None:
        server.process.stdout.close()


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
