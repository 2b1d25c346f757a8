"""The command line and the data it works on: one database per data directory, named on stderr by every
command; the demo never overwrites; backup and restore as a user runs them (separate processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from graph_itsm.config import Settings
from graph_itsm.store import GraphStore, open_store
from graph_itsm.store.backup import dump
from tests.conftest import NORTHWIND
from tests.test_cli import _free_port, _wait_healthy


def _cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("GRAPH_ITSM_DB", "GRAPH_ITSM_DATA_DIR")}
    return subprocess.run([sys.executable, "-m", "graph_itsm.cli", *args], capture_output=True, text=True,
                          env={**base, **(env or {})}, cwd=cwd, timeout=180)


def _graph(data_dir: Path) -> dict:
    store = open_store(Settings(data_dir=data_dir))
    try:
        graph = dump(store)
    finally:
        store.close()
    return {"nodes": graph["nodes"], "relationships": graph["relationships"]}


def test_every_command_names_its_database_on_stderr(tmp_path: Path) -> None:
    data = tmp_path / "portfolio-data"
    where = f"database: embedded FalkorDB at {data.resolve()}"
    for args in (["import", str(NORTHWIND)], ["export"], ["demo"], ["impact", "dc-east"],
                 ["cypher", "MATCH (s:Service) RETURN count(s) AS n"], ["analytics", "run", "find_orphaned_services"],
                 ["backup", str(tmp_path / "b.json")]):
        result = _cli("--data-dir", str(data), *args, cwd=tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stderr.splitlines().count(where) == 1, (args, result.stderr)


def test_data_dir_option_and_environment_choose_the_database_wherever_the_command_runs(tmp_path: Path) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _cli("import", str(NORTHWIND), cwd=tmp_path, env={"GRAPH_ITSM_DATA_DIR": str(data)}).returncode == 0
    exported = _cli("--data-dir", str(data), "export", cwd=elsewhere)
    assert len(json.loads(exported.stdout)["services"]) == 17
    # the option wins over the environment
    other = _cli("--data-dir", str(tmp_path / "other"), "export", cwd=elsewhere, env={"GRAPH_ITSM_DATA_DIR": str(data)})
    assert json.loads(other.stdout)["services"] == []


def test_a_command_reading_a_database_created_just_now_says_it_is_empty(tmp_path: Path) -> None:
    fresh = _cli("export", cwd=tmp_path)  # run from a folder with no database: ./.graph-itsm is made now
    note = f"note: {(tmp_path / '.graph-itsm').resolve()} was just created and is empty"
    assert fresh.returncode == 0 and any(line.startswith(note) for line in fresh.stderr.splitlines()), fresh.stderr
    assert "--data-dir" in fresh.stderr
    again = _cli("export", cwd=tmp_path)  # no longer new
    assert "just created" not in again.stderr
    loaded = _cli("--data-dir", str(tmp_path / "new"), "demo", cwd=tmp_path)  # a write into a new one is no surprise
    assert loaded.returncode == 0 and "just created" not in loaded.stderr


GRAPHQL_EDITS = [
    'mutation { moveServiceStage(input: {service: "payroll", stage: RETIRED}) { service { stage } } }',
    'mutation { updateCostItem(id: "servers-2026-01", input: {amount: 80000}) { amount } }',
    'mutation { setBudget(serviceId: "web-shop", period: "2026-01", amount: 150000) { amount } }',
]
STATE = """query { service(id: "payroll") { stage } costItem: costReport(period: "2026-01") { totalDirect }
  budgetReport(period: "2026-01") { portfolio { direct { budget } } } }"""


def _serve_demo(data: Path, port: int) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "GRAPH_ITSM_DB"}
    return subprocess.Popen(
        [sys.executable, "-m", "graph_itsm.cli", "--data-dir", str(data), "serve", "--demo", "--port", str(port),
         "--log-level", "warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _post(port: int, query: str, token: str | None = None) -> dict:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = httpx.post(f"http://127.0.0.1:{port}/graphql", json={"query": query}, headers=headers, timeout=30).json()
    assert not body.get("errors"), body
    return body["data"]


def test_edits_after_serve_demo_survive_demo_and_serve_demo_again(tmp_path: Path) -> None:
    data = tmp_path / "data"
    port = _free_port()
    server = _serve_demo(data, port)
    try:
        _wait_healthy(port, server)
        # writes need a token: made as a user would, on the same data directory
        made = subprocess.run([sys.executable, "-m", "graph_itsm.cli", "--data-dir", str(data), "token", "create",
                               "--name", "editor", "--role", "portfolio,finance"],
                              capture_output=True, text=True, timeout=120)
        assert made.returncode == 0, made.stderr
        token = made.stdout.strip()
        for edit in GRAPHQL_EDITS:
            _post(port, edit, token)
        edited = _post(port, STATE)
        assert edited["service"]["stage"] == "RETIRED"
        demo = _cli("--data-dir", str(data), "demo", cwd=tmp_path)  # while the server runs, on its database
        assert demo.returncode == 0 and "not empty" in demo.stderr and "not loaded" in demo.stderr
        assert _post(port, STATE) == edited
    finally:
        server.terminate()
        server.wait(timeout=30)
    port = _free_port()
    server = _serve_demo(data, port)
    try:
        _wait_healthy(port, server)
        assert _post(port, STATE) == edited
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert "the demo portfolio was not loaded" in stderr
    replaced = _cli("--data-dir", str(data), "demo", "--replace", cwd=tmp_path)
    assert replaced.returncode == 0 and "replaced the graph with the demo portfolio" in replaced.stderr


def test_backup_then_restore_into_a_new_data_directory_gives_the_same_graph(tmp_path: Path) -> None:
    source, target, file = tmp_path / "source", tmp_path / "target", tmp_path / "portfolio.backup.json"
    assert _cli("--data-dir", str(source), "demo", cwd=tmp_path).returncode == 0
    backed = _cli("--data-dir", str(source), "backup", str(file), cwd=tmp_path)
    assert backed.returncode == 0, backed.stderr
    assert json.loads(file.read_text())["format"] == "graph-itsm-backup"
    restored = _cli("--data-dir", str(target), "restore", str(file), cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert _graph(target) == _graph(source)
    refused = _cli("--data-dir", str(source), "restore", str(file), cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1].startswith("graph-itsm restore: restore-into-empty: the database is not empty")


@pytest.mark.neo4j
def test_a_backup_of_the_embedded_database_restores_into_neo4j(tmp_path: Path, _neo4j_store: GraphStore) -> None:
    source, file = tmp_path / "source", tmp_path / "portfolio.backup.json"
    assert _cli("--data-dir", str(source), "import", str(NORTHWIND), cwd=tmp_path).returncode == 0
    assert _cli("--data-dir", str(source), "backup", str(file), cwd=tmp_path).returncode == 0
    _neo4j_store.clear()
    env = {"GRAPH_ITSM_DB": os.environ["NEO4J_URI"]} if os.environ.get("NEO4J_URI") else pytest.skip("NEO4J_URI unset")
    restored = _cli("restore", str(file), cwd=tmp_path, env=env)
    assert restored.returncode == 0, restored.stderr
    assert f"database: Neo4j at {os.environ['NEO4J_URI']}" in restored.stderr.splitlines()
    after = dump(_neo4j_store)
    assert {"nodes": after["nodes"], "relationships": after["relationships"]} == _graph(source)
