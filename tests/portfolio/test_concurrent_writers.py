"""Concurrent writers on one database, on every backend: each write moves the graph and topology versions
exactly once, and the closed-cycle guard holds when the two halves of a cycle arrive at the same moment."""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterator

import pytest

from graph_itsm.errors import RuleViolation
from graph_itsm.portfolio import dependencies
from graph_itsm.portfolio.service import create_service
from graph_itsm.store import GraphStore, library
from graph_itsm.store.embedded import EmbeddedServer
from graph_itsm.store.falkordb_store import FalkorStore
from graph_itsm.store.neo4j_store import Neo4jStore
from graph_itsm.topology.cache import TopologyCache

WORKERS = 6


def _another_connection(store: GraphStore) -> GraphStore:
    """A second client of the same database, as another API process would be (a write lock of its own)."""
    if isinstance(store, Neo4jStore):
        return Neo4jStore(uri=store.uri, user=store.user, password=store.password, database=store.database)
    assert isinstance(store, FalkorStore) and store.server is not None
    return FalkorStore(server=EmbeddedServer(store.server.data_dir), graph_name=store.graph_name)


@pytest.fixture(params=["one process", "several processes"])
def writers(store: GraphStore, request: pytest.FixtureRequest) -> Iterator[list[GraphStore]]:
    """The store each worker writes through: one shared client, or a client each (so only the version check
    inside the write keeps them apart)."""
    if request.param == "one process":
        yield [store] * WORKERS
        return
    others = [_another_connection(store) for _ in range(WORKERS)]
    try:
        yield others
    finally:
        for other in others:
            other.close()


def _together(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs in threads released at once; each job's result or the exception it raised."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(k: int) -> None:
        barrier.wait()
        try:
            results[k] = jobs[k]()
        except Exception as e:  # noqa: BLE001 - the test looks at what each job raised
            results[k] = e

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _versions(store: GraphStore) -> tuple[int, int]:
    q = library()
    return int(store.scalar(q["store/get_version"]) or 0), int(store.scalar(q["store/get_topology_version"]) or 0)


def _service(sid: str) -> dict[str, Any]:
    return {"id": sid, "name": sid, "kind": "SUPPORTING", "owner": "ops", "criticality": 2}


def test_every_concurrent_write_moves_both_versions_once(store: GraphStore, writers: list[GraphStore]) -> None:
    before = _versions(store)

    def writer(w: int) -> Callable[[], list[str]]:
        def job() -> list[str]:
            return [create_service(writers[w], _service(f"w{w}-s{k}"), actor=f"writer-{w}")["id"] for k in range(4)]
        return job

    results = _together([writer(w) for w in range(WORKERS)])
    assert not [r for r in results if isinstance(r, Exception)], results
    written = 4 * WORKERS
    after = _versions(store)
    assert after == (before[0] + written, before[1] + written)
    rows = store.read_tuples(library()["topology/services"])
    assert sorted(r[0] for r in rows) == sorted(f"w{w}-s{k}" for w in range(WORKERS) for k in range(4))


def test_two_halves_of_a_closed_cost_cycle_at_once_are_never_both_written(
    store: GraphStore, writers: list[GraphStore]
) -> None:
    pairs = [(f"a{k}", f"b{k}") for k in range(WORKERS // 2)]
    for a, b in pairs:
        create_service(store, _service(a), actor="setup")
        create_service(store, _service(b), actor="setup")
    jobs: list[Callable[[], Any]] = []
    for k, (a, b) in enumerate(pairs):  # a passes all its cost to b and b all of its to a: I - A would be singular
        one, two = writers[2 * k], writers[2 * k + 1]
        # each writer with the projection its app's state would hold: the guard checks against it
        t1, t2 = TopologyCache(one), TopologyCache(two)
        jobs.append(lambda a=a, b=b, w=one, t=t1: dependencies.add_dependency(w, a, b, {"share": 1.0}, actor="x",
                                                                              topology=t))
        jobs.append(lambda a=a, b=b, w=two, t=t2: dependencies.add_dependency(w, b, a, {"share": 1.0}, actor="y",
                                                                              topology=t))
    results = _together(jobs)
    for k in range(len(pairs)):
        first, second = results[2 * k], results[2 * k + 1]
        refused = [r for r in (first, second) if isinstance(r, Exception)]
        assert len(refused) == 1, (first, second)
        assert isinstance(refused[0], RuleViolation) and refused[0].extensions.get("rule") == "closed-cycle", refused
    edges = store.read_tuples(library()["topology/dependencies"])
    assert len(edges) == len(pairs)
