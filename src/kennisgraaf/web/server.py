"""The production WSGI server behind ``kennisgraaf serve``: waitress (DESIGN §6).

waitress reads every request completely (headers and body, within size limits) in its
asynchronous I/O loop before a worker thread sees it, so slow or half-open clients tie up no
thread; it answers slow readers from its output buffers the same way. Queries in flight are
capped separately (``max_in_flight``, see :mod:`kennisgraaf.web.sparql`).
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import waitress

from kennisgraaf.config import Settings


def server_url(host: str, port: int) -> str:
    """The base URL a client uses for ``host:port`` (IPv6 hosts in brackets)."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def create_server(app: Callable[..., Any], settings: Settings) -> Any:
    """A waitress server for ``app``, bound (port 0 picks a free one) but not yet running."""
    return waitress.create_server(
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
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
    )


def run(app: Callable[..., Any], settings: Settings, echo: Callable[[str], None],
        on_stop: Callable[[], None] | None = None) -> None:
    """Serve ``app`` until interrupted (Ctrl-C or SIGTERM); print the bound URL first."""
    server = create_server(app, settings)
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
