"""An authenticating reverse proxy for tests, as users put one in front of a store without its own login.

It forwards every request to ``target`` when the request carries the expected ``Authorization``
(Basic or Bearer) and extra headers, and answers 401 with a challenge otherwise. It records the
headers it saw, so tests can check what the app sent.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host",
              "authorization", "content-length", "proxy-authorization"}


@dataclass
class AuthProxy:
    """A running proxy: ``url`` in front of ``target``."""

    server: ThreadingHTTPServer
    target: str
    seen: list[dict[str, str]] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def start_proxy(target: str, *, authorization: str | None = None,
                headers: Mapping[str, str] | None = None) -> AuthProxy:
    """A proxy to ``target`` that wants this exact ``Authorization`` value and these headers."""
    wanted = dict(headers or {})
    session = requests.Session()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            pass

        def _forward(self) -> None:
            proxy.seen.append(dict(self.headers.items()))
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            given_ok = authorization is None or self.headers.get("Authorization") == authorization
            headers_ok = all(self.headers.get(name) == value for name, value in wanted.items())
            if not (given_ok and headers_ok):
                self.send_response(401)
                scheme = (authorization or "Bearer").split(" ")[0]
                self.send_header("WWW-Authenticate", f'{scheme} realm="store"')
                self.send_header("Content-Type", "text/plain")
                message = b"authentication required"
                self.send_header("Content-Length", str(len(message)))
                self.end_headers()
                self.wfile.write(message)
                return
            forwarded = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k not in wanted}
            reply = session.request(self.command, target + self.path, data=body, headers=forwarded, timeout=60)
            content = reply.content
            self.send_response(reply.status_code)
            for name, value in reply.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() != "content-encoding":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    proxy = AuthProxy(server, target)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return proxy
