"""Starting and stopping a real ``kennisgraaf serve -p 0`` process for tests (one implementation)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass

from kennisgraaf.config import Settings

SERVER_START_TIMEOUT = 60.0


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


def stop_server(server: LiveServer) -> None:
    """Terminate the server process (SIGTERM, then kill)."""
    if server.process.returncode is not None:
        return
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
