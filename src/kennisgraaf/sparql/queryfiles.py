"""Reading canned queries from ``.rq`` files: the ``#+`` YAML header, checked strictly.

Every problem raises :class:`~kennisgraaf.sparql.catalogue.CatalogueError` with the file (and, for YAML
errors, the line): a header that does not parse, an unknown key, a parameter that the query does
not use, a default or example that does not fit its type, a query that does not parse.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from kennisgraaf.sparql.catalogue import (
    HEADER,
    LEXICAL,
    RESERVED,
    TYPES,
    CannedQuery,
    Catalogue,
    CatalogueError,
    Parameter,
    ParameterError,
    bind_query,
)
from kennisgraaf.sparql.lexer import SCHEME, outer_where_group, variables
from kennisgraaf.vocab import UriStrategy

_TOP_KEYS = {"title", "description", "tags", "parameters", "example", "evidence", "inference", "questions",
             "expected", "columns"}
_QUESTION_KEYS = {"nl", "en", "id"}
_GRAPH_VARIABLES = ("subject", "predicate", "object")  # expected rows of a CONSTRUCT query are triples
_PARAM_KEYS = {"type", "class", "datatype", "values", "default", "optional", "label", "description"}


def load_catalogue(uris: UriStrategy, folder: Path | None = None) -> Catalogue:
    """Read every ``*.rq`` of ``folder`` (default: the package's ``queries/``); fail on any bad file."""
    folder = folder or Path(__file__).resolve().parent / "queries"
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        query = read_query(path, uris)
        queries[query.name] = query
    if not queries:
        raise CatalogueError(f"{folder}: no canned queries (*.rq)")
    return Catalogue(queries, uris)


def read_query(path: Path, uris: UriStrategy) -> CannedQuery:
    """Parse one ``.rq`` file; any problem raises :class:`CatalogueError` naming the file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    count = next((i for i, line in enumerate(lines) if not line.startswith(HEADER)), len(lines))
    if count == 0:
        raise CatalogueError(f"{path}:1: no '{HEADER}' header")
    meta = _yaml(path, "".join(line[len(HEADER):].removeprefix(" ") for line in lines[:count]))
    body = "".join(lines[count:])
    unknown = sorted(set(meta) - _TOP_KEYS)
    if unknown:
        raise CatalogueError(f"{path}: unknown header key(s) {unknown}; allowed: {sorted(_TOP_KEYS)}")
    specs = meta.get("parameters") or {}
    if not isinstance(specs, dict):
        raise CatalogueError(f"{path}: 'parameters' must be a mapping of name to declaration")
    tags = meta.get("tags")
    if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
        raise CatalogueError(f"{path}: 'tags' must be a non-empty list of strings")
    insert_at = outer_where_group(body)
    if insert_at is None:
        raise CatalogueError(f"{path}: the query needs an explicit top-level 'WHERE {{' (parameters are bound there)")
    query = CannedQuery(
        name=path.stem, path=path, title=_texts(path, meta, "title"), description=_texts(path, meta, "description"),
        tags=tuple(tags), parameters=tuple(_parameter(path, n, s, uris) for n, s in specs.items()),
        example=_scalars(path, "example", meta.get("example") or {}), body=body, insert_at=insert_at,
        evidence=meta.get("evidence"),
        inference=_texts(path, meta, "inference") if "inference" in meta else None,
        questions=_questions(path, meta.get("questions") or []),
        expected=tuple(_scalars(path, "expected rows", row) for row in _list(path, "expected", meta)),
        columns=_columns(path, meta.get("columns") or {}))
    used = variables(body)
    for name in query.columns:
        if name not in used:
            raise CatalogueError(f"{path}: columns: {name!r} is not a variable of the query")
    for param in query.parameters:
        if param.name not in used:
            raise CatalogueError(f"{path}: parameter {param.name!r} is not used as ?{param.name} in the query")
    if query.evidence is not None and query.evidence not in used:
        raise CatalogueError(f"{path}: evidence variable ?{query.evidence} is not in the query")
    checked = _checked(query, uris)
    for row in checked.expected:
        for name in row:
            in_query = name in _GRAPH_VARIABLES if checked.kind == "graph" else name in used
            if not in_query:
                raise CatalogueError(f"{path}: expected rows: {name!r} is not a variable of the query")
    return checked


def _columns(path: Path, value: Any) -> dict[str, dict[str, str]]:
    """Column headings: result variable → {nl, en}."""
    if not isinstance(value, dict):
        raise CatalogueError(f"{path}: 'columns' must map result variables to {{nl: …, en: …}}")
    return {str(name): _texts(path, value, name, "columns: ") for name in value}


def _list(path: Path, key: str, meta: Mapping[str, Any]) -> list[Any]:
    value = meta.get(key) or []
    if not isinstance(value, list):
        raise CatalogueError(f"{path}: {key!r} must be a list")
    return value


def _questions(path: Path, value: Any) -> tuple[dict[str, str], ...]:
    """The questions a query answers: each with non-empty nl and en texts, and optionally its ``id``."""
    if not isinstance(value, list):
        raise CatalogueError(f"{path}: 'questions' must be a list of {{nl: …, en: …}}")
    found = []
    for item in value:
        if not isinstance(item, dict) or set(item) - _QUESTION_KEYS:
            raise CatalogueError(f"{path}: each question has 'nl' and 'en' (and optionally 'id'), not {item!r}")
        texts = {"nl": item.get("nl"), "en": item.get("en")}
        if not all(isinstance(t, str) and t.strip() for t in texts.values()):
            raise CatalogueError(f"{path}: each question needs non-empty 'nl' and 'en' texts")
        question = {k: v.strip() for k, v in texts.items()}
        if "id" in item:
            question["id"] = str(item["id"])
        found.append(question)
    return tuple(found)


def _checked(query: CannedQuery, uris: UriStrategy) -> CannedQuery:
    """Bind the defaults and the example, and parse both on an empty store (also gives the query kind)."""
    kind = "select"
    for given in ({}, query.example):
        try:
            result = ox.Store().query(bind_query(query, given, uris).text)
        except ParameterError as exc:
            which = "example" if given else "defaults"
            raise CatalogueError(f"{query.path}: {which}: {exc}") from None
        except SyntaxError as exc:
            raise CatalogueError(f"{query.path}: the query does not parse: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            kind = "ask"
        elif isinstance(result, ox.QueryTriples):
            kind = "graph"
    return CannedQuery(**{**query.__dict__, "kind": kind})


# libyaml's safe loader where PyYAML was built with it (its wheels are): the same documents and errors,
# about ten times faster, and the catalogue is read at every start of `serve` (docs/benchmarks.md).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _yaml(path: Path, text: str) -> dict[str, Any]:
    try:
        meta = yaml.load(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise CatalogueError(f"{path}:{line}: header is not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(meta, dict):
        raise CatalogueError(f"{path}:1: header must be a YAML mapping")
    return meta


def _texts(path: Path, meta: Mapping[str, Any], key: str, where: str = "") -> dict[str, str]:
    value = meta.get(key)
    if not (isinstance(value, dict) and all(isinstance(value.get(lang), str) and value[lang].strip()
                                            for lang in ("nl", "en"))):
        raise CatalogueError(f"{path}: {where}{key!r} must have non-empty 'nl' and 'en' texts")
    return {"nl": value["nl"].strip(), "en": value["en"].strip()}


def _scalar(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _scalars(path: Path, key: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or any(isinstance(v, dict | list) for v in value.values()):
        raise CatalogueError(f"{path}: {key!r} must map parameter names to single values")
    return {str(k): _scalar(v) for k, v in value.items()}


def _parameter(path: Path, name: Any, spec: Any, uris: UriStrategy) -> Parameter:
    where = f"parameter {name!r}: "
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name in RESERVED:
        raise CatalogueError(f"{path}: {where}not a usable name (a SPARQL variable name, not {sorted(RESERVED)})")
    if not isinstance(spec, dict) or set(spec) - _PARAM_KEYS or spec.get("type") not in TYPES:
        raise CatalogueError(f"{path}: {where}needs 'type' ({'/'.join(TYPES)}) and only the keys {sorted(_PARAM_KEYS)}")
    kind = spec["type"]
    cls = _expand(path, where, spec.get("class"), uris) if kind == "iri" else None
    datatype = _expand(path, where, spec.get("datatype"), uris) if kind == "literal" or "datatype" in spec else None
    if kind == "iri" and cls is None:
        raise CatalogueError(f"{path}: {where}an 'iri' parameter needs a 'class'")
    if datatype is not None and datatype not in LEXICAL:
        raise CatalogueError(f"{path}: {where}datatype must be one of {sorted(LEXICAL)}")
    values = _scalars(path, where + "values", spec.get("values") or {})
    if (kind == "enum") != bool(values):
        raise CatalogueError(f"{path}: {where}'values' is required for, and only for, an 'enum' parameter")
    default = spec.get("default")
    return Parameter(
        name=name, type=kind, label=_texts(path, spec, "label", where),
        description=_texts(path, spec, "description", where),
        default=None if default is None else _scalar(default), optional=bool(spec.get("optional", False)),
        cls=cls, datatype=datatype, values=values)


def _expand(path: Path, where: str, curie: Any, uris: UriStrategy) -> str | None:
    """Expand a CURIE of the deployment's prefixes (``kg:`` follows its base), or take an absolute IRI."""
    if curie is None:
        return None
    prefix, _, local = str(curie).partition(":")
    if prefix in uris.prefixes() and not local.startswith("//"):
        return uris.prefixes()[prefix] + local
    if SCHEME.match(str(curie)):
        return str(curie)
    raise CatalogueError(f"{path}: {where}{curie!r} is neither a known CURIE nor an absolute IRI")
