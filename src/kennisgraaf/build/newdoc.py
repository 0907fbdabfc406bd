"""Adding a document to a working copy: copy its source text, register it, write a data-file skeleton.

The source text is copied byte for byte into ``data/bronnen/NNN_<hash>.txt`` (the next free
number; the first 16 hex digits of the SHA-256 of its bytes), registered as ``<id/bron/NNN>`` in
``data/reference/bronnen.ttl`` (appended, as the five sources are), and a skeleton
``data/documenten/<slug>.ttl`` gets the document node and a commented block for each pattern of
docs/modelling.md. The templates are ``templates/maintain/*.ttl.j2``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS

from kennisgraaf.build.inputs import BuildError, find_inputs
from kennisgraaf.build.quotes import turtle_literal
from kennisgraaf.build.rdfio import TurtleError, read_turtle
from kennisgraaf.build.sources import locate, normalise
from kennisgraaf.vocab import KG

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBERED = re.compile(r"^(\d{3})_[0-9a-f]+\.txt$")


@dataclass(frozen=True)
class NewDocument:
    """What ``new-document`` wrote."""

    source: Path  # the copy in data/bronnen
    source_iri: str  # relative: id/bron/NNN
    data_file: Path
    document_iri: str  # relative: id/document/<slug>


def document_kinds(ontology: Graph) -> dict[str, str]:
    """Names a maintainer may give for ``--kind`` (class name and labels, lower case) → kg: class name."""
    kinds: dict[str, str] = {}
    for cls in ontology.subjects(RDFS.subClassOf, KG.Document):
        if not isinstance(cls, URIRef) or not str(cls).startswith(str(KG)):
            continue
        local = str(cls).removeprefix(str(KG))
        kinds[local.lower()] = local
        kinds[re.sub(r"(?<!^)([A-Z])", r"-\1", local).lower()] = local  # PositionPaper → position-paper
        for label in ontology.objects(cls, RDFS.label):
            kinds[str(label).lower().replace(" ", "-")] = local
    return kinds


def _render(name: str, **values: object) -> str:
    import jinja2  # only new-document needs it; every other command starts without it

    text = resources.files("kennisgraaf").joinpath("templates", "maintain", name).read_text(encoding="utf-8")
    return jinja2.Template(text, keep_trailing_newline=True, autoescape=False).render(**values)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return normalise(line)
    raise BuildError("the source text is empty", 2)


def new_document(root: Path, source: Path, slug: str, kind: str, title: str | None = None) -> NewDocument:
    """Add ``source`` to the working copy ``root`` as document ``slug`` of ``kind``; raise BuildError when
    the slug, kind or text is unusable or already taken (nothing is written then)."""
    inputs = find_inputs(root)
    if not _SLUG.match(slug):
        raise BuildError(f"--slug {slug!r}: use lower-case letters, digits and hyphens (e.g. drenthe-2012-brief)", 2)
    data_file = root / "data" / "documenten" / f"{slug}.ttl"
    if data_file.exists():
        raise BuildError(f"{data_file} exists already: choose another --slug", 2)
    ontology = Graph()
    for path in inputs.ontology:
        try:
            ontology += read_turtle(path)
        except TurtleError as exc:
            raise BuildError(str(exc), 2) from None
    kinds = document_kinds(ontology)
    chosen = kinds.get(kind.lower().replace(" ", "-"))
    if chosen is None:
        raise BuildError(f"--kind {kind!r}: one of {', '.join(sorted(kinds))}", 2)
    try:
        data = source.read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise BuildError(f"{source}: cannot read: {exc.strerror}", 2) from None
    except UnicodeDecodeError as exc:
        raise BuildError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start}); convert it first", 2) from None

    bronnen = root / "data" / "bronnen"
    digest = hashlib.sha256(data).hexdigest()
    for existing in inputs.sources:
        if existing.read_bytes() == data:
            raise BuildError(f"{source} is already in the working copy as {existing}", 2)
    numbers = [int(m.group(1)) for p in inputs.sources if (m := _NUMBERED.match(p.name))]
    number = f"{max(numbers, default=-1) + 1:03d}"
    file_name = f"{number}_{digest[:16]}.txt"
    registry = root / "data" / "reference" / "bronnen.ttl"
    if not registry.is_file():
        raise BuildError(f"{registry}: missing (it registers the source texts)", 2)

    first = _first_line(text)
    locate(first, text)  # the skeleton's one quote is found by the build
    title_text = normalise(title) if title else first
    bronnen.mkdir(parents=True, exist_ok=True)
    copy = bronnen / file_name
    copy.write_bytes(data)
    with registry.open("a", encoding="utf-8") as out:
        out.write(_render("source.ttl.j2", number=number, file_name=file_name,
                          label_nl=turtle_literal(f"brontekst {number}: {title_text}", "nl"),
                          label_en=turtle_literal(f"source text {number}: {title_text}", "en")))
    data_file.parent.mkdir(parents=True, exist_ok=True)
    data_file.write_text(_render("document.ttl.j2", slug=slug, kind=chosen, number=number, file_name=file_name,
                                 title=turtle_literal(title_text, "nl"), title_comment=f"'{title_text}'",
                                 first_line=turtle_literal(first, "nl")), encoding="utf-8")
    return NewDocument(copy, f"id/bron/{number}", data_file, f"id/document/{slug}")
