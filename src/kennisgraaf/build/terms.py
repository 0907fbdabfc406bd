"""kg: terms that data files use but the ontology does not declare (a misspelled ``kg:quot``).

The shape kgsh:DeclaredTerms finds the same terms, but on the ontology IRI and without a place;
this check names each data file and the line that first writes the term, and suggests the
declared term nearest in spelling.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kennisgraaf.build.report import CHECKS, Finding
from kennisgraaf.build.turtlelines import find_line
from kennisgraaf.vocab import KG

# What counts as a declaration, as in kgsh:DeclaredTerms.
DECLARING_TYPES = (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                   RDF.Property)


def declared_terms(ontology: Graph) -> set[str]:
    """Every kg: term the ontology declares as a class or property."""
    return {str(s) for kind in DECLARING_TYPES for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and str(s).startswith(str(KG))}


def used_terms(graph: Graph) -> set[str]:
    """kg: terms a data graph uses as a property or a class."""
    used = {str(p) for p in graph.predicates()} | {str(c) for c in graph.objects(None, RDF.type)}
    return {term for term in used if term.startswith(str(KG))}


def undeclared_terms(graph: Graph, path: Path, declared: set[str]) -> list[Finding]:
    """One finding per kg: term ``graph`` (parsed from ``path``) uses that is not in ``declared``."""
    missing = sorted(used_terms(graph) - declared)
    if not missing:
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    names = {term.removeprefix(str(KG)): term for term in declared}
    findings = []
    for term in missing:
        local = term.removeprefix(str(KG))
        nearest = difflib.get_close_matches(local, names, n=1)
        hint_nl = f"; bedoelt u kg:{nearest[0]}?" if nearest else ""
        hint_en = f"; did you mean kg:{nearest[0]}?" if nearest else ""
        findings.append(Finding(
            focus=term,
            path=None,
            value=None,
            severity="Violation",
            shape=CHECKS + "term",
            message_nl=f"kg:{local} wordt gebruikt maar is niet gedeclareerd in de ontologie (ontology/*.ttl){hint_nl}",
            message_en=f"kg:{local} is used but not declared in the ontology (ontology/*.ttl){hint_en}",
            source_file=str(path),
            line=find_line(lines, term),
            kind="term",
        ))
    return findings
