"""The site's own SPARQL queries (``*.rq`` beside this file): pages, VoID, counts, health."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def read_query(name: str) -> str:
    """Text of one of the site's queries, e.g. ``read_query("page-labels.rq")``."""
    return files(__name__).joinpath(name).read_text(encoding="utf-8")
