"""The cache key of a root's inputs: which cache folder holds their build.

Standard library only, so that finding a warm cache (:mod:`kennisgraaf.build.cached`) loads no
build stack; :mod:`kennisgraaf.build.pipeline` writes its builds under the same key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kennisgraaf import __version__
from kennisgraaf.build.inputs import Inputs, find_inputs
from kennisgraaf.config import Settings

CACHE_FORMAT = "3"  # 2: explanations.json beside graphs.nq; 3: sources.json and shapes.nt for the pages


def input_hash(inputs: Inputs, base: str) -> str:
    """Hash every input file (name and bytes), the base IRI and the code version."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}|{__version__}|{base}".encode())
    for path in inputs.all_files():
        digest.update(str(path.relative_to(inputs.root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def cache_folder(settings: Settings) -> Path:
    """The cache folder of the build of the settings' inputs (raises BuildError for unusable input folders)."""
    return settings.cache_path / input_hash(find_inputs(settings.root_path), settings.base_iri)[:24]
