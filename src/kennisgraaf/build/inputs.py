"""The input files of a root folder (the bundled data or a maintainer's working copy), by role."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report module loads rdflib; opening a warm cache needs BuildError, not it
    from kennisgraaf.build.report import Report


class BuildError(Exception):
    """The build cannot go on; ``exit_code`` 2 for unusable input, 1 for invalid content."""

    def __init__(self, message: str, exit_code: int = 2, report: Report | None = None) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.report = report


@dataclass
class Inputs:
    """The files of one root folder, by role."""

    root: Path
    ontology: list[Path]
    reference: list[Path]
    documents: list[Path]
    shapes: list[Path]
    sources: list[Path]

    def all_files(self) -> Iterator[Path]:
        yield from (*self.ontology, *self.reference, *self.documents, *self.shapes, *self.sources)

    def name(self, path: Path) -> str:
        """The path relative to the root (as manifests and reports name it), or the path itself."""
        try:
            return str(path.relative_to(self.root))
        except ValueError:
            return str(path)


def find_inputs(root: Path) -> Inputs:
    """List the input files under ``root``; raise BuildError when a required folder is missing."""
    folders = {"ontology": root / "ontology", "data": root / "data", "shapes": root / "shapes"}
    for name, folder in folders.items():
        if not folder.is_dir():
            raise BuildError(f"{root}: no {name}/ folder (expected ontology/, data/ and shapes/)")
    inputs = Inputs(
        root=root,
        ontology=sorted((root / "ontology").glob("*.ttl")),
        reference=sorted((root / "data" / "reference").glob("*.ttl")),
        documents=sorted((root / "data" / "documenten").glob("*.ttl")),
        shapes=sorted((root / "shapes").glob("*.ttl")),
        sources=sorted((root / "data" / "bronnen").glob("*.txt")),
    )
    if not inputs.ontology:
        raise BuildError(f"{root / 'ontology'}: no .ttl files")
    return inputs


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
