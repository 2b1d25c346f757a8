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


def test_a_server_too_busy_replaying_to_answer_counts_as_loading_not_as_dead(tmp_path: Path, capsys) -> None:
    """While the server replays one long command it accepts connections but answers nothing: the start keeps
    waiting (saying so) instead of killing it at the start deadline."""
    import socket
    import threading

    import graph_itsm.store.embedded as embedded

    path = tmp_path / "busy.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept_and_say_nothing() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept_and_say_nothing, daemon=True)
    thread.start()
    try:
        assert embedded._ping(path) == "loading"
        saved = embedded._PROGRESS_EVERY_S
        embedded._PROGRESS_EVERY_S = 0.0
        try:
            started = time.monotonic()
            state = embedded._wait_loaded(path, lambda: time.monotonic() - started < 3, 60, tmp_path)
        finally:
            embedded._PROGRESS_EVERY_S = saved
        assert state == "loading" and time.monotonic() - started >= 3  # waited as long as the server lived
        assert "is loading its data" in capsys.readouterr().err
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
