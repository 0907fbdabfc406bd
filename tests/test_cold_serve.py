"""A cold ``serve`` with a warm build cache: what it loads, and that it still refuses what it cannot serve.

Nothing here is timed (docs/benchmarks.md has the figures). The promises: with the build cache warm,
``serve`` and its first answers never import the build stack (rdflib's parsers, pyshacl, owlrl, the
chainer, the pipeline) nor the remote store's HTTP client; the query workers' fork server imports no
web framework and no rdflib; and a cache that cannot be served stops ``serve`` with its reason
before it listens.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest
from serving import start_server, stop_server

from kennisgraaf.build.cached import dataset_for, open_warm
from kennisgraaf.build.dataset import STORE_DIR, BuiltDataset
from kennisgraaf.config import Settings
from kennisgraaf.store.workers import WorkerSpec, start_command
from kennisgraaf.web import create_app
from kennisgraaf.web.state import FIRST_TEMPLATES, page_index, prepare

# What a start from a warm cache has no use for: building (parsers, SHACL, OWL-RL, the chainer and
# the steps around them) and talking to a remote store.
BUILD_STACK = ("pyshacl", "owlrl", "rdflib.plugins.parsers.notation3", "rdflib.plugins.parsers.ntriples",
               "kennisgraaf.build.pipeline", "kennisgraaf.build.explain", "kennisgraaf.build.validate",
               "kennisgraaf.build.checkrun", "kennisgraaf.build.inference", "kennisgraaf.build.evidence")
REMOTE = ("requests", "urllib3", "kennisgraaf.store.remote", "kennisgraaf.store.credentials")
IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|( *)(\S+)\s*$")


def imported_modules(output: str) -> set[str]:
    """The modules named by ``-X importtime`` lines (PYTHONPROFILEIMPORTTIME) in ``output``."""
    return {m.group(2) for line in output.splitlines() if (m := IMPORTED.match(line))}


def loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == name or m.startswith(name + ".") for name in names))


@pytest.fixture
def cache_copy(tmp_path: Path, built: BuiltDataset) -> tuple[Settings, Path]:
    """A cache folder of its own holding a copy of the session's build (same inputs, so the same key)."""
    cache = tmp_path / "cache"
    shutil.copytree(built.path, cache / built.path.name)
    return Settings(cache_dir=str(cache)), cache / built.path.name


def test_serve_with_a_warm_cache_and_its_first_answers_load_no_build_stack(settings, built):
    server = start_server(settings, "--no-access-log", env={"PYTHONPROFILEIMPORTTIME": "1"})
    try:
        assert httpx.get(server("/sparql"), params={"query": "ASK {}", "format": "json"}).json() == {
            "head": {}, "boolean": True}
        page = httpx.get(server("/doc/provincie/drenthe"), headers={"Accept": "text/html"})
        assert page.status_code == 200 and "Drenthe" in page.text
    finally:
        stop_server(server)
    modules = imported_modules("".join(server.output))
    # The hook did report this process's imports: the app's own modules are there.
    assert {"flask", "kennisgraaf.web", "kennisgraaf.cli.serving", "kennisgraaf.store.workers"} <= modules
    assert loaded(modules, BUILD_STACK) == []
    assert loaded(modules, REMOTE) == []
    assert "building" not in "".join(server.output)  # reused the session's build


def test_the_fork_server_imports_no_web_framework_and_no_rdflib(built):
    spec = WorkerSpec(quads_file=str(built.quads_file), inferred_graph=built.inferred_graph_iri(),
                      asserted_graph=built.asserted_graph_iri(), base=built.base)
    code = start_command(0, spec)[2].split("; main(")[0]  # its imports, without starting it
    result = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    modules = imported_modules(result.stderr)
    assert "kennisgraaf.store.workers" in modules and "pyoxigraph" in modules
    assert loaded(modules, ("flask", "werkzeug", "jinja2", "rdflib", "yaml", "click", "requests")) == []


def test_a_warm_cache_is_opened_as_the_build_left_it(cache_copy, built):
    settings, folder = cache_copy
    opened = open_warm(settings)
    assert opened is not None and opened.path == folder and opened.quads_sha256 == built.quads_sha256


def test_a_damaged_warm_cache_is_not_opened_but_built_again(cache_copy, built):
    settings, folder = cache_copy
    data = (folder / "graphs.nq").read_bytes()
    (folder / "graphs.nq").write_bytes(data[: len(data) // 2])
    assert open_warm(settings) is None  # the checksums are checked on the fast path too
    assert dataset_for(settings).triple_count == built.triple_count  # ... and the build repairs it
    assert (folder / "graphs.nq").read_bytes() == data


def test_serve_refuses_a_damaged_store_with_its_reason_before_it_listens(cache_copy):
    settings, folder = cache_copy
    for table in (folder / STORE_DIR).glob("*.sst"):  # RocksDB's tables cut short: outside SHA256SUMS
        table.write_bytes(table.read_bytes()[:100])
    result = subprocess.run([sys.executable, "-m", "kennisgraaf", "--cache-dir", settings.cache_dir, "serve",
                             "-p", "0"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert f"cannot serve the build in {folder}" in result.stderr
    assert "the query fork server cannot load the dataset" in result.stderr and "Corruption" in result.stderr
    assert "kennisgraaf build --force" in result.stderr
    assert "serving on" not in result.stdout
    assert "Traceback" not in result.stderr


def test_prepare_compiles_the_first_templates_and_loads_the_page_index_once_the_store_is_ready(settings, built):
    app = create_app(settings, dataset=built)
    store = app.extensions["kennisgraaf"].store
    try:
        ready = threading.Event()
        thread = prepare(app, ready)
        thread.join(timeout=1)
        assert thread.is_alive()  # the index waits for the store
        store.warm_up()
        ready.set()
        thread.join(timeout=60)
        assert not thread.is_alive()
        compiled = {name for _, name in app.jinja_env.cache.keys()}
        assert set(FIRST_TEMPLATES) <= compiled
        executed = []
        run = store.execute
        store._store.execute = lambda *args, **kwargs: executed.append(args) or run(*args, **kwargs)
        with app.app_context():
            index = page_index()
        assert executed == []  # prepared: asking for it runs no query
        assert index.label(f"{built.base}id/provincie/drenthe", "nl") == "Provincie Drenthe"
    finally:
        store.close()


def test_the_cold_start_benchmark_measures_a_start(settings, built):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import coldstart

    ask, page, cpu = coldstart.one_start(str(Path(__file__).resolve().parent.parent / "src"),
                                         {"KENNISGRAAF_CACHE_DIR": settings.cache_dir})
    assert 0 < ask <= page and cpu > 0  # figures exist and are in order; their size is not a test
