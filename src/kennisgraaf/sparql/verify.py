"""Competency questions as living tests: each canned query's expected rows, checked on a build.

A query's ``.rq`` header names the questions it answers and, for its example parameters, rows
that must be in the answer (``expected``: variable → IRI or text; a CONSTRUCT query's rows are
triples ``subject``/``predicate``/``object``). :func:`verify` runs every query with its example
on the built dataset and says, per query, how many expected rows are present and which are
missing. The outcome is recorded in the build's cache folder (``verification.json`` beside
``meta.json``), with a digest of the catalogue, so a changed ``.rq`` file is verified again
(docs/queries.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.sparql.catalogue import CannedQuery, Catalogue
from kennisgraaf.sparql.local import open_query, rows
from kennisgraaf.vocab import UriStrategy


def catalogue_digest(catalogue: Catalogue) -> str:
    """A hash of every ``.rq`` file of the catalogue (name and text)."""
    digest = hashlib.sha256()
    for query in catalogue:
        digest.update(query.name.encode() + b"\0" + query.path.read_bytes() + b"\0")
    return digest.hexdigest()


def _expand(value: str, uris: UriStrategy) -> str:
    """An expected value as an absolute IRI (``id/…``, ``kg:…``); text that is no IRI stays as it is."""
    prefix, _, local = value.partition(":")
    if local and prefix in uris.prefixes() and not local.startswith("//"):
        return uris.prefixes()[prefix] + local
    if local and local.startswith("//"):
        return value
    return uris.base + value


def matches(expected: Mapping[str, str], row: Mapping[str, str], uris: UriStrategy) -> bool:
    """Whether ``row`` (plain strings) holds every value of ``expected`` (as given, or as an IRI)."""
    return all(name in row and row[name] in (value, _expand(value, uris)) for name, value in expected.items())


def answer_rows(dataset: BuiltDataset, store: ox.Store, catalogue: Catalogue,
                query: CannedQuery) -> list[dict[str, str]]:
    """The rows of ``query`` with its example parameters (a CONSTRUCT's triples as subject/predicate/object)."""
    result = open_query(dataset, store, catalogue.bind(query, dict(query.example)).text)
    if isinstance(result, ox.QueryTriples):
        return [{"subject": t.subject.value, "predicate": t.predicate.value, "object": t.object.value}
                for t in result]
    if isinstance(result, ox.QueryBoolean):
        return [{"boolean": "true" if bool(result) else "false"}]
    return rows(result)[1]


def check_query(query: CannedQuery, answer: list[dict[str, str]], uris: UriStrategy) -> dict[str, Any]:
    """One query's outcome: expected and present counts, and the expected rows that are missing."""
    missing = [dict(row) for row in query.expected if not any(matches(row, got, uris) for got in answer)]
    return {"expected": len(query.expected), "present": len(query.expected) - len(missing), "missing": missing,
            "example": dict(query.example)}


def verify(dataset: BuiltDataset, catalogue: Catalogue) -> dict[str, Any]:
    """Run every canned query's example on ``dataset``; the outcome per query and overall."""
    store = dataset.open_store()
    queries = {q.name: check_query(q, answer_rows(dataset, store, catalogue, q), catalogue.uris) for q in catalogue}
    return {"catalogue": catalogue_digest(catalogue), "queries": queries,
            "passed": all(not q["missing"] for q in queries.values())}


def ensure_verified(dataset: BuiltDataset, catalogue: Catalogue) -> dict[str, Any]:
    """The verification recorded for this build; run and recorded first if absent or stale."""
    recorded = dataset.verification()
    if isinstance(recorded, dict) and recorded.get("catalogue") == catalogue_digest(catalogue):
        return recorded
    outcome = verify(dataset, catalogue)
    dataset.record_verification(outcome)
    return outcome
