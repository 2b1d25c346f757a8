"""Ad-hoc Cypher bounded by the database itself (issue 10): FalkorDB's TIMEOUT_MAX, TIMEOUT_DEFAULT and
QUERY_MEM_CAPACITY, set when the embedded server starts; Neo4j's transaction timeout and
``db.memory.transaction.max``, whose refusal (a TransientError the driver would retry for 30 s) is answered at once.
The text check of ``range()`` (graph_itsm.analytics.bounds) is bypassed here: these queries go to the store."""

from __future__ import annotations

import re
import threading
import time
from typing import Any, Callable, Iterator

import pytest

from graph_itsm.config import Settings
from graph_itsm.errors import TooComplex
from graph_itsm.store import GraphStore, open_store
from graph_itsm.store.embedded import QUERY_MEMORY_BYTES, QUERY_TIMEOUT_MAX_MS
from tests.access.support import app_for, codes, post
from tests.graphql_client import grant

SIMPLE = "MATCH (s:Service) RETURN count(s) AS n"
# 100 million rows from two small lists: no list is large, only the work (the text check lets it through)
ENDLESS = "UNWIND range(1, 10000) AS x UNWIND range(1, 10000) AS y RETURN count(*) AS n"
# a large collect(): $n strings of 2^20 characters each (made by the database: the request stays small)
HUGE_COLLECT = ("WITH reduce(s = 'x', i IN range(1, 20) | s + s) AS pad "
                "UNWIND range(1, $n) AS x RETURN size(collect(toString(x) + pad)) AS n")
_MB = 1024 * 1024


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _config(store: GraphStore, name: str) -> int:
    return int(store._db.connection.execute_command("GRAPH.CONFIG", "GET", name)[1])


def _set_config(store: GraphStore, name: str, value: int) -> None:
    store._db.connection.execute_command("GRAPH.CONFIG", "SET", name, value)


def _neo4j_transaction_max(store: GraphStore) -> int:
    """``db.memory.transaction.max`` of the server, in bytes (the CI server and a developer's differ)."""
    with store._driver.session() as session:
        value = session.run("SHOW SETTINGS YIELD name, value WHERE name = 'db.memory.transaction.max' "
                            "RETURN value").single()["value"]
    m = re.fullmatch(r"([\d.]+)\s*([KMGT]i?B?|B)?", value.strip(), re.I)
    assert m, value
    unit = (m.group(2) or "B").upper()[0]
    return int(float(m.group(1)) * {"B": 1, "K": 1024, "M": _MB, "G": 1024 * _MB, "T": 1024**4}[unit])


@pytest.fixture
def store(store: GraphStore, tmp_path) -> Iterator[GraphStore]:
    """On FalkorDB the hostile queries run on an embedded server of their own, not the suite's shared one: in 2 of
    10 runs of the fuzz test, then these, then tests/access/test_every_field.py on one server, later queries of
    that server failed ("Missing parameters", rows of the wrong width) until it was restarted. The cause is not
    found yet (FalkorDB 4.16 after a query it ended, or the client's connections); until it is, the suite keeps
    its shared server clean. On Neo4j: the suite's server."""
    if store.backend != "falkordb":
        yield store
        return
    own = open_store(Settings(data_dir=tmp_path / "hostile"))
    try:
        yield own
    finally:
        own.close()


