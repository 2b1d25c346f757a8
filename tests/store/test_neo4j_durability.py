"""Durability on Neo4j: SIGKILL the server during a stream of acknowledged mutations, start it again, and every
acknowledged write is there; the running API reconnects by itself (health back to 200 without a restart).

The test starts a Neo4j server of its own (killing the suite's shared one would break the other tests), with
the start script of ../shared/neo4j or the one ``GRAPH_ITSM_NEO4J_START`` names; without one it skips."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.config import Settings
from graph_itsm.store import open_store
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import CREATE_SERVICE

REPO = Path(__file__).resolve().parents[2]
START = Path(os.environ.get("GRAPH_ITSM_NEO4J_START", REPO.parent / "shared" / "neo4j" / "start"))

pytestmark = pytest.mark.neo4j


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(folder: Path, port: int) -> str:
    env = {**os.environ, "NEO4J_HEAP": "512m", "NEO4J_PASSWORD": ""}
    done = subprocess.run([str(START), str(folder), str(port)], capture_output=True, text=True, env=env, timeout=200)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.fixture
def own_neo4j(tmp_path: Path):
    if not START.exists():
        pytest.skip(f"no Neo4j start script at {START} (set GRAPH_ITSM_NEO4J_START) to run a server of its own")
    folder, port = tmp_path / "neo4j", _free_port()
    uri = _start(folder, port)
    yield folder, port, uri
    subprocess.run([str(START.parent / "stop"), str(folder)], capture_output=True, timeout=90)


def test_acknowledged_writes_survive_a_sigkill_and_the_api_reconnects(own_neo4j) -> None:
    folder, port, uri = own_neo4j
    store = open_store(Settings(db_url=uri))
    client = GraphQLClient(create_app(store))
    acknowledged: list[str] = []
    refused = 0
    stop = threading.Event()

    def writer() -> None:
        nonlocal refused
        n = 0
        while not stop.is_set():
            sid = f"svc-{n:05d}"
            n += 1
            body = client.execute(CREATE_SERVICE, input={
                "id": sid, "name": f"Service {n}", "kind": "SUPPORTING", "owner": "ops", "criticality": 2,
            })
            if body.get("errors"):
                refused += 1
                time.sleep(0.05)
            else:
                acknowledged.append(sid)

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    deadline = time.monotonic() + 180  # a loaded machine may take a while to open the database
    while len(acknowledged) < 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(acknowledged) >= 30, "the writes did not get going"

    pid = int((folder / "neo4j.pid").read_text())
    os.kill(pid, signal.SIGKILL)
    acked_at_kill = len(acknowledged)
    down_seen = False
    for _ in range(100):
        if client.http.get("/healthz").status_code == 503:
            down_seen = True
            break
        time.sleep(0.1)
    assert down_seen, "health never reported the database gone"

    _start(folder, port)  # the same store, recovered
    deadline = time.monotonic() + 180
    while client.http.get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "the API did not reconnect by itself"
        time.sleep(0.2)
    more = len(acknowledged) + 10
    while len(acknowledged) < more and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    thread.join(timeout=60)
    assert len(acknowledged) >= more, "writes did not resume after the restart"

    found = {row["node"]["id"] for row in _all_services(client)}
    assert set(acknowledged) <= found, sorted(set(acknowledged) - found)[:10]
    assert acked_at_kill >= 30
    store.close()


def _all_services(client: GraphQLClient) -> list[dict]:
    query = "query($after: String) { services(first: 500, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    rows, after = [], None
    while True:
        page = client.data(query, after=after)["services"]
        rows += page["edges"]
        if not page["pageInfo"]["hasNextPage"]:
            return rows
        after = page["pageInfo"]["endCursor"]
