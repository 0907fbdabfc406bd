"""What one answer-cache hit costs the app itself, without a server: CPU per WSGI call, in process.

Calls the app's WSGI entry point with a prepared environ, as waitress would, and reads the body:
the raw-key hit (``RawAnswers``, in front of Flask), the Flask-level hit behind it (the same app
without the middleware: Flask's request context, routing, hooks, ``Response``), and the floor app
(``benchmarks/floor.py``: Flask answering a fixed body). Best of five runs of ``--calls`` calls,
``time.process_time``, so other load on the machine barely moves it::

    .venv/bin/python benchmarks/hitcost.py [--calls 3000]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor  # noqa: E402

from kennisgraaf.build.pipeline import load_or_build  # noqa: E402
from kennisgraaf.config import load_settings  # noqa: E402
from kennisgraaf.web import create_app  # noqa: E402

PATHS = ("/queries/taken-provincie?format=json", "/doc/provincie/drenthe", "/doc/document/drenthe-2010-pns", "/")
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def environ(target: str) -> dict[str, Any]:
    path, _, query = target.partition("?")
    return {"REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": "127.0.0.1:8000", "HTTP_ACCEPT": "*/*", "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0), "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False}


def cost(app: WsgiApp, target: str, calls: int) -> float:
    """Microseconds of CPU per call, best of five runs (after a warm-up that fills the caches)."""
    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
        return None

    def call() -> None:
        body = app(environ(target), start_response)
        for _ in body:
            pass
        close = getattr(body, "close", None)
        if close is not None:
            close()

    for _ in range(50):
        call()
    runs = []
    for _ in range(5):
        began = time.process_time()
        for _ in range(calls):
            call()
        runs.append((time.process_time() - began) / calls * 1e6)
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    args = parser.parse_args()
    settings = load_settings()
    app = create_app(settings, dataset=load_or_build(settings, progress=None))
    flask_only = getattr(app.wsgi_app, "app", app.wsgi_app)  # behind RawAnswers (web/rawcache.py): Flask's own wsgi_app
    try:
        print(f"floor app (Flask, fixed body): {cost(floor.app, '/', args.calls):.1f} µs CPU per call")
        for target in PATHS:
            raw = cost(app, target, args.calls)
            flask = cost(flask_only, target, args.calls)
            print(f"{target}: raw-key hit {raw:.1f} µs, Flask-level hit {flask:.1f} µs")
    finally:
        app.extensions["kennisgraaf"].store.close()


if __name__ == "__main__":
    main()
