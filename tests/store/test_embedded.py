"""The embedded FalkorDB's life cycle: sharing, crash recovery, durability, clear start-up errors."""

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
from graph_itsm.errors import StoreError
from graph_itsm.store import open_store
from graph_itsm.store.embedded import EmbeddedServer
from graph_itsm.store.queries import parse_query

_COUNT = parse_query("// name: t/count\n// returns: scalar\nMATCH (s:Service) RETURN count(s) AS n", name="t/count")
_ADD = parse_query(
    "// name: t/add\n// returns: write\n// param id: string\nCREATE (:Service {id: $id, name: $id})", name="t/add"
)


def _server_pid(data_dir: Path) -> int:
    return int((data_dir / "falkordb.pid").read_text())


def test_second_store_on_same_directory_shares_the_running_server(tmp_path: Path) -> None:
    first = open_store(Settings(data_dir=tmp_path))
    pid = _server_pid(tmp_path)
    second = open_store(Settings(data_dir=tmp_path))
    try:
        first.write(_ADD, {"id": "a"})
        assert second.scalar(_COUNT) == 1
        assert _server_pid(tmp_path) == pid
    finally:
        first.close()
    # the first client left; the server stays for the second
    assert second.ping()
    second.close()
    assert not (tmp_path / "falkordb.sock").exists()


def test_data_survives_a_restart(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    store.write(_ADD, {"id": "kept"})
    store.close()
    store = open_store(Settings(data_dir=tmp_path))
    try:
        assert store.scalar(_COUNT) == 1
    finally:
        store.close()


def test_sigkilled_client_leaves_a_usable_server_and_no_lost_writes(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from graph_itsm.config import Settings
        from graph_itsm.store import open_store
        from graph_itsm.store.queries import parse_query
        q = parse_query("// name: t/add\\n// returns: write\\n// param id: string\\nCREATE (:Service {{id: $id}})", name="t/add")
        s = open_store(Settings(data_dir=Path({str(tmp_path)!r})))
        s.write(q, {{"id": "before-kill"}})
        print("written", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = open_store(Settings(data_dir=tmp_path))
    try:
        assert store.scalar(_COUNT) == 1
    finally:
        store.close()


def test_sigkilled_server_is_replaced_and_acknowledged_writes_survive(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    store.write(_ADD, {"id": "acknowledged"})
    os.kill(_server_pid(tmp_path), signal.SIGKILL)
    time.sleep(0.2)
    # the socket and pid file are left behind, stale
    assert (tmp_path / "falkordb.pid").exists()
    again = open_store(Settings(data_dir=tmp_path))
    try:
        assert again.scalar(_COUNT) == 1
    finally:
        again.close()
        store.close()  # the last client leaves: the replacement server stops
    assert not (tmp_path / "falkordb.sock").exists()


def test_unwritable_data_directory_gives_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    with pytest.raises(StoreError, match="data directory"):
        EmbeddedServer(blocker / "sub").start()


def test_long_data_directory_paths_still_get_a_socket(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    store = open_store(Settings(data_dir=deep))
    try:
        assert store.ping()
    finally:
        store.close()


def test_restart_after_a_large_import_loads_everything(tmp_path: Path) -> None:
    """Regression: FalkorDB 4.16 crashed replaying MULTI/EXEC imports from its append-only file."""
    from graph_itsm.portfolio import document_from_data
    from graph_itsm.portfolio.importer import import_document

    n = 2000
    services = [
        {"id": f"svc-{i:05d}", "name": f"S{i}", "kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "ops",
         "criticality": 3, "dependsOn": [{"service": f"svc-{i + k:05d}"} for k in (1, 2, 3) if i + k < n]}
        for i in range(n)
    ]
    store = open_store(Settings(data_dir=tmp_path))
    import_document(store, document_from_data({"currency": "EUR", "services": services}))
    store.close()
    store = open_store(Settings(data_dir=tmp_path))
    try:
        assert store.scalar(_COUNT) == n
    finally:
        store.close()
