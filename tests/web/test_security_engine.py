"""Queries that kill or bloat the engine, and worker faults (issue 12).

Admission bounds the flat lists that overflow pyoxigraph's stack (measured: docs/security.md); a
worker that dies holding a query fails that query with a clear message naming the limit, logged
with the query's hash, and is not retried; a worker found dead while idle is replaced silently;
answers are bounded in bytes as well as rows.
"""

from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest

from kennisgraaf.config import Settings
from kennisgraaf.sparql.admission import GuardError, Limits, admit
from kennisgraaf.store.base import StoreError
from kennisgraaf.store.embedded import EmbeddedStore

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # runs past any time limit here
# Each of these crashed a pyoxigraph worker (stack overflow) before admission bounded them.
ENGINE_KILLERS = {
    "3,000 projected expressions": "SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(3000)) + " {}",
    "9,000 objects in one pattern": "SELECT * { ?s ?p " + ", ".join(f'"o{i}"' for i in range(9000)) + " }",
    "2,700 GROUP BY keys": "SELECT (COUNT(*) AS ?c) { ?s ?p ?o } GROUP BY "
                           + " ".join(f"(STR(?o) AS ?g{i})" for i in range(2700)),
    "3,000 predicates": "SELECT * { ?s " + "; ".join(f"<urn:p{i}> ?o" for i in range(3000)) + " }",
}


@pytest.mark.parametrize("name", sorted(ENGINE_KILLERS))
def test_flat_lists_that_overflow_the_engine_are_refused_with_the_limit(name):
    with pytest.raises(GuardError) as info:
        admit(ENGINE_KILLERS[name])
    assert info.value.status == 400
    assert "at most 1000" in info.value.message


def test_within_the_limit_lists_pass_and_values_blocks_are_not_counted():
    admit("SELECT " + " ".join(f"(1 AS ?v{i})" for i in range(900)) + " {}")
    admit("SELECT * { VALUES ?x { " + " ".join(f'"{i}"' for i in range(20000)) + " } }")
    admit("SELECT * { ?s ?p 'a, b; c. d' } # , ; . AS AS AS" + ", " * 2000)


@pytest.fixture(scope="module")
def store(built):
    store = EmbeddedStore(built, 50, timeout=3.0, workers=2, max_in_flight=6, limits=Limits(),
                          result_bytes=20_000)
    store.warm_up()
    yield store
    store.close()


def _wait_for_idle(store, count: int, seconds: float = 5.0) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with store.pool._cond:
            if len(store.pool._idle) >= count:
                return time.monotonic() - started
        time.sleep(0.02)
    raise AssertionError(f"the pool did not have {count} idle workers within {seconds} s")


def test_answers_are_cut_at_the_byte_limit_and_the_cut_is_signalled(store):
    result = store.query("SELECT ?s ?p ?o { ?s ?p ?o }")
    assert result.truncated
    assert len(result.body) < 20_000 * 3
    small = store.query("SELECT ?s { ?s ?p ?o } LIMIT 3")
    assert not small.truncated


def test_a_worker_killed_mid_query_fails_that_query_only_and_the_pool_is_whole_within_a_second(store, caplog):
    _wait_for_idle(store, 2)
    errors: list[StoreError] = []

    def heavy() -> None:
        try:
            store.query(HEAVY)
        except StoreError as exc:
            errors.append(exc)

    before = store.pool.pids()
    thread = threading.Thread(target=heavy)
    with caplog.at_level("ERROR", logger="kennisgraaf.store"):
        thread.start()
        time.sleep(0.5)
        busy = store.pool.pids() - {w.pid for w in store.pool._idle}
        victim = next(iter(busy & (before | store.pool.pids())))
        os.kill(victim, signal.SIGKILL)
        # Others are unaffected while it happens.
        assert store.query("ASK { ?s ?p ?o }").body
        thread.join(10)
    assert len(errors) == 1 and errors[0].status == 500
    assert "not retried" in errors[0].message and "worker_memory_mb" in errors[0].message
    incident = re.search(r"incident ([0-9a-f]{8})", errors[0].message).group(1)
    assert any(incident in r.getMessage() and "query " in r.getMessage() for r in caplog.records)
    assert _wait_for_idle(store, 2, 1.0) < 1.0
    assert victim not in store.pool.pids()


def test_idle_workers_killed_are_replaced_and_the_next_queries_answer(store):
    _wait_for_idle(store, 2)
    for pid in list(store.pool.pids()):  # every worker at once
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    for _ in range(3):
        assert store.query("ASK { ?s ?p ?o }").body
    _wait_for_idle(store, 2, 1.0)


def test_the_fork_server_killed_too_is_started_again(store):
    _wait_for_idle(store, 2)
    os.kill(store.pool._server.process.pid, signal.SIGKILL)
    for pid in list(store.pool.pids()):
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    assert store.query("ASK { ?s ?p ?o }").body


def test_an_engine_killer_over_http_is_400_naming_the_limit(http):
    response = http.post("/sparql", data=ENGINE_KILLERS["3,000 projected expressions"],
                         headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400
    assert "at most 1000" in response.text


def test_max_result_bytes_is_a_setting():
    assert Settings().max_result_bytes == 16 * 1024 * 1024
