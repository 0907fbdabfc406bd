"""The embedded store: worker processes, time limit, parallelism, crash fence, limits, dataset choice."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.store.base import StoreError, solutions
from kennisgraaf.store.embedded import EmbeddedStore
from kennisgraaf.store.pool import WorkerFailed
from kennisgraaf.store.workers import Job

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^12 rows: never finishes
TIMEOUT = 1.5


@pytest.fixture(scope="module")
def store(built: BuiltDataset) -> Iterator[EmbeddedStore]:
    """A store of its own, with a short time limit, so that the tests can kill its workers."""
    embedded = EmbeddedStore(built, timeout=TIMEOUT, workers=2, max_in_flight=6)
    embedded.warm_up()
    yield embedded
    embedded.close()


def count(store: EmbeddedStore, query: str = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", **kwargs) -> int:
    return int(solutions(store.query(query, **kwargs))[1][0]["n"].value)


def wait_for(predicate, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_time_limit_stops_the_query_and_frees_its_worker(store):
    before = store.pool.pids()
    assert len(before) == 2
    started = time.monotonic()
    with pytest.raises(StoreError) as info:
        store.query(HEAVY)
    elapsed = time.monotonic() - started
    assert info.value.status == 504
    assert "time limit" in info.value.message
    assert TIMEOUT <= elapsed < TIMEOUT + 1.0
    # The worker that ran it is killed (its process is gone), and a fresh one takes its place.
    assert wait_for(lambda: any(not alive(pid) for pid in before))
    assert wait_for(lambda: len(store.pool.pids()) == 2 and store.pool.pids() != before), (before, store.pool.pids())
    assert count(store) > 1000


def test_a_fast_query_answers_promptly_while_slow_ones_run(store):
    errors: list[int] = []

    def slow() -> None:
        try:
            store.query(HEAVY)
        except StoreError as exc:
            errors.append(exc.status)

    threads = [threading.Thread(target=slow) for _ in range(3)]  # more slow queries than warm workers
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    started = time.monotonic()
    assert store.query("ASK { ?s a ?t }").body == b'{"head":{},"boolean":true}'
    assert time.monotonic() - started < 1.0
    for thread in threads:
        thread.join()
    assert errors == [504, 504, 504]


def test_deep_nesting_is_refused_before_it_reaches_a_worker(store):
    before = store.pool.pids()
    with pytest.raises(StoreError) as info:
        store.query("SELECT * WHERE " + "{" * 5000 + "}" * 5000)
    assert info.value.status == 400
    assert store.pool.pids() == before


def test_a_crashing_worker_costs_only_itself(store):
    # Past the guard (sent to the pool directly), 20 000 UNIONs overflow pyoxigraph's stack: the
    # worker dies, the caller gets an error, and the pool carries on with a new worker.
    chain = "SELECT * {" + " UNION ".join(["{ ?s ?p ?o }"] * 20000) + "}"
    with pytest.raises(WorkerFailed):
        store.pool.run(Job(chain, "application/sparql-results+json", None, [], {}, 10), 10)
    assert count(store) > 1000
    assert wait_for(lambda: len(store.pool.pids()) >= 2)  # whole again (workers from earlier bursts stay)


def test_workers_stay_between_bursts_instead_of_being_forked_again(store):
    """A burst grows the pool; the next burst finds the same workers (no fork per query)."""
    def burst() -> None:
        threads = [threading.Thread(target=count, args=(store,)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    burst()
    assert wait_for(lambda: len(store.pool._idle) == len(store.pool.pids()))
    grown = store.pool.pids()
    assert len(grown) >= 2
    time.sleep(0.3)  # nobody waits now: the old pool retired every worker above the warm two here
    for _ in range(3):
        burst()
        assert count(store) > 1000
    assert store.pool.pids() >= grown


def test_a_worker_that_grew_past_the_recycle_limit_is_replaced(built):
    # The time limit only keeps the test bounded: ~100 MB of rows take 1 s of CPU, several on a loaded machine.
    small = EmbeddedStore(built, timeout=20, workers=1, max_in_flight=2, recycle_mb=32)
    small.warm_up()
    try:
        first = small.pool.pids()
        for _ in range(3):
            assert count(small) > 1000  # small answers: the workers stay
        assert wait_for(lambda: len(small.pool._idle) == len(small.pool.pids()))
        before = small.pool.pids()
        assert first <= before and all(alive(pid) for pid in before)
        small.query("SELECT * { ?s ?p ?o . ?a ?b ?c } LIMIT 200000", accept="text/csv")  # ~100 MB of rows in Python
        assert wait_for(lambda: sum(not alive(pid) for pid in before) == 1)
        assert count(small) > 1000
        assert len(small.pool.pids()) >= 1
    finally:
        small.close()


def test_queries_past_the_in_flight_cap_get_503_with_retry_after(built):
    capped = EmbeddedStore(built, timeout=TIMEOUT, workers=1, max_in_flight=2)
    try:
        threads = [threading.Thread(target=lambda: pytest.raises(StoreError, capped.query, HEAVY)) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(0.5)
        with pytest.raises(StoreError) as info:
            capped.query("ASK {}")
        assert info.value.status == 503
        assert info.value.headers["Retry-After"].isdigit()
        for thread in threads:
            thread.join()
        assert capped.query("ASK {}").body == b'{"head":{},"boolean":true}'
    finally:
        capped.close()


def test_the_result_limit_cuts_rows_and_triples_and_says_so(built):
    limited = EmbeddedStore(built, result_limit=5, workers=1)
    try:
        result = limited.query("SELECT * { ?s ?p ?o }")
        assert result.truncated
        assert len(solutions(result)[1]) == 5
        graph = limited.query("CONSTRUCT WHERE { ?s ?p ?o }", accept="application/n-triples")
        assert graph.truncated
        assert len(list(ox.parse(graph.body, format=ox.RdfFormat.N_TRIPLES))) == 5
        small = limited.query("SELECT * { ?s ?p ?o } LIMIT 5")
        assert not small.truncated
    finally:
        limited.close()


def test_workers_hold_the_same_graphs_as_the_dataset(store, built):
    reference = built.open_store()
    named = [ox.NamedNode(g) for g in built.named_graph_iris()]

    def expected(query: str, **kwargs) -> int:
        solution = next(iter(reference.query(query, named_graphs=named, **kwargs)))
        return int(solution["n"].value)

    everything = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    graphs = "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"
    assert count(store) == expected(everything)
    assert count(store, asserted=True) == expected(everything, default_graph=ox.NamedNode(built.asserted_graph_iri()))
    assert count(store, graphs) == expected(graphs)


def test_asserted_leaves_out_exactly_what_only_inference_adds(store, built):
    inferred = built.inferred_graph_iri()
    only_inferred = count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{inferred}> {{ ?s ?p ?o }} "
                                 f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{inferred}>) }} }}")
    assert only_inferred > 0
    assert count(store) - count(store, asserted=True) == only_inferred


def test_the_dataset_comes_from_the_request_then_from_the_query(store, built):
    ontology, reference = built.graph_iri("ontology"), built.graph_iri("reference")
    in_ontology = count(store, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{ontology}> {{ ?s ?p ?o }} }}")
    assert count(store, f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> {{ ?s ?p ?o }}") == in_ontology
    # Request parameters win over the query's FROM (SPARQL 1.1 Protocol §2.1.4).
    in_reference = count(store, default_graphs=[reference], named_graphs=[])
    assert in_reference != in_ontology
    assert count(store, f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> {{ ?s ?p ?o }}",
                 default_graphs=[reference], named_graphs=[]) == in_reference
    # The unions are never named graphs: GRAPH ?g sees the real graphs only.
    rows = solutions(store.query("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"))[1]
    assert {row["g"].value for row in rows} == set(built.named_graph_iris())
    # A graph outside the dataset is an empty graph (issue 12), not an error.
    assert count(store, default_graphs=["http://example.org/elsewhere"], named_graphs=[]) == 0


def test_bindings_are_substituted_as_terms(store, built):
    drenthe = ox.NamedNode(built.base + "id/provincie/drenthe")
    result = store.query("SELECT ?x ?label { ?x rdfs:label ?label }", bindings={"x": drenthe})
    rows = solutions(result)[1]
    assert {row["x"].value for row in rows} == {drenthe.value}
    assert {(row["label"].value, row["label"].language) for row in rows} >= {("Provincie Drenthe", "nl")}


def test_service_cannot_reach_the_network_even_past_the_guard(store):
    if not store.pool.network_isolated:
        pytest.skip("this machine does not allow network namespaces; the guard is the only fence here")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    query = f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    reply = store.pool.run(Job(query, "application/sparql-results+json", None, [], {}, 10), 10)
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()
    assert reply[0] == "error"
    assert json.dumps(reply)  # the error came back as data, not as a crash


def test_only_a_query_that_may_read_named_graphs_is_given_the_dataset_s_graphs(store, built, monkeypatch):
    """Naming every graph costs the engine on every query (9 ms at 1M triples), so a query that cannot
    reach named graphs is given none; one that can gets the real graphs, never the unions."""
    jobs: list[Job] = []
    real_run = store.pool.run

    def recording(job: Job, timeout: float) -> tuple:
        jobs.append(job)
        return real_run(job, timeout)

    monkeypatch.setattr(store.pool, "run", recording)
    named = built.named_graph_iris()
    ontology = built.graph_iri("ontology")
    everything = count(store)
    assert jobs[-1].named_graphs is None
    assert count(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o } # a comment") == everything
    assert jobs[-1].named_graphs is None
    for query in ("SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "SELECT DISTINCT ?g { gRaPh ?g { ?s ?p ?o } }"):
        rows = solutions(store.query(query))[1]
        assert jobs[-1].named_graphs == list(named)
        assert {row["g"].value for row in rows} == set(named)  # the unions never show
    # Lists of the query or the request are passed as they are.
    count(store, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{ontology}> {{ ?s ?p ?o }}")
    assert jobs[-1].named_graphs == [ontology]
    count(store, named_graphs=[ontology])
    assert jobs[-1].named_graphs == [ontology]
