"""The embedded database always reopens, whatever size was imported: a CLI import compacts its append-only
file before its server stops, so the next start loads a snapshot instead of replaying the import (FalkorDB only:
the embedded server is the one that has an append-only file to replay)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from graph_itsm.store.embedded import EmbeddedServer, _info_persistence

REPO = Path(__file__).resolve().parents[2]


def _env(data: Path) -> dict[str, str]:
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(data)}
    env.pop("GRAPH_ITSM_DB", None)
    return env


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_within_30_s_after_a_cli_import_of_20000_services(tmp_path: Path) -> None:
    doc = tmp_path / "estate.json"
    subprocess.run([sys.executable, str(REPO / "bench" / "generate.py"), "--services", "20000", "--out", str(doc)],
                   check=True, timeout=120)
    data = tmp_path / "data"
    imported = subprocess.run([sys.executable, "-m", "graph_itsm.cli", "import", str(doc)],
                              env=_env(data), capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr
    # the compaction the import started finished before its server stopped: nothing left to replay
    assert sum(f.stat().st_size for f in (data / "appendonlydir").glob("*.incr.aof")) < 1_000_000
    assert not (data / "falkordb.sock").exists()

    port = _free_port()
    started = time.monotonic()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph_itsm.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env=_env(data), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        healthy = False
        while time.monotonic() - started < 30 and not healthy:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                healthy = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                time.sleep(0.2)
        assert healthy, "serve did not answer /healthz within 30 s"
        body = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": "{ services { totalCount } }"},
                          timeout=30).json()
        assert body["data"]["services"]["totalCount"] == 20000
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_the_last_client_lets_a_running_compaction_finish_before_it_stops_the_server(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data")
    sock = server.start()
    try:
        import redis

        r = redis.Redis(unix_socket_path=str(sock))
        r.execute_command("GRAPH.QUERY", "g", "UNWIND range(1, 20000) AS i CREATE (:N {i: i, s: 'x' + toString(i)})")
        r.execute_command("BGREWRITEAOF")
        r.close()
        assert _info_persistence(sock).get("aof_enabled") == "1"
    finally:
        server.close()
    log = (tmp_path / "data" / "falkordb.log").read_text()
    assert log.index("Background AOF rewrite finished successfully") < log.index("User requested shutdown")
    assert sum(f.stat().st_size for f in (tmp_path / "data" / "appendonlydir").glob("*.incr.aof")) < 10_000
