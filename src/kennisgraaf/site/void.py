"""The VoID + DCAT description of the dataset, made from the built dataset and its dumps.

Served at ``/.well-known/void``. It names the dump files with their sizes and SHA-256 checksums,
so it is not itself inside the dumps (a file cannot carry its own checksum, and the dumps are
byte for byte what ``kennisgraaf export`` writes); see docs/pages.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, XSD

from kennisgraaf.build.canonical import blank_node_labels, graph_quads, serialise
from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.site.dumps import GZIP_MEDIA_TYPE, Dump
from kennisgraaf.site.pageindex import PageQueries
from kennisgraaf.vocab import DCAT, SD, VOID, UriStrategy

SPDX = Namespace("http://spdx.org/rdf/terms#")
CC_BY = URIRef("https://creativecommons.org/licenses/by/4.0/")
EUPL = URIRef("https://interoperable-europe.ec.europa.eu/licence/european-union-public-licence-version-12-eupl")
IANA = "http://www.iana.org/assignments/media-types/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"

TITLE = {"nl": "kennisgraaf: wie doet wat in het sociaal domein",
         "en": "kennisgraaf: who does what in the Dutch social domain"}
DESCRIPTION = {
    "nl": "Een linked-data kennisgraaf van Nederlandse beleidsdocumenten over de taakverdeling "
          "tussen Rijk, provincies en gemeenten in het sociaal domein: documenten, organisaties en bestuurslagen, "
          "taken en taakwijzigingen, wetten, voorgestelde rollen, standpunten en cijfers, elk met letterlijke citaten "
          "als bewijs en hun vindplaats in de brontekst.",
    "en": "A linked-data knowledge graph of Dutch policy documents on the division of tasks between "
          "the Rijk, the provinces and the municipalities in the social domain: documents, organisations and "
          "government layers, tasks and task changes, laws, proposed roles, positions and figures, each with verbatim "
          "quotes as evidence and where they occur in the source text.",
}
RIGHTS = {
    "nl": "Ontologie en data: CC BY 4.0. Code: EUPL-1.2. De bronteksten zijn openbare documenten, ontvangen door "
          "overheden; ze zijn byte-gelijk bewaard om de citaten controleerbaar te houden, met hun herkomst vermeld, "
          "en vallen niet onder de licentie van de data.",
    "en": "Ontology and data: CC BY 4.0. Code: EUPL-1.2. The source texts are public documents received by public "
          "bodies; they are kept byte-identical so that the quotes stay verifiable, with their origin stated, and are "
          "not relicensed.",
}
KEYWORDS = {"nl": ("sociaal domein", "bestuurslagen", "provincie", "decentralisatie", "beleidsdocumenten"),
            "en": ("social domain", "government layers", "province", "decentralisation", "policy documents")}


@dataclass
class VoidFacts:
    """What the description counts and names, read from the store."""

    counts: dict[str, int]
    asserted_counts: dict[str, int]
    entities: int
    classes: list[tuple[str, int]]
    vocabularies: list[str]
    years: list[int]
    documents: list[str]
    ontology: dict[str, str] = field(default_factory=dict)
    graph_triples: dict[str, int] = field(default_factory=dict)


def _ints(row: dict) -> dict[str, int]:
    return {k: int(v.value) for k, v in row.items()}


def namespace(iri: str) -> str:
    """The namespace of a term: up to and including the last ``#`` or ``/``."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def collect(queries: PageQueries, documents: list[str], graph_triples: dict[str, int]) -> VoidFacts:
    """Counts, classes, vocabularies and dates of the dataset."""
    counts = _ints(queries.select("void-counts.rq")[0])
    asserted = _ints(queries.select("void-counts.rq", asserted=True)[0])
    entities = int(queries.select("void-entities.rq")[0]["entities"].value)
    classes = [(r["class"].value, int(r["instances"].value)) for r in queries.select("class-counts.rq")
               if isinstance(r["class"], ox.NamedNode)]
    vocabularies = sorted({namespace(r["term"].value) for r in queries.select("void-terms.rq")})
    years = sorted({int(r["date"].value[:4]) for r in queries.select("void-dates.rq") if r["date"].value[:4].isdigit()})
    rows = queries.select("void-ontology.rq")
    ontology = {k: v.value for k, v in rows[0].items()} if rows else {}
    return VoidFacts(counts, asserted, entities, classes, vocabularies, years, documents, ontology,
                     dict(graph_triples))


