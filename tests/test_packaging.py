"""A plain (non-editable) install carries the bundled ontology, data, shapes and source texts."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(REPO)], check=True, capture_output=True)
    return next(out.glob("kennisgraaf-*.whl"))


def test_wheel_bundles_every_input_file(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "shapes", "data/reference", "data/documenten", "data/bronnen"):
        for path in (REPO / folder).iterdir():
            if path.suffix in (".ttl", ".txt"):
                assert f"kennisgraaf/bundle/{folder}/{path.name}" in names, path


def test_wheel_carries_queries_templates_and_static_files(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "src" / "kennisgraaf"
    for folder in ("sparql/queries", "site/queries", "templates", "static"):
        for path in (package / folder).rglob("*"):
            if path.is_file():
                assert f"kennisgraaf/{path.relative_to(package).as_posix()}" in names, path


def test_installed_wheel_validates_the_bundled_data(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target), "KENNISGRAAF_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("KENNISGRAAF_ROOT", None)
    where = subprocess.run([sys.executable, "-c", "import kennisgraaf.config as c; print(c.bundled_root())"],
                           check=True, capture_output=True, text=True, env=env, cwd=tmp_path).stdout.strip()
    assert where.startswith(str(target))
    result = subprocess.run([sys.executable, "-m", "kennisgraaf", "validate"], capture_output=True, text=True,
                            env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
