"""Dumps, the read-only Graph Store Protocol, the VoID + DCAT description and /health.

Every test runs in-process and against a real server (the ``http`` fixture). Dump bytes are
compared with :func:`kennisgraaf.build.export.export`, the code behind ``kennisgraaf export``.
"""

from __future__ import annotations

import base64
import gzip
import hashlib

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from kennisgraaf.build.export import export

DUMPS = [  # file, export format, inferred, media type
    ("kennisgraaf.trig", "trig", False, "application/trig"),
    ("kennisgraaf.nq", "nq", False, "application/n-quads"),
    ("kennisgraaf.jsonld", "jsonld", False, "application/ld+json"),
    ("kennisgraaf.ttl", "ttl", False, "text/turtle"),
    ("kennisgraaf-inferred.ttl", "ttl", True, "text/turtle"),
]
PLAIN = {"Accept-Encoding": "identity"}
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
GZIP_MAGIC = b"\x1f\x8b"


def body(response) -> bytes:
    """The representation's bytes: the live client (requests) decodes gzip itself, the test client does not."""
    encoded = response.headers.get("Content-Encoding") == "gzip" and response.content[:2] == GZIP_MAGIC
    return gzip.decompress(response.content) if encoded else response.content


@pytest.fixture(scope="module")
def exported(built) -> dict[str, bytes]:
    return {name: export(built, fmt, inferred=inferred) for name, fmt, inferred, _ in DUMPS}


