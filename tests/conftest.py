"""Shared fixtures: the real dataset built once per session, and a query helper over it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from serving import LiveServer, start_server, stop_server

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.build.pipeline import load_or_build
from kennisgraaf.config import Settings, bundled_root
from kennisgraaf.sparql.local import open_query, rows

REPO = Path(__file__).resolve().parent.parent
SUITE_BUDGET = 1e6  # seconds of query time per minute for the suite's one client (see ``settings``)


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for the bundled data with a cache folder of the test session's own.

    The whole suite is one client (127.0.0.1) of the session's app and server, so its query time
    is not capped per minute (the cap has its own tests: tests/web/test_security_fairness.py).
    """
    return Settings(cache_dir=str(tmp_path_factory.mktemp("cache")), client_seconds_per_minute=SUITE_BUDGET)


@pytest.fixture(scope="session")
def built(settings: Settings) -> BuiltDataset:
    """The real dataset, built once per session."""
    return load_or_build(settings, progress=None)


@dataclass
class KnowledgeGraph:
    """SPARQL SELECT over the built dataset, with rows as plain strings."""

    dataset: BuiltDataset
    store: ox.Store

    def select(self, query: str, *, asserted: bool = False) -> list[dict[str, str]]:
        return rows(open_query(self.dataset, self.store, query, asserted=asserted))[1]

    def ask(self, query: str, *, asserted: bool = False) -> bool:
        return bool(open_query(self.dataset, self.store, query, asserted=asserted))


@pytest.fixture(scope="session")
def kg(built: BuiltDataset) -> KnowledgeGraph:
    """Query helper over the built dataset (default graph: union incl. inferred triples)."""
    return KnowledgeGraph(built, built.open_store())


@pytest.fixture
def working_copy(tmp_path: Path) -> Path:
    """A maintainer's working copy of the bundled ontology/, data/ and shapes/."""
    root = tmp_path / "copy"
    for name in ("ontology", "data", "shapes"):
        shutil.copytree(bundled_root() / name, root / name)
    return root


@pytest.fixture
def copy_settings(working_copy: Path, tmp_path: Path) -> Callable[[], Settings]:
    """Settings pointing at the working copy, with a fresh cache folder."""
    return lambda: Settings(root=str(working_copy), cache_dir=str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def live_server(settings: Settings, built: BuiltDataset) -> Iterator[LiveServer]:
    """One real ``kennisgraaf serve -p 0`` process for the whole session, on the session's dataset."""
    server = start_server(settings, env={"KENNISGRAAF_CLIENT_SECONDS_PER_MINUTE": str(SUITE_BUDGET)})
    yield server
    stop_server(server)


@pytest.fixture(scope="session")
def serve_process(settings: Settings, built: BuiltDataset) -> Iterator[Callable[..., LiveServer]]:
    """Start more ``kennisgraaf serve -p 0`` processes, e.g. with other limits: ``serve_process("--timeout", "1")``.

    Stop one early with ``server.stop()``; any still running stop at the end of the session.
    """
    started: list[LiveServer] = []

    def start(*args: str, env: Mapping[str, str] | None = None) -> LiveServer:
        server = start_server(settings, *args, env=env)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
