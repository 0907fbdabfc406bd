"""/health tells what is served: the dataset's version and checksum, and the triples the store actually loaded."""

from __future__ import annotations

import hashlib


def test_health_reports_the_dataset_version_and_the_triples_actually_loaded(http, built):
    body = http.get("/health").json()
    assert body["ok"] is True
    dataset = body["dataset"]
    assert dataset["key"] == built.key
    assert dataset["sha256"] == hashlib.sha256(built.quads_file.read_bytes()).hexdigest()
    lines = len(built.quads_file.read_text(encoding="utf-8").splitlines())
    assert dataset["loaded"] == dataset["quads"] == lines
