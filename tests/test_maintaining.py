"""The maintainer's loop: finding quotes, adding a document, build-or-reuse, and the whole way from a
new source text to a served document (new-document → quote → validate --watch → build → serve)."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from serving import start_server, stop_process, stop_server

from kennisgraaf.build.newdoc import document_kinds
from kennisgraaf.build.pipeline import rebuild_reason
from kennisgraaf.build.quotes import marked_differences, nearest_passages, sentence_around, turtle_literal
from kennisgraaf.build.rdfio import read_turtle
from kennisgraaf.build.sources import locate
from kennisgraaf.cli import main
from kennisgraaf.config import Settings, bundled_root
from kennisgraaf.vocab import KG

# A small letter as a PDF extraction gives it: lines broken mid-sentence, two words broken with a
# hyphen at the line end (ge-/meenten, kennisinfrastruc-/tuur).
LETTER = """Gedeputeerde Staten van Flevoland
Lelystad, 3 maart 2011

Aan Provinciale Staten van Flevoland

Onderwerp: sociaal beleid na 2012

Geachte leden van uw Staten,

Het college stelt voor de subsidie voor breedtesport af te bouwen
en de taken op het gebied van jeugdzorg over te dragen aan de ge-
meenten. De provincie blijft wel regisseur van de kennisinfrastruc-
tuur in het sociale domein.

Ongeveer 40 procent van het budget gaat nu naar welzijn.

