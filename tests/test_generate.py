"""The benchmark generator (benchmarks/generate.py): its working copies pass every shape at any
size, in particular past the 900 source-text file names, where texts used to be shared."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kennisgraaf.cli import main

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

import generate  # noqa: E402

FILE_NAME = re.compile(r"^[0-9]{3}_[0-9a-f]{16}\.txt$")  # shapes/core.ttl, kgsh:SourceText-fileName


def test_a_source_text_holds_one_document_or_a_letter_and_its_call() -> None:
    pairing = generate.Pairing.plan(5000)
    holders = Counter(pairing.source)
    assert max(holders.values()) == 2
    shared = {index for index, count in holders.items() if count == 2}
    for call, letter in pairing.host.items():
        assert generate.KINDS[call % 4] == "Call" and generate.KINDS[letter % 4] == "Letter"
        assert pairing.source[call] == pairing.source[letter] and pairing.source[call] in shared
        assert pairing.attachment[letter] == call
    assert len(shared) == len(pairing.host) == 1250
    assert len(holders) == 3750  # texts: more than the 900 distinct NNN prefixes


def test_source_file_names_stay_distinct_and_well_formed_past_900_texts() -> None:
    numbers = range(generate.FIRST_SOURCE, generate.FIRST_SOURCE + 3750)
    names = [generate.source_file_name(11, number) for number in numbers]
    assert all(FILE_NAME.match(name) for name in names)
    assert len(set(names)) == len(names)
    assert {name[:3] for name in names} == {f"{n:03d}" for n in range(100, 1000)}


@pytest.mark.timeout(120)
def test_generated_copy_with_more_texts_than_file_prefixes_has_no_violations(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Four prefixes instead of 900, so ten documents (eight texts) pass the limit cheaply.
    monkeypatch.setattr(generate, "MAX_SOURCES", 4)
    root = tmp_path / "copy"
    generate.generate(root, 10, seed=3)
    texts = sorted(path.name for path in (root / "data" / "bronnen").glob("1*.txt"))
    assert len(texts) == 8 and len({name[:3] for name in texts}) == 4
    letter = (root / "data" / "documenten" / "gen-00004.ttl").read_text(encoding="utf-8")
    call = (root / "data" / "documenten" / "gen-00007.ttl").read_text(encoding="utf-8")
    assert "kg:hasAttachment <id/document/gen-00007>" in letter
    assert "kg:attachmentOf <id/document/gen-00004>" in call

    result = CliRunner().invoke(main, ["--root", str(root), "--cache-dir", str(tmp_path / "cache"),
                                       "validate", "--format", "json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 0, result.output
    assert report["conforms"] is True and report["violations"] == 0
    assert report["by_kind"]["parse"] == report["by_kind"]["quote"] == report["by_kind"]["term"] == 0
