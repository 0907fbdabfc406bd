"""One line per request on stderr: method, path, status, bytes sent and milliseconds.

WSGI middleware, so it logs the same whatever server runs the app. The line is written when the
response body has been sent (or the client went away), so the duration and byte count are true.
The query string is left out: a SPARQL query can be long, and a canned query's values may be
private to whoever asked.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class AccessLog:
    """Wrap a WSGI app so that every request writes one line to ``stream``."""

    def __init__(self, app: WsgiApp, stream: TextIO | None = None) -> None:
        self.app = app
        self.stream = stream

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = ["-"]

        def recording_start(code: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            status[0] = code.split(" ", 1)[0]
            return start_response(code, headers, exc_info) if exc_info else start_response(code, headers)

        body = self.app(environ, recording_start)
        return self._counted(body, environ, status, started)

    def _counted(self, body: Iterable[bytes], environ: dict[str, Any], status: list[str],
                 started: float) -> Iterator[bytes]:
        sent = 0
        try:
            for chunk in body:
                sent += len(chunk)
                yield chunk
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
            millis = (time.perf_counter() - started) * 1000
            client = environ.get("REMOTE_ADDR", "-")
            path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
            line = f'{client} "{environ.get("REQUEST_METHOD", "-")} {path}" {status[0]} {sent} {millis:.1f}ms\n'
            stream = self.stream or sys.stderr
            stream.write(line)
            stream.flush()
