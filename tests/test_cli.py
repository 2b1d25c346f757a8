"""The command line as a user runs it: a separate process, exit codes, messages, shared embedded database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import NORTHWIND


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(tmp_path / "data")}
    env.pop("GRAPH_ITSM_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "graph_itsm.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_import_then_export_round_trips_the_example(tmp_path: Path) -> None:
    imported = _run(tmp_path, "import", str(NORTHWIND))
    assert imported.returncode == 0, imported.stderr
    exported = _run(tmp_path, "export")
    assert exported.returncode == 0, exported.stderr
    doc = json.loads(exported.stdout)
    assert {s["id"] for s in doc["services"]} == {s["id"] for s in json.loads(NORTHWIND.read_text())["services"]}


def test_invalid_document_exits_non_zero_with_a_reason_and_each_place(tmp_path: Path) -> None:
    data = json.loads(NORTHWIND.read_text())
    data["services"][0]["colour"] = "blue"
    data["services"][1]["kind"] = "SOMETIMES"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    result = _run(tmp_path, "import", str(bad))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert lines[0].startswith("graph-itsm import: portfolio document is invalid")
    assert any("services[0].colour" in line for line in lines[1:])
    assert any("services[1].kind" in line for line in lines[1:])


def test_demo_loads_the_built_in_portfolio(tmp_path: Path) -> None:
    assert _run(tmp_path, "demo").returncode == 0
    doc = json.loads(_run(tmp_path, "export").stdout)
    assert len(doc["services"]) >= 17 and doc["customers"] and doc["costs"]


def test_every_command_has_help(tmp_path: Path) -> None:
    for command in ("serve", "import", "export", "demo"):
        result = _run(tmp_path, command, "--help")
        assert result.returncode == 0 and "usage: graph-itsm" in result.stdout


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(tmp_path / "data")}
    env.pop("GRAPH_ITSM_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "graph_itsm.cli", "serve", "--port", str(port), "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )


def _wait_healthy(port: int, proc: subprocess.Popen[str]) -> dict:
    import time

    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError("the API did not become healthy")


def test_sigkilled_api_restarts_on_its_data_with_nothing_lost(tmp_path: Path) -> None:
    import httpx

    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        _wait_healthy(port, server)
        # an import in another process shares the running embedded database
        assert _run(tmp_path, "import", str(NORTHWIND)).returncode == 0
    finally:
        server.kill()
        server.wait()
    port = _free_port()
    server = _serve(tmp_path, port)
    try:
        assert _wait_healthy(port, server)["reachable"] is True
        body = httpx.post(
            f"http://127.0.0.1:{port}/graphql",
            json={"query": "query ($id: ID!) { service(id: $id) { dependencies { service { id } } } }",
                  "variables": {"id": "web-shop"}},
            timeout=10,
        ).json()
        deps = {d["service"]["id"] for d in body["data"]["service"]["dependencies"]}
        assert deps == {"payments", "identity", "database-platform", "dc-east", "dc-west"}
    finally:
        server.terminate()
        server.wait(timeout=20)