Hoogachtend,
Gedeputeerde Staten van Flevoland
"""
SLUG = "flevoland-2011-sociaal-beleid"
DOC = f"https://w3id.org/kennisgraaf/id/document/{SLUG}"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# -- finding a passage --------------------------------------------------------------------------


def test_the_nearest_passage_crosses_line_breaks_and_joins_broken_words():
    [passage] = nearest_passages("over dragen aan de gemeenten de provincie blijft", LETTER)
    assert passage.text == "over te dragen aan de gemeenten. De provincie blijft"
    assert passage.line == 11
    assert LETTER[passage.start:passage.end] == "over te dragen aan de ge-\nmeenten. De provincie blijft"
    assert [(w.start, w.end) for w in locate(passage.text, LETTER)] == [(passage.start, passage.end)]


def test_a_quote_with_a_typo_finds_its_passage_with_the_difference_marked():
    quote = "De provincie blijft regisseur van de kennis infrastructuur"
    [passage] = nearest_passages(quote, LETTER)
    assert passage.text == "De provincie blijft wel regisseur van de kennisinfrastructuur"
    assert passage.line == 12
    assert marked_differences(quote, passage.text) == (
        "De provincie blijft {+wel+} regisseur van de [-kennis infrastructuur-] {+kennisinfrastructuur+}")


def test_several_passages_do_not_overlap_and_come_best_first():
    passages = nearest_passages("Gedeputeerde Staten van Flevoland", LETTER, limit=2)
    assert [p.line for p in passages] == [1, 18]
    assert passages[0].score >= passages[1].score
    assert nearest_passages("   ", LETTER) == []


def test_a_passage_widens_to_its_sentence_across_broken_lines():
    [passage] = nearest_passages("jeugdzorg overdragen", LETTER)
    sentence = sentence_around(passage, LETTER)
    assert sentence.text == ("Het college stelt voor de subsidie voor breedtesport af te bouwen en de taken op het "
                             "gebied van jeugdzorg over te dragen aan de gemeenten.")
    assert sentence.line == 10
    assert [(w.start, w.end) for w in locate(sentence.text, LETTER)] == [(sentence.start, sentence.end)]
    [heading] = nearest_passages("Onderwerp sociaal beleid", LETTER)
    assert sentence_around(heading, LETTER).text == "Onderwerp: sociaal beleid na 2012"  # a blank line ends it


def test_a_turtle_literal_parses_back_to_the_same_text():
    text = 'Hij zei "nee" en schreef C:\\map’s'
    literal = turtle_literal(text)
    graph = Graph().parse(data=f"<urn:a> <urn:b> {literal} .", format="turtle")
    assert graph.value(URIRef("urn:a"), URIRef("urn:b")) == Literal(text, lang="nl")


def test_quote_command_prints_a_literal_the_build_finds_with_its_line():
    source = bundled_root() / "data" / "bronnen" / "004_b7e651edca1d64fc.txt"
    result = run("quote", "004", "kracht en macht gemeenten")
    assert result.exit_code == 0, result.output
    literal = result.stdout.splitlines()[0]
    assert literal == '"kracht en macht ligt bij de gemeenten"@nl'
    assert f"{source}:1 " in result.output
    assert locate("kracht en macht ligt bij de gemeenten", source.read_text(encoding="utf-8"))
    missing = run("quote", "999", "iets")
    assert missing.exit_code == 2
    assert "999: no such file" in missing.output


# -- build or reuse -----------------------------------------------------------------------------


def test_the_rebuild_reason_names_what_changed():
    before = {"inputs": {"a.ttl": "1", "b.ttl": "2", "c.txt": "3"}, "base": "https://x/", "version": "0.1.0"}
    assert rebuild_reason(None, {}, "https://x/") == "no earlier build of this working copy in the cache"
    now = {"a.ttl": "1", "b.ttl": "changed", "d.ttl": "4"}
    assert rebuild_reason(before, now, "https://x/") == "changed: b.ttl; added: d.ttl; removed: c.txt"
    assert rebuild_reason(before, dict(before["inputs"]), "https://y/") == "base IRI https://x/ → https://y/"


# -- new-document -------------------------------------------------------------------------------


def test_document_kinds_come_from_the_ontology():
    ontology = read_turtle(bundled_root() / "ontology" / "kennisgraaf.ttl")
    kinds = document_kinds(ontology)
    assert kinds["brief"] == kinds["letter"] == "Letter"
    assert kinds["position-paper"] == kinds["positionpaper"] == "PositionPaper"
    assert kinds["oproep"] == "Call" and kinds["notitie"] == "Memo"


@pytest.mark.parametrize("args, message", [
    (["--slug", "Flevoland 2011", "--kind", "brief"], "--slug 'Flevoland 2011': use lower-case"),
    (["--slug", SLUG, "--kind", "roman"], "--kind 'roman': one of"),
])
def test_new_document_refuses_a_bad_slug_or_kind_and_writes_nothing(working_copy, tmp_path, args, message):
    source = tmp_path / "brief.txt"
    source.write_text(LETTER, encoding="utf-8")
    before = sorted(p.name for p in (working_copy / "data").rglob("*"))
    result = run("new-document", str(source), "--root", str(working_copy), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert sorted(p.name for p in (working_copy / "data").rglob("*")) == before


def test_new_document_refuses_a_text_already_in_the_working_copy_or_not_utf8(working_copy, tmp_path):
    known = bundled_root() / "data" / "bronnen" / "001_51a662fe140cf0d6.txt"
    again = run("new-document", str(known), "--root", str(working_copy), "--slug", "x", "--kind", "brief")
    assert again.exit_code == 2
    assert "already in the working copy as" in again.output
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Geachte heer, één brief".encode("latin-1"))
    bad = run("new-document", str(latin), "--root", str(working_copy), "--slug", "x", "--kind", "brief")
    assert bad.exit_code == 2
    assert "not UTF-8 text" in bad.output


def test_new_document_needs_a_working_copy(tmp_path):
    source = tmp_path / "brief.txt"
    source.write_text(LETTER, encoding="utf-8")
    result = run("new-document", str(source), "--slug", SLUG, "--kind", "brief")
    assert result.exit_code == 2
    assert "--root" in result.output


# -- the whole way: a new source text to a served document --------------------------------------


class _Watch:
    """A running ``kennisgraaf validate --watch`` and its output lines."""

    def __init__(self, root: Path, cache: Path) -> None:
        command = [sys.executable, "-m", "kennisgraaf", "validate", "--watch", "--root", str(root),
                   "--cache-dir", str(cache)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def next_run(self, timeout: float = 240) -> tuple[int, str]:
        """The exit status and output of the next validation the watcher runs."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.process.poll() is None, "".join(seen)
                continue
            seen.append(line)
            if line.startswith("watch: exit status "):
                return int(line.split()[3].rstrip(";")), "".join(seen)
        raise AssertionError("no validation within the timeout:\n" + "".join(seen))

    def stop(self) -> None:
        stop_process(self.process)
        if self.process.stdout is not None:
            self.process.stdout.close()


