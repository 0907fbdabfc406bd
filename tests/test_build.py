"""The build pipeline and its handling of bad input: file and line, no cache, last good cache kept."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kennisgraaf.build.export import export
from kennisgraaf.build.pipeline import find_inputs, input_hash, load_or_build
from kennisgraaf.cli import main

DOCUMENT = "data/documenten/drenthe-2010-pns.ttl"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_build_has_one_graph_per_document_file_plus_reference_ontology_and_inferred(built):
    names = set(built.graph_names)
    assert {"ontology", "reference", "inferred", "quote-locations"} <= names
    assert set(built.meta["documents"]) <= names
    assert "drenthe-2010-pns" in names
    assert all(count > 0 for name, count in built.meta["triples"].items())


def test_second_load_uses_the_cache(settings, built):
    again = load_or_build(settings, progress=None)
    assert again.path == built.path


def test_broken_turtle_stops_with_file_line_and_keeps_the_last_good_cache(working_copy, settings, built):
    # The working copy has the same inputs as the bundled data, so the session's build is its last good cache.
    cache = Path(settings.cache_dir)
    assert run("--root", str(working_copy), "--cache-dir", str(cache), "build").exit_code == 0
    good = sorted(p.name for p in cache.iterdir())
    path = working_copy / DOCUMENT
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.append("<id/x> kg:label \"unterminated .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("--root", str(working_copy), "--cache-dir", str(cache), "build")
    assert result.exit_code == 2
    assert f"drenthe-2010-pns.ttl:{len(lines)}:" in result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in cache.iterdir()) == good
    assert load_or_build(settings, progress=None).path == built.path


def test_unknown_prefix_is_reported_with_file_and_line(working_copy, tmp_path):
    path = working_copy / DOCUMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\nnope:a nope:b nope:c .\n", encoding="utf-8")
    result = run("--root", str(working_copy), "--cache-dir", str(tmp_path / "c"), "validate")
    assert result.exit_code == 2
    line = text.count("\n") + 2
    assert f"drenthe-2010-pns.ttl:{line}: " in result.output
    assert "nope:" in result.output


def test_made_up_quote_fails_the_build_naming_document_and_quote(working_copy, tmp_path):
    path = working_copy / DOCUMENT
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n<https://w3id.org/kennisgraaf/id/document/drenthe-2010-pns> '
        + '<https://w3id.org/kennisgraaf/def#quote> "Drenthe schaft alle sociale taken per direct af."@nl .\n',
        encoding="utf-8",
    )
    result = run("--root", str(working_copy), "--cache-dir", str(tmp_path / "c"), "build")
    assert result.exit_code == 1
    assert "id/document/drenthe-2010-pns" in result.output
    assert "Drenthe schaft alle sociale taken" in result.output
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").iterdir())


def test_missing_source_text_gets_a_clear_message(working_copy, tmp_path):
    (working_copy / "data" / "bronnen" / "001_51a662fe140cf0d6.txt").unlink()
    result = run("--root", str(working_copy), "--cache-dir", str(tmp_path / "c"), "validate")
    assert result.exit_code != 0
    assert "001_51a662fe140cf0d6.txt" in result.output
    assert "missing" in result.output
    assert "Traceback" not in result.output


def test_root_without_data_folders_is_unusable_input(tmp_path):
    result = run("--root", str(tmp_path), "validate")
    assert result.exit_code == 2
    assert "no ontology/ folder" in result.output


def test_input_hash_changes_with_any_input(working_copy):
    before = input_hash(find_inputs(working_copy), "https://w3id.org/kennisgraaf/")
    (working_copy / "data" / "bronnen" / "001_51a662fe140cf0d6.txt").write_bytes(b"changed")
    assert input_hash(find_inputs(working_copy), "https://w3id.org/kennisgraaf/") != before


def test_trig_export_parses_back_isomorphic_to_the_dataset(built):
    exported = Dataset()
    exported.parse(data=export(built, "trig"), format="trig")
    original = Dataset()
    original.parse(str(built.quads_file), format="nquads")
    assert {str(g.identifier) for g in exported.graphs() if len(g)} == {
        str(g.identifier) for g in original.graphs() if len(g)}
    for graph in original.graphs():
        if len(graph):
            assert isomorphic(graph, exported.graph(graph.identifier))


def test_turtle_export_is_the_asserted_union_and_inferred_adds_the_closure(built):
    def count(data: bytes) -> int:
        return sum(1 for _ in ox.parse(data, format=ox.RdfFormat.TURTLE))

    inferred = built.meta["triples"]["inferred"]
    plain, full = count(export(built, "ttl")), count(export(built, "ttl", inferred=True))
    assert plain < full <= plain + inferred


def test_export_twice_in_fresh_processes_gives_identical_bytes(tmp_path, settings, built):
    # One process exports the session's build, the other builds afresh with another hash seed.
    outputs = []
    for seed, cache in (("1", settings.cache_dir), ("2", str(tmp_path / "fresh"))):
        env = {**os.environ, "PYTHONHASHSEED": seed, "KENNISGRAAF_CACHE_DIR": cache}
        out = tmp_path / f"export-{seed}.trig"
        subprocess.run([sys.executable, "-m", "kennisgraaf", "export", "--format", "trig", "-o", str(out)],
                       check=True, env=env, capture_output=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10_000


def test_validate_finds_nothing_at_all_in_the_bundled_data():
    # Stricter than the build, which passes with warnings and does not look for undeclared terms.
    result = run("validate", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["violations"], report["warnings"], report["infos"], report["findings"]) == (0, 0, 0, [])


def test_stats_lists_triples_per_graph_and_instances_per_class(settings):
    result = run("--cache-dir", settings.cache_dir, "stats")
    assert result.exit_code == 0
    assert "graph/drenthe-2010-pns" in result.output
    assert "def#TaskChange" in result.output


def test_query_command_formats(settings):
    query = "SELECT ?t WHERE { <id/document/drenthe-2010-pns> kg:printedDate ?t }"
    result = run("--cache-dir", settings.cache_dir, "query", "--format", "csv", query)
    assert result.output.splitlines() == ["t", "2010-01-14"]
    bad = run("--cache-dir", settings.cache_dir, "query", "SELECT ?x WHERE { ?x }")
    assert bad.exit_code == 2
    assert "Error:" in bad.output


def test_repo_has_no_untracked_cache(built):
    assert not Path(built.path).is_relative_to(Path(__file__).resolve().parent.parent)


def test_validate_a_maintainers_own_file_reports_its_violation_with_file_and_line(tmp_path):
    own = tmp_path / "mijn-feiten.ttl"
    own.write_text(
        "@prefix kg: <https://w3id.org/kennisgraaf/def#> .\n"
        "@base <https://w3id.org/kennisgraaf/> .\n\n"
        "<id/cijfer/zonder-eenheid> a kg:Figure ;\n"
        "    kg:value 12 .\n",
        encoding="utf-8",
    )
    result = run("validate", str(own))
    assert result.exit_code == 1
    assert "id/cijfer/zonder-eenheid" in result.output
    assert f"{own}:4" in result.output
    as_json = run("validate", "--format", "json", str(own))
    assert as_json.exit_code == 1
    assert json.loads(as_json.output)
    as_turtle = run("validate", "--format", "turtle", str(own))
    report = Graph().parse(data=as_turtle.output, format="turtle")
    assert (None, URIRef("http://www.w3.org/ns/shacl#conforms"), Literal(False)) in report


def test_validate_a_file_that_does_not_exist_is_unusable_input(tmp_path):
    result = run("validate", str(tmp_path / "nope.ttl"))
    assert result.exit_code == 2
    assert "nope.ttl" in result.output


EXTRA_LETTER = "\n<id/document/zonder-afzender> a kg:Letter .\n"  # no sender, date, source text, …


@pytest.mark.parametrize("processes", ["1", "2"])  # SHACL one after the other, or in a process beside
def test_a_shape_violation_fails_the_build_with_a_readable_report_even_after_a_clean_validate(working_copy,
                                                                                            tmp_path, processes):
    cache = tmp_path / "c"
    assert run("--root", str(working_copy), "--cache-dir", str(cache), "validate").exit_code == 0
    path = working_copy / DOCUMENT
    text = path.read_text(encoding="utf-8")
    path.write_text(text + EXTRA_LETTER, encoding="utf-8")
    line = text.count("\n") + 2
    result = run("--root", str(working_copy), "--cache-dir", str(cache), "build", "--build-processes", processes)
    assert result.exit_code == 1, result.output
    assert "the data violates the shapes" in result.output
    # The readable report: the file and line of the focus node, the shape and its messages in both languages.
    assert f"https://w3id.org/kennisgraaf/id/document/zonder-afzender  ({path}:{line})" in result.output
    assert "Violation: https://w3id.org/kennisgraaf/def/shapes#Document-sender" in result.output
    assert "nl: Een document heeft ten minste één afzender" in result.output
    assert "Traceback" not in result.output
    assert not [p for p in cache.iterdir() if p.name != "checks"]  # no dataset cache written


def test_build_takes_the_shacl_report_of_a_validate_of_the_same_files_and_force_runs_it_again(working_copy,
                                                                                              tmp_path):
    cache = tmp_path / "c"
    assert run("--root", str(working_copy), "--cache-dir", str(cache), "validate").exit_code == 0
    reused = run("--root", str(working_copy), "--cache-dir", str(cache), "build")
    assert reused.exit_code == 0, reused.output
    assert "SHACL report of these files from the check cache" in reused.output
    forced = run("--root", str(working_copy), "--cache-dir", str(cache), "build", "--force")
    assert forced.exit_code == 0, forced.output
    assert "validated: 0 violations" in forced.output
    assert "from the check cache" not in forced.output


def test_one_build_process_or_two_give_the_same_bytes(working_copy, tmp_path):
    folders = {}
    for processes in ("1", "2"):
        cache = tmp_path / processes
        result = run("--root", str(working_copy), "--cache-dir", str(cache), "build", "--build-processes", processes)
        assert result.exit_code == 0, result.output
        (folders[processes],) = [p for p in cache.iterdir() if p.name not in ("checks", "last-build")]
    for name in ("graphs.nq", "explanations.json", "shapes.nt", "sources.json"):
        assert (folders["1"] / name).read_bytes() == (folders["2"] / name).read_bytes(), name
    one, two = (json.loads((folders[p] / "meta.json").read_text(encoding="utf-8")) for p in ("1", "2"))
    assert {k: v for k, v in one.items() if k != "built"} == {k: v for k, v in two.items() if k != "built"}
