"""The server keeps answering while a slow database call runs: GraphQL operations run on worker threads, so
neither /healthz nor other queries wait behind one; and ``serve --workers 2`` runs two processes on one
database, each seeing the other's writes (its topology too)."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from graph_itsm.api.app import create_app
from graph_itsm.store import GraphStore
from tests.graphql_client import grant

SLOW_S = 3.0


def _slow_reads_of(store: GraphStore, name: str, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """From now on, reads of the query ``name`` take SLOW_S longer (a blocking call, as a busy database is);
    the event is set once such a read has started."""
    started = threading.Event()
    read = store.read

    def slow_read(query: Any, params: Any = None) -> Any:
        if query.name == name:
            started.set()
            time.sleep(SLOW_S)
        return read(query, params)

    monkeypatch.setattr(store, "read", slow_read)
    return started


def test_health_and_other_queries_answer_while_a_slow_query_runs(
        northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(northwind_store)
    headers = {"Authorization": f"Bearer {grant(app, ['admin'])}"}
    started = _slow_reads_of(northwind_store, "portfolio/get_services", monkeypatch)

    async def scenario() -> dict[str, Any]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", headers=headers) as http:
            async def timed(coro: Any) -> tuple[float, httpx.Response]:
                t0 = time.perf_counter()
                response = await coro
                return time.perf_counter() - t0, response

            slow = asyncio.create_task(timed(http.post("/graphql", json={
                "query": 'query { service(id: "web-shop") { id name } }'})))
            while not started.is_set():
                await asyncio.sleep(0.01)
            health = await timed(http.get("/healthz"))
            trivial = await timed(http.post("/graphql", json={"query": "{ __typename }"}))
            count = await timed(http.post("/graphql", json={"query": "{ customers { id } }"}))
            return {"slow": await slow, "health": health, "trivial": trivial, "count": count}

    times = asyncio.run(scenario())
    slow_s, slow = times["slow"]
    assert slow.json() == {"data": {"service": {"id": "web-shop", "name": "Web shop"}}}
    assert slow_s >= SLOW_S
    for what in ("health", "trivial", "count"):
        took, response = times[what]
        assert response.status_code == 200, response.text
        assert took < SLOW_S / 2, f"{what} waited {took:.2f} s behind the slow query"
    assert len(times["count"][1].json()["data"]["customers"]) == 4


def test_operations_run_at_most_threads_at_once(northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool is bounded: with one thread, a second slow operation waits for the first."""
    app = create_app(northwind_store, threads=1)
    _slow_reads_of(northwind_store, "portfolio/get_services", monkeypatch)
    query = {"query": 'query { service(id: "web-shop") { id } }'}

    async def scenario() -> float:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as http:
            t0 = time.perf_counter()
            answers = await asyncio.gather(http.post("/graphql", json=query), http.post("/graphql", json=query))
            assert all(a.json()["data"]["service"]["id"] == "web-shop" for a in answers)
            return time.perf_counter() - t0

    assert asyncio.run(scenario()) >= 2 * SLOW_S


# -- serve --workers 2 ---------------------------------------------------------------------------------------

def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _server_pid(conn: http.client.HTTPConnection, server_port: int, pids: list[int]) -> int | None:
    """Which of ``pids`` holds the server end of ``conn``'s TCP connection (from /proc/net/tcp)."""
    client_port = conn.sock.getsockname()[1]
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        parts = line.split()
        local, remote = parts[1], parts[2]
        if int(local.split(":")[1], 16) == server_port and int(remote.split(":")[1], 16) == client_port:
            inode = parts[9]
    if inode is None:
        return None
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") == f"socket:[{inode}]":
                    return pid
        except OSError:
            continue
    return None


def _post(conn: http.client.HTTPConnection, query: str, token: str) -> dict[str, Any]:
    conn.request("POST", "/graphql", body=json.dumps({"query": query}),
                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    body = json.loads(conn.getresponse().read())
    assert not body.get("errors"), body
    return body["data"]


def test_serve_with_two_workers_shares_one_database(tmp_path: Path) -> None:
    data, port = tmp_path / "data", _free_port()
    env = {k: v for k, v in os.environ.items() if k != "GRAPH_ITSM_DB"}
    server = subprocess.Popen(
        [sys.executable, "-m", "graph_itsm.cli", "--data-dir", str(data), "serve", "--demo", "--workers", "2",
         "--port", str(port), "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    conns: dict[int, http.client.HTTPConnection] = {}
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "the API did not become healthy"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200 \
                        and len(_children(server.pid)) >= 2:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        made = subprocess.run([sys.executable, "-m", "graph_itsm.cli", "--data-dir", str(data), "token", "create",
                               "--name", "editor", "--role", "portfolio"], capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
        token = made.stdout.strip()
        # keep-alive connections until one reaches each worker (the kernel decides which worker accepts)
        for _ in range(200):
            workers = _children(server.pid)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            _post(conn, "{ __typename }", token)
            pid = _server_pid(conn, port, workers)
            if pid is not None and pid not in conns:
                conns[pid] = conn
            else:
                conn.close()
            if len(conns) == 2:
                break
        assert len(conns) == 2, "no connection reached the second worker"
        a, b = conns.values()
        # small answers are not held back by Nagle's algorithm waiting for the client's delayed ACK (~40 ms)
        took = []
        for _ in range(15):
            t0 = time.perf_counter()
            _post(a, "{ __typename }", token)
            took.append(time.perf_counter() - t0)
        assert sorted(took)[len(took) // 2] < 0.035, took

        _post(a, 'mutation { updateService(id: "payroll", input: {name: "Payroll (renamed)"}) { name } }', token)
        assert _post(b, '{ service(id: "payroll") { name } }', token)["service"]["name"] == "Payroll (renamed)"

        # a topology write through b (a new consumer of web-shop) is in a's projection at once
        impact = '{ impact(failed: ["web-shop"]) { services { service { id } } } }'
        impacted = lambda conn: {s["service"]["id"] for s in _post(conn, impact, token)["impact"]["services"]}  # noqa: E731
        assert "mobile-shop" not in impacted(a)
        _post(b, 'mutation { createService(input: {id: "mobile-shop", name: "Mobile shop", kind: CUSTOMER_FACING, '
                 'owner: "Digital", criticality: 3}) { id } }', token)
        _post(b, 'mutation { addDependency(input: {consumer: "mobile-shop", provider: "web-shop"}) { id } }', token)
        assert "mobile-shop" in impacted(a)
        _post(a, 'mutation { removeDependency(consumer: "mobile-shop", provider: "web-shop") { id } }', token)
        assert "mobile-shop" not in impacted(b)
    finally:
        for conn in conns.values():
            conn.close()
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0 or server.returncode == -15
