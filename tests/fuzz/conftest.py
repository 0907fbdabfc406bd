"""Fuzz fixtures: an app and a server process with a short time limit, so generated heavy queries end fast.

``KENNISGRAAF_FUZZ_EXAMPLES`` is the number of generated requests in all (default 400, under a
minute; ``KENNISGRAAF_FUZZ_EXAMPLES=10000 pytest tests/fuzz --timeout=0`` is the long run recorded
in docs/security.md): 30 % to each of the three in-process tests, 10 % to the server process.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.web import create_app

TOTAL = int(os.environ.get("KENNISGRAAF_FUZZ_EXAMPLES", "400"))
FUZZ_LIMITS = {"query_timeout": 1.0, "workers": 2, "max_in_flight": 8, "client_in_flight": 8,
               "client_seconds_per_minute": 100000.0}


@pytest.fixture(scope="session")
def fuzz_app(settings: Settings, built: BuiltDataset) -> Iterator[Flask]:
    app = create_app(settings.replace(**FUZZ_LIMITS), dataset=built)
    app.extensions["kennisgraaf"].store.warm_up()
    yield app
    app.extensions["kennisgraaf"].store.close()


@pytest.fixture(scope="session")
def fuzz_server(serve_process):
    server = serve_process("--timeout", "1", "--workers", "2", "--max-in-flight", "8", "--client-in-flight", "8",
                           "--client-seconds-per-minute", "100000")
    yield server
    server.stop()