def describe(facts: VoidFacts, dataset: BuiltDataset, dumps: list[Dump]) -> Graph:
    """The VoID + DCAT description as an rdflib graph."""
    uris = UriStrategy(dataset.base)
    base = dataset.base
    doc = URIRef(base + ".well-known/void")
    ds = URIRef(base + ".well-known/void#dataset")
    g = Graph()
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("sd", SD), ("spdx", SPDX), ("dcterms", DCTERMS),
                       ("foaf", FOAF), ("kg", uris.kg), ("id", uris.id)):
        g.bind(prefix, ns)
    add = g.add
    add((doc, RDF.type, VOID.DatasetDescription))
    add((doc, FOAF.primaryTopic, ds))
    add((doc, DCTERMS.title, Literal("VoID-beschrijving van de kennisgraaf", lang="nl")))
    add((doc, DCTERMS.title, Literal("VoID description of the kennisgraaf", lang="en")))
    for cls in (VOID.Dataset, DCAT.Dataset):
        add((ds, RDF.type, cls))
    for lang in ("nl", "en"):
        add((ds, DCTERMS.title, Literal(TITLE[lang], lang=lang)))
        add((ds, DCTERMS.description, Literal(DESCRIPTION[lang], lang=lang)))
        for word in KEYWORDS[lang]:
            add((ds, DCAT.keyword, Literal(word, lang=lang)))
    add((ds, DCTERMS.license, CC_BY))
    rights = BNode("rights")
    add((ds, DCTERMS.rights, rights))
    add((rights, RDF.type, DCTERMS.RightsStatement))
    for lang in ("nl", "en"):
        add((rights, RDFS.label, Literal(RIGHTS[lang], lang=lang)))
    add((rights, RDFS.seeAlso, CC_BY))
    add((rights, RDFS.seeAlso, EUPL))
    team = BNode("team")
    add((team, RDF.type, FOAF.Agent))
    add((team, FOAF.name, Literal("kennisgraaf team")))
    add((ds, DCTERMS.creator, team))
    add((ds, DCTERMS.publisher, team))
    if facts.ontology.get("created"):
        add((ds, DCTERMS.created, Literal(facts.ontology["created"], datatype=XSD.date)))
    built = Literal(dataset.meta["built"], datatype=XSD.dateTime)
    add((ds, DCTERMS.issued, built))
    add((ds, DCTERMS.modified, built))
    if facts.ontology.get("version"):
        add((ds, DCAT.version, Literal(facts.ontology["version"])))
    for code in ("NLD", "ENG"):
        add((ds, DCTERMS.language, URIRef(EU_LANGUAGE + code)))
    add((ds, DCTERMS.conformsTo, URIRef(base + "def")))
    add((ds, DCAT.landingPage, URIRef(base)))
    add((ds, FOAF.homepage, URIRef(base)))
    add((ds, VOID.uriSpace, Literal(base + "id/")))
    _temporal(g, ds, facts.years)
    _statistics(g, ds, base, facts)
    _service(g, ds, base)
    for document in facts.documents:
        add((ds, VOID.exampleResource, URIRef(document)))
    for dump in dumps:
        _distribution(g, ds, base, dump, gzipped=False)
        _distribution(g, ds, base, dump, gzipped=True)
    return g


def serialise_description(graph: Graph, rdf_format: ox.RdfFormat, base: str) -> bytes:
    """Canonical bytes of the description (blank nodes labelled by what they describe)."""
    labels = blank_node_labels([graph])
    # No id: prefix: its slashes would be escaped (id:document\/…) in every example resource.
    prefixes = {**{k: v for k, v in UriStrategy(base).prefixes().items() if k != "id"},
                "spdx": str(SPDX), "void": str(VOID), "dcat": str(DCAT), "sd": str(SD)}
    return serialise(graph_quads(graph, None, labels), rdf_format, prefixes)


