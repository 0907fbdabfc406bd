"""Structure rules: imports point down the data flow, and every kg: term used is declared."""

from __future__ import annotations

import ast
from pathlib import Path

from rdflib import Graph, URIRef

from kennisgraaf.config import bundled_root

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kennisgraaf"
KG = "https://w3id.org/kennisgraaf/def#"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kennisgraaf"):
                for alias in node.names:
                    # "from kennisgraaf.web import errors" imports the submodule kennisgraaf.web.errors.
                    sub = PACKAGE.parent.joinpath(*node.module.split("."), alias.name)
                    is_module = sub.with_suffix(".py").is_file() or sub.is_dir()
                    targets.add(f"{node.module}.{alias.name}" if is_module else node.module)
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("kennisgraaf")}
        found[module_name(path)] = targets
    return found


# The package table (docs/architecture.md): each stage may import only from its own or earlier ones.
STAGES = {
    "kennisgraaf": 0, "kennisgraaf.config": 0, "kennisgraaf.vocab": 0,
    "kennisgraaf.build": 1,
    "kennisgraaf.sparql": 2,
    "kennisgraaf.store": 3,
    "kennisgraaf.site": 4,
    "kennisgraaf.web": 5,
    "kennisgraaf.cli": 6, "kennisgraaf.__main__": 6,
}


def stage(module: str) -> int:
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        prefix = ".".join(parts[:size])
        if prefix in STAGES:
            return STAGES[prefix]
    raise AssertionError(f"{module} is in no stage of the package table")


def test_every_module_sits_in_a_stage_package():
    for module in imports():
        assert module.count(".") >= 2 or module in STAGES, f"{module} belongs in a stage package"
        stage(module)


def test_imports_point_down_the_data_flow():
    for module, targets in imports().items():
        for target in targets:
            assert stage(target) <= stage(module), f"{module} (stage {stage(module)}) imports {target}"


def test_nothing_imports_the_cli_and_only_the_cli_imports_the_web_layer():
    def in_cli(name: str) -> bool:  # the cli package: its group and one module per command group
        return name == "kennisgraaf.cli" or name.startswith("kennisgraaf.cli.")

    for module, targets in imports().items():
        if module != "kennisgraaf.__main__" and not in_cli(module):
            assert not any(in_cli(t) for t in targets), module
        if not module.startswith("kennisgraaf.web") and not in_cli(module):
            assert not any(t.startswith("kennisgraaf.web") for t in targets), module


def test_blueprints_do_not_import_each_other_or_the_app_module():
    for module, targets in imports().items():
        # Shared mechanisms any web module may use (the raw layer builds on the Flask-level answer cache).
        shared = {"kennisgraaf.web.errors", "kennisgraaf.web.state", "kennisgraaf.web.i18n", "kennisgraaf.web.server",
                  "kennisgraaf.web.cache"}
        if module.startswith("kennisgraaf.web.") and module not in shared:
            assert targets.isdisjoint({"kennisgraaf.web"}), module
            assert not any(t.startswith("kennisgraaf.web.") and t not in shared for t in targets), module


def test_no_import_cycles():
    graph = imports()

    def visit(module: str, path: tuple[str, ...]) -> None:
        for target in graph.get(module, ()):
            assert target not in path, " -> ".join((*path, target))
            visit(target, (*path, target))

    for module in graph:
        visit(module, (module,))


def _all_rdf(folder: str) -> Graph:
    graph = Graph()
    for path in sorted((bundled_root() / folder).rglob("*.ttl")):
        graph.parse(path)
    return graph


def test_every_kg_term_used_in_data_and_shapes_is_declared_in_the_ontology():
    ontology = _all_rdf("ontology")
    declared = {s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(KG)}
    used = set()
    for graph in (_all_rdf("data"), _all_rdf("shapes")):
        for triple in graph:
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(KG)}
    assert sorted(used - declared) == []
