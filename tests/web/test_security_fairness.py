"""Fair sharing: per-client caps on queries in flight and on query time per minute (429 + Retry-After)."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from kennisgraaf.store.base import StoreError
from kennisgraaf.web.fairness import FairShare

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from fairness import FLOOD, HEAVY, measure  # noqa: E402


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_past_the_in_flight_cap_a_client_gets_429_and_others_do_not():
    share = FairShare(2, 60.0, Clock())
    share.enter("a")
    share.enter("a")
    with pytest.raises(StoreError) as info:
        share.enter("a")
    assert info.value.status == 429 and info.value.headers["Retry-After"] == "1"
    assert "client_in_flight" in info.value.message
    share.enter("b")


def test_past_the_time_budget_a_client_waits_as_retry_after_says():
    clock = Clock()
    share = FairShare(4, 60.0, clock)
    started = share.enter("a")
    clock.now += 90  # one query of 90 s overdraws a budget of 60 s per minute by 30 s
    share.leave("a", started)
    with pytest.raises(StoreError) as info:
        share.enter("a")
    assert info.value.status == 429
    wait = int(info.value.headers["Retry-After"])
    assert 30 <= wait <= 32
    share.enter("b")  # another client is not touched
    clock.now += wait
    share.leave("a", share.enter("a"))


def test_the_header_of_an_untrusted_client_does_not_name_another_client(app):
    # The in-process app has no proxy in front: X-Forwarded-For must not give a client a fresh share.
    client = app.test_client()
    share = app.extensions["kennisgraaf"].store.share
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"X-Forwarded-For": "10.9.9.9"})
    assert response.status_code == 200
    assert "10.9.9.9" not in share._accounts


@pytest.fixture(scope="module")
def fair_server(serve_process):
    server = serve_process("--trusted-proxy", "127.0.0.1", "--client-in-flight", "2", "--max-in-flight", "8",
                           "--timeout", "2", "--workers", "2", "--client-seconds-per-minute", "30")
    yield server
    server.stop()


def test_a_flooding_client_does_not_starve_another_one(fair_server):
    """Short version of benchmarks/fairness.py: 12 heavy queries kept going by one client, 5 s of probes."""
    figures = measure(fair_server.url, heavy=12, seconds=5.0)
    print(figures.report())
    assert figures.light_errors == []
    assert figures.flood["429"] > 0 and figures.flood["503"] == 0
    # The figure to meet is p95 < 100 ms (docs/security.md, on an idle machine); the suite shares its
    # cores with other work, so here it only has to stay well under the 2 s the flood's queries take.
    assert figures.p95() < 1000


def test_the_trusted_proxys_header_names_the_client(fair_server):
    import requests

    def heavy(results: list[int]) -> None:
        results.append(requests.get(fair_server("/sparql"), params={"query": HEAVY},
                                    headers={"X-Forwarded-For": FLOOD}, timeout=30).status_code)

    results: list[int] = []
    threads = [threading.Thread(target=heavy, args=(results,)) for _ in range(3)]
    for thread in threads:
        thread.start()
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    assert sorted(results).count(429) >= 1  # a third heavy query of one client is past client_in_flight 2
