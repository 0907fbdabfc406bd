"""Serving reads the built dataset's cache folder only, never the source tree it was built from.

The pages show the source texts with the quotes the build located in them, and the shapes the
build validated with; once built, a maintainer may edit, move or delete the working copy while
the server runs, and the pages stay those of the build.
"""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from bs4 import BeautifulSoup
from serving import start_server, stop_server

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.build.sources import read_source
from kennisgraaf.config import Settings

SOURCE = "001_51a662fe140cf0d6.txt"  # the source text of drenthe-2010-pns
PAGE = "/doc/document/drenthe-2010-pns"


class _SourceBox(HTMLParser):
    """The source text as a page shows it: the text inside ``div#source-text`` without the quote numbers.

    (html.parser, not BeautifulSoup: BeautifulSoup drops a blank that stands alone between two tags.)
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.marks: set[str] = set()
        self._depth = self._numbers = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._depth:
            self._depth += 1
            self._numbers += tag == "sup"
            if tag == "mark":
                self.marks.add(dict(attrs).get("id") or "")
        elif tag == "div" and ("id", "source-text") in attrs:
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self._depth:
            self._depth -= 1
            self._numbers -= tag == "sup"

    def handle_data(self, data: str) -> None:
        if self._depth and not self._numbers:
            self.parts.append(data)


def test_the_cache_holds_every_source_text_byte_for_byte_and_the_shapes(built: BuiltDataset, working_copy: Path):
    sources = sorted((working_copy / "data" / "bronnen").glob("*.txt"))
    assert built.source_texts == {path.name: read_source(path) for path in sources}
    assert b"http://www.w3.org/ns/shacl#targetClass" in built.shapes_file.read_bytes()


def test_pages_show_the_built_texts_and_shapes_after_the_working_copy_changed_and_went(
        settings: Settings, built: BuiltDataset, working_copy: Path, tmp_path: Path):
    original = read_source(working_copy / "data" / "bronnen" / SOURCE)
    # A copy of the bundled data has the same inputs, so the server takes the session's build from the cache.
    server = start_server(Settings(root=str(working_copy), cache_dir=str(settings.cache_path)))
    try:
        assert "building" not in "".join(server.output)
        (working_copy / "data" / "bronnen" / SOURCE).write_text("Vervalst na de build.\n", encoding="utf-8")
        shutil.rmtree(working_copy / "shapes")
        moved = working_copy.rename(tmp_path / "elders")
        shutil.rmtree(moved)

        page = server.session.get(server(PAGE), headers={"Accept": "text/html"}, timeout=60)
        assert page.status_code == 200
        box = _SourceBox()
        box.feed(page.text)
        assert "".join(box.parts) == original
        assert len(box.marks - {""}) > 20  # the quotes are highlighted: located in this very text
        ontology = server.session.get(server("/def"), headers={"Accept": "text/html"}, timeout=60)
        assert ontology.status_code == 200
        section = BeautifulSoup(ontology.text, "html.parser").find("section", id="Document")
        assert section is not None and section.find(id="shape-Document") is not None
    finally:
        stop_server(server)
