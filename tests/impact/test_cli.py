"""``graph-itsm impact``: the same answers as the API, as a table, JSON or NDJSON."""

from __future__ import annotations

import json

import pytest

from graph_itsm.cli import main
from graph_itsm.config import Settings
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import load_document
from graph_itsm.store import GraphStore
from tests.conftest import NORTHWIND, northwind_expected

EXPECTED = northwind_expected()["impact:dc-east"]


@pytest.fixture
def northwind_env(falkordb: GraphStore, embedded_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command opens the embedded database the tests use (joining its running server)."""
    import_document(falkordb, load_document(NORTHWIND))
    monkeypatch.delenv("GRAPH_ITSM_DB", raising=False)
    monkeypatch.setenv("GRAPH_ITSM_DATA_DIR", str(embedded_settings.data_dir))
    monkeypatch.setenv("GRAPH_ITSM_GRAPH", embedded_settings.graph_name)


def test_json_format_gives_the_whole_report(northwind_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["impact", "dc-east", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {r["id"]: {"distance": r["distance"], "status": r["status"]} for r in report["services"]} == EXPECTED["services"]
    assert sorted(report["customerFacing"]) == sorted(EXPECTED["customerFacing"])
    assert {o["id"]: o["status"] for o in report["outcomes"]} == EXPECTED["outcomes"]
    assert {c["id"]: c["status"] for c in report["customers"]} == EXPECTED["customers"]
    assert report["counts"]["services"] == len(EXPECTED["services"])


def test_ndjson_format_streams_one_object_a_line(northwind_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["impact", "dc-east", "--max-depth", "1", "--what-if-retired", "isp-uplink-a", "--format", "ndjson"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows if r["distance"] == 0] == ["dc-east", "isp-uplink-a"]
    assert {r["id"] for r in rows if r["assumedRetired"]} == {"isp-uplink-a"}
    assert max(r["distance"] for r in rows) == 1


def test_table_format_shows_counts_and_rows(northwind_env: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["impact", "dc-east,dc-west", "--limit", "3"]) == 0
    out = capsys.readouterr().out
    assert "impacted services: 14 (14 DOWN, 0 DEGRADED)" in out
    assert "dc-east" in out and "11 more" in out


def test_unknown_id_exits_non_zero_with_a_one_line_reason(
    northwind_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["impact", "dc-east,ghost"]) == 1
    # every command first names its database ("database: ..."); the reason is the first line after that
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith(("database: ", "note: "))]
    assert err[0] == "graph-itsm impact: failed: no service with id 'ghost'"
