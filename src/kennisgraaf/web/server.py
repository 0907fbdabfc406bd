"""The production WSGI server behind ``kennisgraaf serve``: waitress (DESIGN §6).

waitress reads every request completely (headers and body, within size limits) in its
asynchronous I/O loop before a worker thread sees it, so slow or half-open clients tie up no
thread; it answers slow readers from its output buffers the same way. Queries in flight are
capped separately (``max_in_flight``, see :mod:`kennisgraaf.web.sparql`).

A request body over waitress's limit is refused before the app runs. waitress answers 413 and
closes the socket while the client is still sending, and closing a socket with unread data
makes the kernel send a reset, which destroys the answer before the client reads it. So our
channel *lingers* (as Apache and nginx do): after the refusal it shuts down its sending side
and reads and discards what the client still sends, up to ``LINGER_BYTES`` or
``LINGER_SECONDS``, then closes. The client reads the status and the reason, then sees the close.
"""

from __future__ import annotations

import signal
import socket
import time
from collections.abc import Callable
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask, WSGITask
from waitress.utilities import RequestEntityTooLarge

from kennisgraaf.config import Settings
from kennisgraaf.web.accesslog import AccessLog


def server_url(host: str, port: int) -> str:
    """The base URL a client uses for ``host:port`` (IPv6 hosts in brackets)."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


LINGER_BYTES = 64 * 1024 * 1024  # what a refused client may still send before we stop reading
LINGER_SECONDS = 10.0


class ExplainedErrorTask(ErrorTask):
    """waitress's error answer, with a reason a person can act on for an oversized body."""

    def execute(self) -> None:
        error = self.request.error
        if isinstance(error, RequestEntityTooLarge):
            limit = self.channel.adj.max_request_body_size
            error.body = (f"The request body is larger than this server accepts ({limit} bytes). A SPARQL query may "
                          f"be at most {self.channel.server.max_query_bytes} bytes (max_query_bytes).")
        self.channel.linger = True
        self.response_headers.append(("X-Content-Type-Options", "nosniff"))
        super().execute()


class ServingTask(WSGITask):
    """waitress's WSGI task, except that a bodiless answer (304, 204) keeps the connection open.

    waitress closes after any HTTP/1.1 answer without ``Content-Length``, which a 304 must not
    carry, so a client revalidating with ``If-None-Match`` had to reconnect every time. Such an
    answer ends with its header (RFC 9112 §6.3), so keeping the connection is safe; a client that
    sent ``Connection: close`` still gets it closed.
    """

    bodiless_keep_alive = False

    def build_response_header(self) -> bytes:
        self.bodiless_keep_alive = (not self.has_body and self.version == "1.1" and not self.close_on_finish
                                    and self.request.headers.get("CONNECTION", "").lower() != "close")
        try:
            return super().build_response_header()
        finally:
            self.bodiless_keep_alive = False

    def set_close_on_finish(self) -> None:
        if not self.bodiless_keep_alive:  # only the "no Content-Length" close of a bodiless answer is skipped
            super().set_close_on_finish()


class LingeringChannel(HTTPChannel):
    """An HTTP channel that, after refusing a request, drains the client's body instead of resetting it.

    waitress's I/O loop asks every channel ``readable()`` and ``writable()`` on every turn, so a
    channel only takes the draining versions of those (and of ``handle_read``) when it starts to
    drain, as attributes of its own; the others keep waitress's methods with no extra call.
    """

    error_task_class = ExplainedErrorTask
    task_class = ServingTask
    linger = False
    drained = 0
    drain_until = 0.0

    def handle_close(self) -> None:
        if self.linger and self.connected and self.socket is not None:
            try:
                self.socket.shutdown(socket.SHUT_WR)  # the answer is complete: the client sees the end
            except OSError:
                super().handle_close()
                return
            self.linger = False  # the next close is the real one
            self.will_close = False
            self.drain_until = time.monotonic() + LINGER_SECONDS
            self.readable = self._drain_readable  # type: ignore[method-assign]
            self.writable = self._drain_writable  # type: ignore[method-assign]
            self.handle_read = self._drain_read  # type: ignore[method-assign]
            return
        super().handle_close()

    def _drain_readable(self) -> bool:
        return True

    def _drain_writable(self) -> bool:
        # While draining, only the server's idle-channel sweep (will_close) makes this writable.
        return self.will_close

    def _drain_read(self) -> None:
        try:
            data = self.recv(self.adj.recv_bytes)  # b"" (closed by the client) calls handle_close
        except OSError:
            data = b""
        self.drained += len(data)
        if data and (self.drained > LINGER_BYTES or time.monotonic() > self.drain_until):
            super().handle_close()
        elif not data and self.socket is not None:
            super().handle_close()


def create_server(app: Callable[..., Any], settings: Settings) -> Any:
    """A waitress server for ``app``, bound (port 0 picks a free one) but not yet running."""
    server = waitress.create_server(
        app,
        host=settings.host,
        port=settings.port,
        threads=settings.threads,
        ident="kennisgraaf",
        # Larger requests are refused by waitress itself before the app runs; a query percent-encoded
        # in a URL or form takes up to three times its size, so the app still sees every query up to
        # its own limit and answers 413 with a reason.
        max_request_body_size=3 * settings.max_query_bytes + 65536,
        max_request_header_size=3 * settings.max_query_bytes + 65536,
        # Idle connections are closed after this many seconds; half-open clients cost a socket only.
        channel_timeout=max(30, int(settings.query_timeout) + 20),
        connection_limit=1000,
        # poll() rather than select(): select cannot watch a descriptor numbered 1024 or more, which
        # 1000 connections plus the server's own files can reach; no slower (docs/benchmarks.md).
        asyncore_use_poll=True,
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
        # The per-client caps (web/fairness.py) need the real client: only the configured proxy may name it.
        **({"trusted_proxy": settings.trusted_proxy, "trusted_proxy_headers": {"x-forwarded-for"},
            "trusted_proxy_count": 1} if settings.trusted_proxy else {}),
    )
    server.channel_class = LingeringChannel
    server.max_query_bytes = settings.max_query_bytes
    return server


def run(app: Callable[..., Any], settings: Settings, echo: Callable[[str], None],
        on_stop: Callable[[], None] | None = None) -> None:
    """Serve ``app`` until interrupted (Ctrl-C or SIGTERM); print the bound URL first."""
    server = create_server(AccessLog(app) if settings.access_log else app, settings)
    echo(f"kennisgraaf serving on {server_url(settings.host, server.effective_port)}")

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
        if on_stop is not None:
            on_stop()
