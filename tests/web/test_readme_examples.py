"""The README's curl examples return what they say, run as written against a real server."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _block(heading: str) -> list[str]:
    section = README.split(heading, 1)[1]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1).splitlines()


SPARQL_LINES = _block("### SPARQL with curl")
CANNED_LINES = _block("### Canned queries")


def _run(line: str, assignments: list[str], base: str) -> tuple[int, str]:
    """Run one README line with the README's own variable assignments, on ``base`` instead of port 8000."""
    curl = shutil.which("curl")
    if curl is None:
        pytest.fail("curl is not installed")
    command = line.split("  #", 1)[0].replace("http://127.0.0.1:8000", base)
    script = "\n".join([*assignments, f"{command} -sS -w '\\n%{{http_code}}'"]).replace(
        "E=http://127.0.0.1:8000/sparql", f"E={base}/sparql")
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    body, _, status = done.stdout.rpartition("\n")
    return int(status), body


@pytest.mark.parametrize("line", [line for line in SPARQL_LINES if line.startswith("curl")])
def test_sparql_example(live_server, line: str) -> None:
    assignments = [line for line in SPARQL_LINES if re.match(r"^[A-Z]=", line)]
    status, body = _run(line, assignments, live_server.url)
    assert status == 200 and body.strip()
    if "asserted=true" in line:
        assert "kg:Letter" in " ".join(assignments) and "<result>" in body or '"bindings":[{' in body.replace(" ", "")


@pytest.mark.parametrize("line", [line for line in CANNED_LINES if line.startswith("curl")])
def test_canned_query_example(live_server, line: str) -> None:
    status, body = _run(line, [], live_server.url)
    assert status == 200 and body.strip()
    if "Accept-Language: en" in line:  # labels in English: "phase out", not "afbouwen"
        rows = list(csv.DictReader(io.StringIO(body)))
        assert rows and {row["handelingLabel"] for row in rows} == {"phase out"}
