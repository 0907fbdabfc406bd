"""Integrity of what is served: the build cache carries checksums, and a damaged cache is never served.

``SHA256SUMS`` in each cache folder lists every file the build wrote. Opening a cache checks it:
a file cut short, garbled or missing makes ``load_or_build`` build again (never serve the damage);
the query workers check the quads file once more before loading it. A broken data file under
``--root`` makes ``serve`` refuse to start, naming file:line (docs/security.md says why).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kennisgraaf.build.dataset import CHECKSUMS, STORE_DIR, VERIFICATION_FILE, BuiltDataset, DamagedCache
from kennisgraaf.build.pipeline import load_or_build
from kennisgraaf.config import Settings
from kennisgraaf.store.pool import WorkerFailed, WorkerPool
from kennisgraaf.store.workers import WorkerSpec


def _cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8] = b"\xff\xfe\x00garbl"
    path.write_bytes(bytes(data))


DAMAGE = {
    "graphs.nq cut in half": ("graphs.nq", _cut_in_half),
    "graphs.nq garbled": ("graphs.nq", _garble),
    "meta.json truncated": ("meta.json", _cut_in_half),
    "SHA256SUMS garbled": (CHECKSUMS, _garble),
    "graphs.nq missing": ("graphs.nq", lambda path: path.unlink()),
}


@pytest.fixture
def cache_copy(tmp_path: Path, built: BuiltDataset) -> tuple[Settings, Path]:
    """A cache folder of its own holding a copy of the session's build (same key, so load_or_build finds it)."""
    cache = tmp_path / "cache"
    shutil.copytree(built.path, cache / built.path.name)
    return Settings(cache_dir=str(cache)), cache / built.path.name


def test_a_build_writes_checksums_of_every_file(built):
    listed = (built.path / CHECKSUMS).read_text().splitlines()
    # verification.json is written after the build, outside SHA256SUMS on purpose (build/dataset.py); so is the
    # on-disk store (a RocksDB folder that checks its own blocks; hashing it would cost the cold start seconds at 1M).
    assert sorted(line.split("  ")[1] for line in listed) == sorted(
        p.name for p in built.path.iterdir() if p.name not in (CHECKSUMS, VERIFICATION_FILE, STORE_DIR))
    assert BuiltDataset.open(built.path).quads_sha256 == next(
        line.split("  ")[0] for line in listed if line.endswith("  graphs.nq"))


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_cache_is_refused_with_what_is_wrong(cache_copy, damage):
    _, folder = cache_copy
    name, harm = DAMAGE[damage]
    harm(folder / name)
    with pytest.raises(DamagedCache) as info:
        BuiltDataset.open(folder)
    assert str(folder) in str(info.value)


def test_load_or_build_builds_a_damaged_cache_again(cache_copy, built):
    settings, folder = cache_copy
    _cut_in_half(folder / "graphs.nq")
    notes: list[str] = []
    from kennisgraaf.build.pipeline import Progress

    dataset = load_or_build(settings, progress=Progress(notes.append))
    assert any("damaged" in note for note in notes)
    assert (folder / "graphs.nq").read_bytes() == (built.path / "graphs.nq").read_bytes()
    assert len((folder / "graphs.nq").read_text().splitlines()) == dataset.triple_count == built.triple_count


def test_workers_refuse_a_quads_file_damaged_after_the_cache_was_opened(cache_copy):
    _, folder = cache_copy
    dataset = BuiltDataset.open(folder)
    _cut_in_half(folder / "graphs.nq")
    spec = WorkerSpec(quads_file=str(dataset.quads_file), inferred_graph=dataset.inferred_graph_iri(),
                      asserted_graph=dataset.asserted_graph_iri(), base=dataset.base,
                      quads_sha256=dataset.quads_sha256, isolate_network=False)
    pool = WorkerPool(spec, warm=1, limit=1)
    try:
        with pytest.raises(WorkerFailed) as info:
            pool.warm_up(timeout=30)
        assert "SHA-256 differs" in str(info.value)
    finally:
        pool.close()


def test_serve_refuses_a_broken_working_copy_naming_file_and_line(working_copy, tmp_path):
    path = working_copy / "data" / "documenten" / "drenthe-2010-pns.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append('<id/x> kg:label "unterminated .')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kennisgraaf", "--root", str(working_copy), "--cache-dir",
                             str(tmp_path / "cache"), "serve", "-p", "0"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert f"drenthe-2010-pns.ttl:{len(lines)}:" in result.stderr + result.stdout
    assert "serving on" not in result.stdout
    assert "Traceback" not in result.stderr