def _claims(literals: dict[str, str]) -> str:
    return f"""
<id/taakwijziging/{SLUG}-breedtesport-afbouwen> a kg:TaskChange ;
    rdfs:label "Flevoland bouwt de subsidie voor breedtesport af"@nl ;
    kg:actor <id/provincie/flevoland> ;
    kg:task <id/taak/breedtesport> ;
    kg:action <id/handeling/afbouwen> ;
    kg:statedIn <id/document/{SLUG}> ;
    kg:quote {literals["afbouwen"]} .

<id/taakwijziging/{SLUG}-jeugdzorg-overdragen> a kg:TaskChange ;
    rdfs:label "Flevoland draagt jeugdzorgtaken over aan de gemeenten"@nl ;
    kg:actor <id/provincie/flevoland> ;
    kg:task <id/taak/jeugdzorg> ;
    kg:action <id/handeling/overdragen> ;
    kg:recipient <id/overheid/gemeenten> ;
    kg:statedIn <id/document/{SLUG}> ;
    kg:quote {literals["overdragen"]} .

<id/rolvoorstel/{SLUG}-regisseur> a kg:RoleProposal ;
    rdfs:label "De provincie Flevoland blijft regisseur van de kennisinfrastructuur"@nl ;
    kg:proposedBy <id/provincie/flevoland> ;
    kg:roleFor <id/provincie/flevoland> ;
    kg:roleType <id/rol/regisseur> ;
    kg:roleLabel "regisseur van de kennisinfrastructuur in het sociale domein"@nl ;
    kg:statedIn <id/document/{SLUG}> ;
    kg:quote {literals["regisseur"]} .

<id/cijfer/{SLUG}-40-procent-welzijn> a kg:Figure ;
    rdfs:label "Ongeveer 40 procent van het budget gaat naar welzijn"@nl ;
    kg:value "40"^^xsd:decimal ;
    kg:valueAsWritten "40 procent" ;
    kg:unit <id/eenheid/procent> ;
    kg:measures "Aandeel van het budget dat naar welzijn gaat"@nl ;
    kg:statedIn <id/document/{SLUG}> ;
    kg:quote {literals["cijfer"]} .
"""


