"""Limits that hold (issue 10): expensive GraphQL refused before it runs, hostile ad-hoc Cypher refused or
bounded, the server healthy afterwards and a simple query answering quickly while a heavy one runs."""

from __future__ import annotations

import statistics
import threading
import time

import httpx
import pytest
import uvicorn

from graph_itsm.access.cost import MAX_COST
from tests.access.support import app_for, codes, post
from tests.graphql_client import grant


def _nested(depth: int) -> str:
    inner = "service { id }"
    for i in range(depth):
        inner = f"service {{ id {'consumers' if i % 2 else 'dependencies'} {{ {inner} }} }}"
    return "{ services(first: 50) { edges { node { id dependencies { " + inner + " } } } } }"


def test_deep_nesting_is_refused_before_it_runs_with_its_cost(northwind_store):
    app = app_for(northwind_store)
    northwind_store.round_trips = 0
    status, body = post(app, _nested(3))
    assert codes(body) == ["TOO_COMPLEX"], body
    cost = body["errors"][0]["extensions"]["cost"]
    assert cost["allowed"] == MAX_COST and cost["requested"] > MAX_COST
    assert northwind_store.round_trips == 0  # nothing reached the database


def test_many_aliased_impacts_are_refused(northwind_store):
    aliases = " ".join(f'a{i}: impact(failed: ["dc-east"]) {{ services {{ path }} }}' for i in range(30))
    assert codes(post(app_for(northwind_store), "{ " + aliases + " }")[1]) == ["TOO_COMPLEX"]


def test_ordinary_queries_stay_within_the_budget(northwind_store):
    app = app_for(northwind_store)
    ok = ['{ services(first: 500) { edges { node { id name owner dependencies(first: 20) { share service { id } } } } } }',
          '{ impact(failed: ["dc-east"]) { counts { services } services(first: 1000) { service { id } path } '
          'customers { customer { id } } } }',
          '{ costReport(period: "2026-01") { services(first: 100) { service { id } total } } }']
    for q in ok:
        assert codes(post(app, q)[1]) == [], q


def test_lists_without_first_cost_their_default_page(northwind_store):
    """A nested list without `first` weighs its default page (100), not a guess: 500 services with their
    dependencies are over the budget unless the page of dependencies is asked smaller."""
    app = app_for(northwind_store)
    wide = '{ services(first: 500) { edges { node { id dependencies { share service { id } } } } } }'
    status, body = post(app, wide)
    assert codes(body) == ["TOO_COMPLEX"] and body["errors"][0]["extensions"]["cost"]["requested"] > 500 * 100
    assert codes(post(app, wide.replace("dependencies {", "dependencies(first: 10) {"))[1]) == []
    # `first: null` is the default page too, on the impact lists as everywhere
    impact = '{ impact(failed: ["dc-east"]) { services(first: null) { service { id } } } }'
    assert codes(post(app, impact)[1]) == []


HOSTILE = "UNWIND range(1, 1000000000) AS x RETURN count(x)"


def test_hostile_range_is_refused_at_once_and_the_server_stays_healthy(northwind_store):
    app = app_for(northwind_store)
    token = grant(app, ["architect"])
    started = time.monotonic()
    status, body = post(app, "query($q: String!) { cypher(query: $q) { rows } }", token=token, variables={"q": HOSTILE})
    assert codes(body) == ["TOO_COMPLEX"] and time.monotonic() - started < 5
    assert northwind_store.ping()
    body = post(app, '{ cypher(query: "MATCH (s:Service) RETURN count(s) AS n") { rows } }', token=token)[1]
    assert body["data"]["cypher"]["rows"] == [[17]]


def test_rows_are_cut_while_reading(northwind_store):
    app = app_for(northwind_store)
    token = grant(app, ["architect"])
    body = post(app, '{ cypher(query: "UNWIND range(1, 20000) AS x RETURN x") { rows truncated } }', token=token)[1]
    assert body["data"]["cypher"]["truncated"] is True and len(body["data"]["cypher"]["rows"]) == 10_000