@pytest.fixture
def huge_collect(store: GraphStore) -> Iterator[dict[str, Any]]:
    """Params of a collect() twice the size one query may allocate. On the embedded FalkorDB the cap is lowered
    to 64 MB for this test (and restored), so the refusal comes quickly; on Neo4j it is the server's own cap."""
    if store.backend == "falkordb":
        before = _config(store, "QUERY_MEM_CAPACITY")
        _set_config(store, "QUERY_MEM_CAPACITY", 64 * _MB)
        yield {"n": 128}
        _set_config(store, "QUERY_MEM_CAPACITY", before)
    else:
        limit = _neo4j_transaction_max(store)
        yield {"n": 2 * limit // _MB}


def _while_running(hostile: Callable[[], Any], store: GraphStore) -> tuple[Any, list[float]]:
    """Run ``hostile`` in a thread; meanwhile time a simple query again and again. Its outcome (a value or the
    exception) and the simple query's latencies."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = hostile()
        except Exception as e:  # noqa: BLE001 - the outcome is what the test looks at
            outcome["value"] = e

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    latencies: list[float] = []
    while thread.is_alive() and len(latencies) < 1000:
        t = time.monotonic()
        assert store.read_only(SIMPLE, {}, timeout_ms=5000, max_rows=10).rows == [[0]]
        latencies.append(time.monotonic() - t)
        time.sleep(0.01)
    thread.join(60)
    assert not thread.is_alive()
    return outcome["value"], latencies


def test_the_embedded_server_starts_with_its_query_bounds(falkordb):
    assert _config(falkordb, "TIMEOUT_MAX") == QUERY_TIMEOUT_MAX_MS
    assert _config(falkordb, "TIMEOUT_DEFAULT") == QUERY_TIMEOUT_MAX_MS
    assert _config(falkordb, "QUERY_MEM_CAPACITY") == QUERY_MEMORY_BYTES
    modules = [{_text(k): v for k, v in (m.items() if isinstance(m, dict) else zip(m[::2], m[1::2]))}
               for m in falkordb._db.connection.execute_command("MODULE", "LIST")]
    graph = next(m for m in modules if _text(m["name"]) == "graph")
    args = [_text(a) for a in graph["args"]]  # load-time options, not only GRAPH.CONFIG SET
    assert args[args.index("QUERY_MEM_CAPACITY") + 1] == str(QUERY_MEMORY_BYTES)
    assert args[args.index("TIMEOUT_MAX") + 1] == str(QUERY_TIMEOUT_MAX_MS)


def test_a_query_over_its_time_is_ended_by_the_database(store):
    started = time.monotonic()
    outcome, latencies = _while_running(lambda: store.read_only(ENDLESS, {}, timeout_ms=1000, max_rows=10), store)
    assert isinstance(outcome, TooComplex) and "time limit" in str(outcome), outcome
    assert time.monotonic() - started < 15
    assert store.ping() and store.read_only(SIMPLE, {}, timeout_ms=5000, max_rows=10).rows == [[0]]
    assert latencies, "the simple query never ran beside the hostile one"


def test_a_query_over_its_memory_is_refused_by_the_database_at_once(store, huge_collect):
    """Neo4j: the refusal is a TransientError; retried, it would take 30 s or more. Here: one attempt."""
    started = time.monotonic()
    outcome, latencies = _while_running(
        lambda: store.read_only(HUGE_COLLECT, huge_collect, timeout_ms=60_000, max_rows=10), store)
    elapsed = time.monotonic() - started
    assert isinstance(outcome, TooComplex) and "memory limit" in str(outcome), outcome
    assert elapsed < 28, f"refused after {elapsed:.1f} s: was it retried?"
    assert store.ping() and store.read_only(SIMPLE, {}, timeout_ms=5000, max_rows=10).rows == [[0]]
    assert latencies


def test_the_cypher_field_answers_too_complex_for_a_query_over_its_memory(store, huge_collect):
    app = app_for(store)
    token = grant(app, ["architect"])
    status, body = post(app, "query($q: String!, $p: JSON) { cypher(query: $q, params: $p) { rows } }",
                        token=token, variables={"q": HUGE_COLLECT, "p": huge_collect})
    assert codes(body) == ["TOO_COMPLEX"], body
    assert "memory" in body["errors"][0]["message"]
    assert post(app, "{ portfolioCounts { total } }", token=token)[1]["data"]["portfolioCounts"]["total"] == 0