def test_a_new_document_from_source_text_to_served_pages(working_copy, tmp_path):
    root, cache = str(working_copy), str(tmp_path / "cache")
    source = tmp_path / "flevoland-brief.txt"
    source.write_bytes(LETTER.encode("utf-8"))

    # 1. new-document: a byte-identical copy, registered, and a skeleton that parses.
    added = run("new-document", str(source), "--slug", SLUG, "--kind", "brief", "--title", "Sociaal beleid na 2012",
                "--root", root)
    assert added.exit_code == 0, added.output
    [copy] = [p for p in (working_copy / "data" / "bronnen").glob("005_*.txt")]
    assert copy.read_bytes() == source.read_bytes()
    registry = read_turtle(working_copy / "data" / "reference" / "bronnen.ttl")
    source_iri = URIRef("https://w3id.org/kennisgraaf/id/bron/005")
    assert (source_iri, RDF.type, KG.SourceText) in registry
    assert registry.value(source_iri, KG.fileName) == Literal(copy.name)
    data_file = working_copy / "data" / "documenten" / f"{SLUG}.ttl"
    skeleton = read_turtle(data_file)
    assert (URIRef(DOC), RDF.type, KG.Letter) in skeleton
    assert skeleton.value(URIRef(DOC), KG.sourceText) == source_iri
    for pattern in ("kg:TaskChange", "kg:RoleProposal", "kg:Position", "kg:Figure", "kg:LawMention",
                    "kg:Participation"):
        assert pattern in data_file.read_text(encoding="utf-8")

    # 2. validate --watch: the skeleton lacks sender, addressee and date, said at the document's line.
    watch = _Watch(working_copy, tmp_path / "cache")
    try:
        status, output = watch.next_run()
        assert status == 1, output
        document_line = next(n for n, line in enumerate(data_file.read_text(encoding="utf-8").splitlines(), 1)
                             if line.startswith(f"<id/document/{SLUG}>"))
        assert f"{data_file}:{document_line})" in output
        for shape in ("Document-sender", "Document-addressee", "DocumentDate"):
            assert f"shapes#{shape}" in output

        # 3. quote: the exact literal for each claim, from a few words (across the broken lines).
        literals = {}
        for name, words in (("afbouwen", "subsidie breedtesport afbouwen"),
                            ("overdragen", "de taken op het gebied van jeugdzorg overdragen aan de gemeenten"),
                            ("regisseur", "provincie blijft regisseur van de kennisinfrastructuur"),
                            ("cijfer", "40 procent van het budget naar welzijn")):
            found = run("quote", str(copy), words, "--root", root)
            assert found.exit_code == 0, found.output
            literals[name] = found.stdout.splitlines()[0]
        assert literals["overdragen"] == '"de taken op het gebied van jeugdzorg over te dragen aan de gemeenten."@nl'

        # 4. Fill in the metadata and the claims; the watcher validates again on save.
        text = data_file.read_text(encoding="utf-8").replace(
            '    dcterms:language "nl" ;\n',
            '    dcterms:language "nl" ;\n    kg:sender <id/provincie/flevoland> ;\n'
            '    kg:addressee <id/provincie/flevoland> ;\n    kg:printedDate "2011-03-03"^^xsd:date ;\n', 1)
        data_file.write_text(text + _claims(literals), encoding="utf-8")
        status, output = watch.next_run()
        assert status == 0, output
    finally:
        watch.stop()

    # 5. validate again: answered from the check cache.
    again = run("validate", "--root", root, "--cache-dir", cache)
    assert again.exit_code == 0, again.output
    assert "answered from the check cache" in again.output

    # 6. build: built (and why), built again after an edit naming the file, then reused.
    first = run("build", "--root", root, "--cache-dir", cache)
    assert first.exit_code == 0, first.output
    assert "built " in first.stdout and "no earlier build of this working copy" in first.stdout
    data_file.write_text(data_file.read_text(encoding="utf-8") + "\n# checked against the letter\n",
                         encoding="utf-8")
    second = run("build", "--root", root, "--cache-dir", cache)
    assert second.exit_code == 0, second.output
    assert f"changed: data/documenten/{SLUG}.ttl)" in second.stdout
    third = run("build", "--root", root, "--cache-dir", cache)
    assert third.stdout.startswith("reused the cached build of "), third.output

    # 7. serve: the new document's claims answer SPARQL, and its page shows the source with the quotes.
    server = start_server(Settings(root=root, cache_dir=cache))
    try:
        query = f"SELECT ?change ?task WHERE {{ ?change a kg:TaskChange ; kg:statedIn <{DOC}> ; kg:task ?task }}"
        answer = requests.get(server("/sparql"), params={"query": query},
                              headers={"Accept": "application/sparql-results+json"}, timeout=60)
        assert answer.status_code == 200, answer.text
        tasks = {b["task"]["value"] for b in answer.json()["results"]["bindings"]}
        assert tasks == {"https://w3id.org/kennisgraaf/id/taak/breedtesport",
                         "https://w3id.org/kennisgraaf/id/taak/jeugdzorg"}
        page = requests.get(server(f"/doc/document/{SLUG}"), headers={"Accept": "text/html"}, timeout=60)
        assert page.status_code == 200
        assert "Sociaal beleid na 2012" in page.text
        assert 'id="q-' in page.text  # quoted passages are highlighted in the source text
    finally:
        stop_server(server)
