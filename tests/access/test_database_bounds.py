"""Ad-hoc Cypher bounded by the database itself (issue 10). The embedded FalkorDB: TIMEOUT_MAX and TIMEOUT_DEFAULT on
every server, and ad-hoc Cypher in the sandbox (graph_itsm/store/sandbox.py), a copy of the graph on a server of its
own with QUERY_MEM_CAPACITY fixed at its start, never on the server that holds the graph
(docs/falkordb-plan-cache-fault.md says why). Neo4j: its transaction timeout and ``db.memory.transaction.max``,
whose refusal (a TransientError the driver would retry for 30 s) is answered at once. The text check of ``range()``
(graph_itsm.analytics.bounds) is bypassed here: these queries go to the store."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from graph_itsm.config import Settings
from graph_itsm.errors import TooComplex
from graph_itsm.store import GraphStore, Query, open_store
from graph_itsm.store.embedded import QUERY_MEMORY_BYTES, QUERY_TIMEOUT_MAX_MS
from tests.access.support import app_for, codes, post
from tests.graphql_client import grant

SIMPLE = "MATCH (s:Service) RETURN count(s) AS n"
SIMPLE_QUERY = Query(name="test/count_services", text=SIMPLE, returns="scalar", params={})
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
def huge_collect(store: GraphStore) -> Iterator[dict[str, Any]]:
    """Params of a collect() twice the size one query may allocate. On the embedded FalkorDB the sandbox's cap
    is lowered to 64 MB for this test (and restored), so the refusal comes quickly; on Neo4j it is the server's
    own cap."""
    if store.backend == "falkordb":
        sandbox = store._sandbox
        before = sandbox.memory_bytes
        sandbox.memory_bytes = 64 * _MB
        sandbox.discard()  # the next one starts with the lower cap
        yield {"n": 128}
        sandbox.memory_bytes = before
        sandbox.discard()
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
        assert store.scalar(SIMPLE_QUERY) == 0  # a query of the product's own, on the graph's server
        latencies.append(time.monotonic() - t)
        time.sleep(0.01)
    thread.join(60)
    assert not thread.is_alive()
    return outcome["value"], latencies


def _load_time_args(store: GraphStore, connection: Any) -> list[str]:
    modules = [{_text(k): v for k, v in (m.items() if isinstance(m, dict) else zip(m[::2], m[1::2]))}
               for m in connection.execute_command("MODULE", "LIST")]
    graph = next(m for m in modules if _text(m["name"]) == "graph")
    return [_text(a) for a in graph["args"]]  # load-time options, not only GRAPH.CONFIG SET


def _cypher(store: GraphStore, text: str, **params: Any) -> list[list[Any]]:
    return store.read_only(text, params, timeout_ms=5000, max_rows=100).rows


def test_the_graphs_server_bounds_time_and_the_sandbox_time_and_memory(falkordb):
    """The graph's server: a time limit, no memory cap (a query ended at its cap can leave FalkorDB 4.16
    answering with wrong plans, docs/falkordb-plan-cache-fault.md; only ad-hoc Cypher needs one, and it runs in
    the sandbox, which has both)."""
    assert _config(falkordb, "TIMEOUT_MAX") == QUERY_TIMEOUT_MAX_MS
    assert _config(falkordb, "TIMEOUT_DEFAULT") == QUERY_TIMEOUT_MAX_MS
    assert _config(falkordb, "QUERY_MEM_CAPACITY") == 0
    args = _load_time_args(falkordb, falkordb._db.connection)
    assert args[args.index("TIMEOUT_MAX") + 1] == str(QUERY_TIMEOUT_MAX_MS)
    assert args[args.index("QUERY_MEM_CAPACITY") + 1] == "0"

    assert _cypher(falkordb, "RETURN 1 AS one") == [[1]]
    sandbox = falkordb._sandbox._db.connection
    assert sandbox.execute_command("GRAPH.CONFIG", "GET", "QUERY_MEM_CAPACITY")[1] == QUERY_MEMORY_BYTES
    assert sandbox.execute_command("GRAPH.CONFIG", "GET", "TIMEOUT_MAX")[1] == QUERY_TIMEOUT_MAX_MS
    args = _load_time_args(falkordb, sandbox)
    assert args[args.index("QUERY_MEM_CAPACITY") + 1] == str(QUERY_MEMORY_BYTES)


def test_ad_hoc_cypher_answers_from_a_copy_no_older_than_the_question(falkordb):
    write = Query(name="test/add", text="CREATE (:Service {id: $id}) WITH 1 AS x MERGE (m:Meta {id: 'graph'}) "
                  "SET m.version = coalesce(m.version, 0) + 1", returns="write", params={"id": "string"})
    count = "MATCH (s:Service) RETURN count(s) AS n"
    falkordb.write(write, {"id": "a"})
    assert _cypher(falkordb, count) == [[1]]
    copies = falkordb._sandbox.copies
    assert _cypher(falkordb, count) == [[1]] and falkordb._sandbox.copies == copies  # nothing moved: no new copy
    falkordb.write(write, {"id": "b"})
    assert _cypher(falkordb, count) == [[2]] and falkordb._sandbox.copies == copies + 1


def test_the_sandbox_holds_no_api_tokens_and_cannot_touch_the_graph(falkordb):
    falkordb.write(Query(name="test/token", text="CREATE (:ApiToken {id: 'ci', hash: 'h', roles: ['admin']})",
                         returns="write", params={}))
    assert _cypher(falkordb, "MATCH (t:ApiToken) RETURN count(t) AS n") == [[0]]
    assert falkordb.scalar(Query(name="test/tokens", text="MATCH (t:ApiToken) RETURN count(t) AS n",
                                 returns="scalar", params={})) == 1


def test_a_memory_refusal_throws_the_sandbox_away_and_the_next_query_gets_a_new_one(falkordb, huge_collect):
    sandbox = falkordb._sandbox
    assert _cypher(falkordb, "RETURN 1 AS one") == [[1]]
    first = sandbox.server.pid_path.read_text().strip()
    discarded = sandbox.discarded
    with pytest.raises(TooComplex, match="memory limit"):
        falkordb.read_only(HUGE_COLLECT, huge_collect, timeout_ms=60_000, max_rows=10)
    assert sandbox.discarded == discarded + 1 and sandbox.server is None
    assert _cypher(falkordb, SIMPLE) == [[0]]
    assert sandbox.server.pid_path.read_text().strip() != first
    assert falkordb.ping() and falkordb.scalar(SIMPLE_QUERY) == 0


def test_a_sandbox_left_by_a_killed_process_is_stopped_and_removed(falkordb, tmp_path):
    """A process that ran ad-hoc Cypher and was killed leaves its sandbox's server running; the next sandbox on
    that data directory stops it and removes its folder."""
    data_dir = tmp_path / "data"
    script = ("import os, signal, sys\n"
              "from pathlib import Path\n"
              "from graph_itsm.config import Settings\n"
              "from graph_itsm.store import open_store\n"
              "store = open_store(Settings(data_dir=Path(sys.argv[1])))\n"
              "store.read_only('RETURN 1 AS one', {}, timeout_ms=5000, max_rows=1)\n"
              "print(store._sandbox.server.pid_path.read_text().strip(), flush=True)\n"
              "os.kill(os.getpid(), signal.SIGKILL)\n")
    done = subprocess.run([sys.executable, "-c", script, str(data_dir)], capture_output=True, text=True, timeout=120)
    left_pid = int(done.stdout.strip())
    assert _alive(left_pid)
    folders = list((data_dir / "sandbox").iterdir())
    assert len(folders) == 1

    store = open_store(Settings(data_dir=data_dir))
    try:
        assert _cypher(store, "RETURN 2 AS two") == [[2]]
        deadline = time.monotonic() + 10
        while _alive(left_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(left_pid)
        assert not folders[0].exists()
    finally:
        store.close()
        if _alive(left_pid):
            os.kill(left_pid, signal.SIGKILL)
        # the killed process also left the graph's server of that data directory running: stop it
        pid_file = data_dir / "falkordb.pid"
        if pid_file.exists() and _alive(int(pid_file.read_text().strip() or 0)):
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]


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