def _temporal(g: Graph, ds: URIRef, years: list[int]) -> None:
    if not years:
        return
    period = BNode("period")
    g.add((ds, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    g.add((period, DCAT.startDate, Literal(str(years[0]), datatype=XSD.gYear)))
    g.add((period, DCAT.endDate, Literal(str(years[-1]), datatype=XSD.gYear)))


def _statistics(g: Graph, ds: URIRef, base: str, facts: VoidFacts) -> None:
    g.add((ds, VOID.triples, Literal(facts.counts["triples"])))
    g.add((ds, VOID.distinctSubjects, Literal(facts.counts["subjects"])))
    g.add((ds, VOID.properties, Literal(facts.counts["properties"])))
    g.add((ds, VOID.distinctObjects, Literal(facts.counts["objects"])))
    g.add((ds, VOID.entities, Literal(facts.entities)))
    g.add((ds, VOID.classes, Literal(len(facts.classes))))
    asserted = BNode("asserted")
    g.add((ds, VOID.subset, asserted))
    g.add((asserted, RDF.type, VOID.Dataset))
    g.add((asserted, SD.name, URIRef(base + "graph/asserted")))
    g.add((asserted, VOID.triples, Literal(facts.asserted_counts["triples"])))
    g.add((asserted, RDFS.label, Literal("zonder OWL-RL-afleidingen", lang="nl")))
    g.add((asserted, RDFS.label, Literal("without OWL-RL inferences", lang="en")))
    for name, count in sorted(facts.graph_triples.items()):
        subset = BNode("graph-" + name)
        g.add((ds, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, SD.name, URIRef(base + "graph/" + name)))
        g.add((subset, VOID.triples, Literal(count)))
    for iri, count in sorted(facts.classes):
        part = BNode("class-" + iri)
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(iri)))
        g.add((part, VOID.entities, Literal(count)))
    for ns in facts.vocabularies:
        g.add((ds, VOID.vocabulary, URIRef(ns)))


def _service(g: Graph, ds: URIRef, base: str) -> None:
    endpoint = URIRef(base + "sparql")
    g.add((ds, VOID.sparqlEndpoint, endpoint))
    g.add((endpoint, RDF.type, DCAT.DataService))
    g.add((endpoint, RDF.type, SD.Service))
    g.add((endpoint, DCAT.endpointURL, endpoint))
    g.add((endpoint, DCAT.servesDataset, ds))
    g.add((endpoint, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((ds, DCAT.distribution, endpoint))


def _distribution(g: Graph, ds: URIRef, base: str, dump: Dump, *, gzipped: bool) -> None:
    name = dump.spec.file_name + (".gz" if gzipped else "")
    url = URIRef(f"{base}dumps/{name}")
    dist = URIRef(f"{base}.well-known/void#dump-{name}")
    g.add((ds, DCAT.distribution, dist))
    g.add((ds, VOID.dataDump, url))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.mediaType, URIRef(IANA + dump.spec.media_type)))
    g.add((dist, DCTERMS.title, Literal(name)))
    g.add((dist, DCTERMS.license, CC_BY))
    if gzipped:
        g.add((dist, DCAT.compressFormat, URIRef(IANA + GZIP_MEDIA_TYPE)))
    g.add((dist, DCAT.byteSize, Literal(len(dump.body(gzipped)), datatype=XSD.nonNegativeInteger)))
    checksum = BNode("checksum-" + name)
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(dump.etag(gzipped), datatype=XSD.hexBinary)))
    what = ("alle benoemde grafen, met de OWL-RL-afleidingen", "every named graph, with the OWL-RL inferences") \
        if dump.spec.carries_graphs else (
        ("de unie van de beweerde grafen, met de OWL-RL-afleidingen", "the union of the asserted graphs, with the "
         "OWL-RL inferences") if dump.spec.inferred else
        ("de unie van de beweerde grafen (zonder afleidingen)", "the union of the asserted graphs (no inferences)"))
    g.add((dist, DCTERMS.description, Literal(what[0], lang="nl")))
    g.add((dist, DCTERMS.description, Literal(what[1], lang="en")))
