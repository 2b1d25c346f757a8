"""A start of the embedded database that hangs while loading is detected and made again.

FalkorDB 4.16.3 was seen once to deadlock while replaying a small append-only file: the server accepts
connections, never answers, and uses no CPU. A start used to wait for it as for a long load (30 minutes). These
tests stand a silent server in its place: a process that accepts on the socket and never replies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph_itsm.config import Settings
from graph_itsm.store import embedded, open_store
from graph_itsm.store.embedded import EmbeddedServer, _wait_loaded
from graph_itsm.store.queries import parse_query

_COUNT = parse_query("// name: t/count\n// returns: scalar\nMATCH (s:Service) RETURN count(s) AS n", name="t/count")
_ADD = parse_query(
    "// name: t/add\n// returns: write\n// param id: string\nCREATE (:Service {id: $id, name: $id})", name="t/add"
)

# Accepts every connection and keeps it open without a word; "spin" burns CPU meanwhile (a long, live load).
# The trailing "redis-server" argument makes it look like our server to the stale-server check.
_SILENT = textwrap.dedent(
    """
    import os, socket, sys, threading
    sock_path, pid_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(64)
    open(pid_path, "w").write(str(os.getpid()))
    if mode == "spin":
        threading.Thread(target=lambda: [None for _ in iter(int, 1)], daemon=True).start()
    held = []
    while True:
        held.append(srv.accept()[0])
    """
)


def _silent_server(sock_path: Path, pid_path: Path, mode: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", _SILENT, str(sock_path), str(pid_path), mode, "redis-server"])
    for _ in range(200):
        if sock_path.exists() and pid_path.exists():
            return proc
        time.sleep(0.02)
    proc.kill()
    raise AssertionError("the silent server did not start")


@pytest.fixture
def quick_stall(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded, "_STALL_S", 1.0)


def test_a_silent_server_using_no_cpu_is_called_stalled_not_loading(tmp_path: Path, quick_stall: None) -> None:
    proc = _silent_server(tmp_path / "s.sock", tmp_path / "s.pid", "idle")
    try:
        started = time.monotonic()
        state = _wait_loaded(tmp_path / "s.sock", lambda: True, 60.0, tmp_path, pid=proc.pid)
        assert state == "stalled"
        assert time.monotonic() - started < 20.0  # not the load timeout
    finally:
        proc.kill()
        proc.wait()


def test_a_silent_server_busy_loading_is_waited_for(tmp_path: Path, quick_stall: None) -> None:
    proc = _silent_server(tmp_path / "s.sock", tmp_path / "s.pid", "spin")
    try:
        state = _wait_loaded(tmp_path / "s.sock", lambda: True, 6.0, tmp_path, pid=proc.pid)
        assert state == "loading"  # CPU advances: a live load, however long
    finally:
        proc.kill()
        proc.wait()


def test_a_start_that_hangs_is_killed_and_made_again_with_the_data_intact(
    tmp_path: Path, quick_stall: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    store.write(_ADD, {"id": "kept"})
    store.close()

    real_command = EmbeddedServer._command
    calls: list[int] = []

    def hang_first(self: EmbeddedServer) -> list[str]:
        calls.append(1)
        if len(calls) == 1:
            return [sys.executable, "-c", _SILENT, str(self.socket_path), str(self.pid_path), "idle", "redis-server"]
        return real_command(self)

    monkeypatch.setattr(EmbeddedServer, "_command", hang_first)
    store = open_store(Settings(data_dir=tmp_path))
    try:
        assert len(calls) == 2
        assert store.scalar(_COUNT) == 1
        assert "hung while loading" in capsys.readouterr().err
    finally:
        store.close()


def test_joining_a_hung_server_replaces_it(tmp_path: Path, quick_stall: None) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    store.write(_ADD, {"id": "kept"})
    store.close()
    server = EmbeddedServer(tmp_path)
    hung = _silent_server(server.socket_path, server.pid_path, "idle")
    try:
        store = open_store(Settings(data_dir=tmp_path))
        try:
            assert store.scalar(_COUNT) == 1
            assert hung.wait(timeout=10) == -signal.SIGKILL
            assert int(server.pid_path.read_text()) != hung.pid
        finally:
            store.close()
    finally:
        if hung.poll() is None:
            hung.kill()
            hung.wait()