@pytest.fixture
def live_server(northwind_store):
    app = app_for(northwind_store)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield app, f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


# CPU-bound for as long as the database lets it run: 900 million rows from lists of 3,000 (within the range()
# check); a warm Neo4j counted 90 million in under 5 s, about when the 4 s limit is checked
HEAVY = "UNWIND range(1, 3000) AS x UNWIND range(1, 3000) AS y UNWIND [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] AS z " \
        "UNWIND [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] AS w WITH x, y, z, w WHERE (x + y + z + w) % 7 = 3 RETURN count(*) AS n"
HEAVY_MS = 4000  # the ad-hoc time limit for this test: the database ends HEAVY then (TOO_COMPLEX)
SIMPLE = "{ portfolioCounts { total } }"


def _p99(latencies: list[float]) -> float:
    return statistics.quantiles(latencies, n=100, method="inclusive")[98]


def _time_simple(client: httpx.Client, url: str, *, count: int | None = None,
                 until: threading.Event | None = None) -> list[float]:
    latencies: list[float] = []
    while (count is not None and len(latencies) < count) or (until is not None and not until.is_set()):
        t = time.monotonic()
        r = client.post(f"{url}/graphql", json={"query": SIMPLE})
        latencies.append(time.monotonic() - t)
        assert r.status_code == 200 and not r.json().get("errors"), r.text
    return latencies


def test_a_simple_query_keeps_answering_while_a_heavy_one_runs(live_server, monkeypatch):
    """While an ad-hoc query keeps the database busy until its time limit (enforced by the database), the p99 of a
    simple query stays under 500 ms. Measured against the same run's baseline (before and after), so the test shows
    what the hostile query adds, not how loaded the machine is: on a loaded machine the allowance is 3 times the
    baseline p99 (a stall behind the hostile query would add its whole duration, 4 s, to the waiting requests)."""
    from graph_itsm.analytics import runner

    monkeypatch.setattr(runner, "CYPHER_TIMEOUT_MS", HEAVY_MS)
    app, url = live_server
    token = grant(app, ["architect"])
    done, started = threading.Event(), threading.Event()
    heavy: dict = {}

    def run_heavy() -> None:
        with httpx.Client(timeout=60) as c:
            started.set()
            t = time.monotonic()
            r = c.post(f"{url}/graphql", json={"query": "query($q: String!) { cypher(query: $q) { rows } }",
                                               "variables": {"q": HEAVY}}, headers={"Authorization": f"Bearer {token}"})
            heavy.update(r.json(), seconds=time.monotonic() - t)
        done.set()

    with httpx.Client(timeout=30) as c:
        _time_simple(c, url, count=20)  # warm up: connections, caches
        baseline = _time_simple(c, url, count=200)
        threading.Thread(target=run_heavy, daemon=True).start()
        started.wait(5)
        time.sleep(0.3)  # the heavy query has reached the database
        during = _time_simple(c, url, until=done)
        after = _time_simple(c, url, count=200)  # the machine's load may change while the test runs
    assert codes(heavy) == ["TOO_COMPLEX"] and "time limit" in heavy["errors"][0]["message"], heavy
    assert heavy["seconds"] < HEAVY_MS / 1000 + 5  # ended by the database at its limit
    assert len(during) >= 10, f"only {len(during)} simple queries answered in {heavy['seconds']:.1f} s"
    base_p99, p99 = max(_p99(baseline), _p99(after)), _p99(during)
    print(f"simple query: baseline p99 {base_p99 * 1000:.0f} ms; while the heavy one ran for {heavy['seconds']:.1f} s:"
          f" {len(during)} requests, p50 {statistics.median(during) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms,"
          f" max {max(during) * 1000:.0f} ms")
    assert p99 < max(0.5, 3 * base_p99), (p99, base_p99)
    assert max(during) < HEAVY_MS / 1000 / 2  # nobody waited for the heavy query to end
