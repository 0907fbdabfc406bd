"""A throwaway Oxigraph server for tests (the ``oxigraph`` binary of the test extra), on a free loopback port."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests
from serving import free_port, stop_process

OXIGRAPH = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")


@dataclass
class Oxigraph:
    """A running ``oxigraph serve``."""

    url: str  # base URL, e.g. http://127.0.0.1:41234
    process: subprocess.Popen[bytes]
    command: list[str]
    started_in: float = 0.0

    def restart(self) -> None:
        """Start it again on the same port and database (after :meth:`stop`)."""
        self.stop()
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(self, time.monotonic())

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    @property
    def graph_store_url(self) -> str:
        return self.url + "/store"

    def stop(self) -> None:
        if self.process.poll() is None:
            stop_process(self.process)


def start_oxigraph(directory: Path, *, timeout_s: int = 5) -> Oxigraph:
    """``oxigraph serve`` with its database in ``directory`` and its own query time limit; ready when it answers."""
    if not Path(OXIGRAPH).exists():
        raise RuntimeError("the oxigraph server binary is missing: pip install oxigraph")
    port = free_port()
    started = time.monotonic()
    command = [OXIGRAPH, "serve", "--location", str(directory), "--bind", f"127.0.0.1:{port}",
               "--timeout-s", str(timeout_s)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Oxigraph(f"http://127.0.0.1:{port}", process, command)
    _wait(server, started)
    return server


def _wait(server: Oxigraph, started: float) -> None:
    deadline = started + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"oxigraph serve stopped while starting ({server.process.returncode})")
        try:
            requests.get(server.query_url, params={"query": "ASK {}"}, timeout=1)
            server.started_in = time.monotonic() - started
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    server.stop()
    raise RuntimeError("oxigraph serve did not answer within 30 s")
