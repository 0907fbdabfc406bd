"""OWL-RL closure, filtered down to what says something about our own terms and data.

owlrl's raw closure is not fit to serve (DESIGN §6): it adds reflexive ``owl:sameAs`` for every
term (literals included), ``owl:Thing``/``rdfs:Resource`` typings and axioms about the RDF/OWL
vocabularies. :func:`keep_inferred` is the filter; it is tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

_TRIVIAL_OBJECTS = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_REFLEXIVE = {OWL.sameAs, OWL.equivalentClass, OWL.equivalentProperty, RDFS.subClassOf, RDFS.subPropertyOf}
# Typings that only restate what kind of RDF term something is.
_META_TYPES = {
    RDFS.Class, OWL.Class, RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty,
    OWL.AnnotationProperty, RDFS.Datatype, RDF.List, OWL.Ontology,
}


class _Semantics(owlrl.OWLRL_Semantics):
    """OWL 2 RL without rule eq-ref.

    eq-ref adds ``x owl:sameAs x`` for the subject, predicate and object of every triple; the
    filter drops those anyway, and producing them made up half of the closure's run time
    (measured with cProfile on the full data: 32 of 64 s in ``_equality``). Every other eq-* rule
    still runs for real ``owl:sameAs`` triples.
    """

    def _equality(self, triple, cycle_num):  # noqa: ANN001 - owlrl's signature
        s, p, o = triple
        if p == OWL.sameAs or (p == RDF.type and o == OWL.AllDifferent):
            super()._equality(triple, cycle_num)


def keep_inferred(triple: tuple, own_prefixes: Iterable[str], asserted_bnodes: set[BNode]) -> bool:
    """Return True if an inferred triple says something about our own terms or data."""
    s, p, o = triple
    if isinstance(s, Literal) or isinstance(p, Literal):
        return False
    if isinstance(s, BNode):
        if s not in asserted_bnodes:
            return False
    elif not any(str(s).startswith(prefix) for prefix in own_prefixes):
        return False
    if p in _REFLEXIVE and s == o:
        return False
    if o in _TRIVIAL_OBJECTS:
        return False
    if p == RDF.type and o in _META_TYPES:
        return False
    # Axioms about external vocabulary terms (e.g. "prov:Entity a owl:Class") stay with them.
    if p in (RDFS.domain, RDFS.range) and isinstance(o, URIRef) and str(o).startswith(str(RDFS)):
        return False
    return True


def closure(asserted: Graph, own_prefixes: Iterable[str]) -> Graph:
    """Return the filtered triples that OWL-RL derives from ``asserted`` and are not in it."""
    prefixes = tuple(own_prefixes)
    work = Graph()
    for triple in asserted:
        work.add(triple)
    owlrl.DeductiveClosure(_Semantics, improved_datatypes=False).expand(work)
    asserted_bnodes = {n for t in asserted for n in (t[0], t[2]) if isinstance(n, BNode)}
    inferred = Graph()
    for triple in work:
        if triple in asserted:
            continue
        if keep_inferred(triple, prefixes, asserted_bnodes):
            inferred.add(triple)
    return inferred
