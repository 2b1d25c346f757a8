"""``graph-itsm analytics`` and ``graph-itsm cypher`` as a user runs them: separate processes on the embedded
database, exit codes and messages, the three output formats, and writes refused with the graph unchanged."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analytics.test_api import WRITES, write_statement
from tests.conftest import NORTHWIND


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded database with northwind imported, shared by this module's commands (none writes)."""
    path = tmp_path_factory.mktemp("analytics-cli")
    imported = _run(path, "import", str(NORTHWIND))
    assert imported.returncode == 0, imported.stderr
    return path


def _run(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GRAPH_ITSM_DATA_DIR": str(data / "data")}
    env.pop("GRAPH_ITSM_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "graph_itsm.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def _ok(data: Path, *args: str) -> str:
    result = _run(data, *args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_analytics_list_names_every_query(data_dir: Path) -> None:
    listed = json.loads(_ok(data_dir, "analytics", "list", "--format", "json"))
    names = {a["name"] for a in listed}
    assert len(names) >= 12 and {"find_single_points_of_failure", "rank_cost_hot_spots"} <= names
    table = _ok(data_dir, "analytics", "list")
    assert "find_criticality_inversions" in table and "min_criticality: int 1..5 = 5" in table


def test_analytics_run_as_json_table_and_csv(data_dir: Path) -> None:
    body = json.loads(_ok(data_dir, "analytics", "run", "find_dependency_cycles", "--format", "json"))
    assert body == {
        "columns": ["members", "memberCount", "edges", "supportingOnly"],
        "rows": [[["database-platform", "identity"], 2,
                  ["database-platform -> identity", "identity -> database-platform (share 0)"], True]],
        "truncated": False,
    }
    table = _ok(data_dir, "analytics", "run", "find_single_points_of_failure")
    assert "email, payroll, point-of-sale, web-shop" in table and "mail-platform" in table
    text = _ok(data_dir, "analytics", "run", "rank_cost_hot_spots", "--param", "top=1", "--param", "period=2026-01",
               "--format", "csv")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["category", "categoryTotal", "service", "amount", "share"]
    assert [r[2] for r in rows[1:]] == ["web-shop", "dc-east", "dc-east", "payments", "database-platform", "web-shop"]


def test_analytics_run_refusals_exit_non_zero_with_a_reason(data_dir: Path) -> None:
    unknown = _run(data_dir, "analytics", "run", "nonsense")
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("graph-itsm analytics: no analytics query named 'nonsense'")
    bad = _run(data_dir, "analytics", "run", "rank_blast_radius", "--param", "top=zero")
    assert bad.returncode == 1 and "param top: expected an int, got 'zero'" in bad.stderr
    malformed = _run(data_dir, "analytics", "run", "rank_blast_radius", "--param", "top")
    assert malformed.returncode == 1 and "expected NAME=VALUE" in malformed.stderr


def test_cypher_runs_a_read_with_params(data_dir: Path) -> None:
    query = "MATCH (s:Service) WHERE s.criticality >= $min AND s.owner = $owner RETURN s.id AS id ORDER BY id"
    body = json.loads(_ok(data_dir, "cypher", query, "--param", "min=5", "--param", "owner=facilities",
                          "--format", "json"))
    assert body["rows"] == [["dc-east"], ["dc-west"]]


def test_cypher_refuses_every_write_and_changes_nothing(data_dir: Path) -> None:
    before = json.loads(_ok(data_dir, "export"))
    for kind in WRITES:
        result = _run(data_dir, "cypher", write_statement(kind, "falkordb"))
        assert result.returncode == 1, (kind, result.stdout)
        assert "only read-only Cypher may run here" in result.stderr, (kind, result.stderr)
    assert json.loads(_ok(data_dir, "export")) == before


def test_every_analytics_command_has_help(data_dir: Path) -> None:
    for command in (["analytics"], ["analytics", "run"], ["analytics", "list"], ["cypher"]):
        result = _run(data_dir, *command, "--help")
        assert result.returncode == 0 and "usage: graph-itsm" in result.stdout