@pytest.mark.parametrize(("name", "fmt", "inferred", "media_type"), DUMPS)
def test_dump_is_the_export_with_etag_digest_and_dates(http, exported, name, fmt, inferred, media_type):
    response = http.get(f"/dumps/{name}", headers=PLAIN)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "Content-Encoding" not in response.headers
    assert response.content == exported[name]
    digest = hashlib.sha256(exported[name]).digest()
    assert response.headers["ETag"] == f'"{digest.hex()}"'
    assert response.headers["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest).decode()}:"
    assert response.headers["Last-Modified"].endswith("GMT")
    assert "Accept-Encoding" in response.headers["Vary"]


def test_matching_if_none_match_gives_304(http):
    first = http.get("/dumps/kennisgraaf.trig", headers=PLAIN)
    again = http.get("/dumps/kennisgraaf.trig", headers={**PLAIN, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    other = http.get("/dumps/kennisgraaf.trig", headers={**PLAIN, "If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_gzip_on_request(http, exported):
    response = http.get("/dumps/kennisgraaf.nq", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.mimetype == "application/n-quads"
    assert body(response) == exported["kennisgraaf.nq"]
    plain = http.get("/dumps/kennisgraaf.nq", headers=PLAIN)
    assert response.headers["ETag"] != plain.headers["ETag"]


def test_gz_files_and_published_checksums(http, exported):
    sums = dict(reversed(line.split("  ")) for line in http.get("/dumps/SHA256SUMS").text.splitlines())
    for name, *_ in DUMPS:
        assert sums[name] == hashlib.sha256(exported[name]).hexdigest()
        response = http.get(f"/dumps/{name}.gz")
        assert response.mimetype == "application/gzip"
        assert "Content-Encoding" not in response.headers
        assert gzip.decompress(response.content) == exported[name]
        assert sums[name + ".gz"] == hashlib.sha256(response.content).hexdigest()


def test_trig_dump_round_trips_to_the_built_graphs(http, built):
    dataset = Dataset()
    dataset.parse(data=body(http.get("/dumps/kennisgraaf.trig")), format="trig")
    expected = Dataset()
    expected.parse(built.quads_file, format="nquads")
    for name in built.graph_names:
        iri = URIRef(built.graph_iri(name))
        assert isomorphic(dataset.graph(iri), expected.graph(iri)), name


def test_unknown_dump_is_404(http):
    assert http.get("/dumps/kennisgraaf.xml", headers={"Accept": "application/json"}).status_code == 404


def test_dump_index_lists_every_dump(http, exported):
    data = http.get("/dumps/", headers={"Accept": "application/json"}).json()
    listed = {d["file"]: d for d in data["dumps"]}
    assert set(listed) == {name for name, *_ in DUMPS}
    for name, payload in exported.items():
        assert listed[name]["sha256"] == hashlib.sha256(payload).hexdigest()
        assert listed[name]["bytes"] == len(payload)


# -- Graph Store Protocol ------------------------------------------------------------------------

def test_gsp_named_graph(http, built):
    iri = built.graph_iri("reference")
    response = http.get("/dumps/graph-store", params={"graph": iri}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    expected = Dataset()
    expected.parse(built.quads_file, format="nquads")
    assert isomorphic(Graph().parse(data=response.content, format="turtle"), expected.graph(URIRef(iri)))


def test_gsp_default_graph_is_the_union(http, kg):
    response = http.get("/dumps/graph-store?default", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="nt")
    assert len(graph) == int(kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])


@pytest.mark.parametrize(("params", "status"), [
    ({}, 400),
    ({"default": "", "graph": "https://w3id.org/kennisgraaf/graph/reference"}, 400),
    ({"graph": "https://w3id.org/kennisgraaf/graph/nope"}, 404),
])
def test_gsp_refuses_bad_requests(http, params, status):
    response = http.get("/dumps/graph-store", params=params, headers={"Accept": "application/json"})
    assert response.status_code == status
    assert response.json()["ok"] is False


def test_gsp_is_read_only(http):
    response = http.request("PUT", "/dumps/graph-store?default", data=b"<a:b> <a:c> <a:d> .",
                            headers={"Content-Type": "application/n-triples", "Accept": "application/json"})
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


# -- VoID + DCAT and health ----------------------------------------------------------------------

def test_void_description(http, built, kg, exported):
    response = http.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    graph = Graph().parse(data=response.content, format="turtle")
    base = built.base
    ds = URIRef(base + ".well-known/void#dataset")
    assert (ds, RDF.type, VOID.Dataset) in graph and (ds, RDF.type, DCAT.Dataset) in graph
    assert (ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in graph
    assert {lit.language for lit in graph.objects(ds, DCTERMS.title)} == {"nl", "en"}
    assert graph.value(ds, DCTERMS.creator) is not None
    assert graph.value(ds, DCTERMS.issued) == Literal(built.meta["built"], datatype=XSD.dateTime)
    assert (ds, VOID.sparqlEndpoint, URIRef(base + "sparql")) in graph
    triples = int(kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    assert int(graph.value(ds, VOID.triples)) == triples
    assert URIRef(base + "def#") in set(graph.objects(ds, VOID.vocabulary))
    documents = int(kg.select("SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a kg:Document }")[0]["n"])
    partitions = {graph.value(p, VOID["class"]): int(graph.value(p, VOID.entities))
                  for p in graph.objects(ds, VOID.classPartition)}
    assert partitions[URIRef(base + "def#Document")] == documents
    subsets = {graph.value(s, URIRef("http://www.w3.org/ns/sparql-service-description#name")):
               int(graph.value(s, VOID.triples)) for s in graph.objects(ds, VOID.subset)}
    for name, count in built.meta["triples"].items():
        assert subsets[URIRef(built.graph_iri(name))] == count
    rights = " ".join(str(o) for r in graph.objects(ds, DCTERMS.rights) for o in graph.objects(r, None))
    assert "EUPL-1.2" in rights and "CC BY 4.0" in rights
    checksums = {}
    for dist in graph.objects(ds, DCAT.distribution):
        url = graph.value(dist, DCAT.downloadURL)
        checksum = graph.value(dist, SPDX.checksum)
        if url is not None and checksum is not None:
            checksums[str(url).removeprefix(base + "dumps/")] = str(graph.value(checksum, SPDX.checksumValue))
    for name, payload in exported.items():
        assert checksums[name] == hashlib.sha256(payload).hexdigest()
        assert checksums[name + ".gz"] == hashlib.sha256(gzip.compress(payload, 9, mtime=0)).hexdigest()


def test_void_for_browsers_and_other_formats(http):
    html = http.get("/.well-known/void", headers={"Accept": "text/html"})
    assert html.mimetype == "text/html"
    jsonld = http.get("/.well-known/void", headers={"Accept": "application/ld+json"})
    graph = Graph().parse(data=jsonld.content, format="json-ld")
    assert any(graph.subjects(RDF.type, VOID.Dataset))


def test_health(http, built):
    response = http.get("/health")
    assert response.status_code == 200
    data = response.json()
    assert data["ok"] is True and data["store"]["ok"] is True
    assert data["dataset"]["key"] == built.key
    assert data["dataset"]["quads"] == sum(built.meta["triples"].values())
