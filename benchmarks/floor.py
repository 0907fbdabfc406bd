"""The HTTP floor: a Flask app that answers every GET with the same small body.

Served by the suite under waitress (the server ``kennisgraaf serve`` uses) and under granian (a
Rust WSGI server), it shows what one request costs before kennisgraaf does any work::

    python benchmarks/floor.py waitress PORT [THREADS]
    granian --interface wsgi --host 127.0.0.1 --port PORT benchmarks.floor:app   (from the repository)
"""

from __future__ import annotations

import sys

from flask import Flask, Response

BODY = b'{"head":{},"boolean":true}\n'

app = Flask(__name__)


@app.get("/", defaults={"path": ""})
@app.get("/<path:path>")
def fixed(path: str) -> Response:
    return Response(BODY, mimetype="application/sparql-results+json")


def main(argv: list[str]) -> None:
    import waitress

    server, port = argv[0], int(argv[1])
    threads = int(argv[2]) if len(argv) > 2 else 16
    if server != "waitress":
        raise SystemExit(f"unknown server {server!r}")
    waitress.serve(app, host="127.0.0.1", port=port, threads=threads, ident="floor", _quiet=True)


if __name__ == "__main__":
    main(sys.argv[1:])
