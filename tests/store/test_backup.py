"""Backup and restore give back the very graph: everything a portfolio document cannot carry (issued
statements, complaint times, the audit trail, the Meta node's versions, labels added later) and every value
type, on each backend; a restore is refused on a non-empty database and is all or nothing."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.store import GraphStore, library
from graph_itsm.store.backup import backup, dump, is_empty, read_backup, restore
from graph_itsm.store.queries import parse_query
from tests.relationships.support import Clock, client_at

STATEMENT = """query($c: ID!, $p: String!) { chargeStatement(customerId: $c, period: $p) { issued total } }"""
CLOSED_COST = """query($p: String!) { periods { nodes { period state } }
  costReport(period: $p) { totalDirect reconciliation { allocatedToCustomers unrecovered } } }"""
ISSUE = """mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { issued total } }"""
UPDATE = """mutation($id: ID!, $input: UpdateCostItemInput!) { updateCostItem(id: $id, input: $input) { id } }"""
RAISE = """mutation($input: RaiseComplaintInput!) { raiseComplaint(input: $input) { id } }"""
MOVE = """mutation($id: ID!, $s: ComplaintStatus!) { moveComplaint(id: $id, status: $s) { acknowledged } }"""
COMPLAINT = """query($c: ID!) { customerView(id: $c) { openComplaints { id status opened acknowledged } } }"""
HISTORY = """query($id: ID!) { service(id: $id) { history { action actor at } } }"""

PROBE = parse_query(
    "// name: test/probe\n// returns: write\n// param props: map\n// param rel: map\n"
    "CREATE (p:Meta {id: 'probe'}) SET p += $props\n"
    "CREATE (f:FutureThing {id: 7})\n"
    "CREATE (p)-[r:FUTURE_LINK]->(f) SET r = $rel"
)
VALUES = {
    "anInt": 3, "aFloat": 3.0, "aTenth": 0.1, "big": 2**53 + 1, "negative": -12.75, "text": "naïve ‘quotes’ \"x\"",
    "empty": "", "yes": True, "no": False, "ints": [1, 2, 3], "floats": [1.0, 2.5], "words": ["a", "b"],
}


def _rich_graph(store: GraphStore) -> dict:
    """Northwind plus what a document cannot carry: an issued statement, a later cost change, an acknowledged
    complaint, audit entries, and a label and relationship type no code knows yet, with every value type."""
    client = client_at(store, Clock("2026-02-01T10:00:00+00:00"))
    issued = client.data(ISSUE, c="retail-bu", p="2026-01")["issueChargeStatement"]
    client.data(UPDATE, id="servers-2026-01", input={"amount": 99999.5})
    client.data(RAISE, input={"id": "cmp-9", "customer": "retail-bu", "service": "web-shop", "severity": 2})
    client.data(MOVE, id="cmp-9", s="ACKNOWLEDGED")
    store.write(PROBE, {"props": VALUES, "rel": {"weight": 2, "ratio": 0.5, "tags": ["x"]}})
    client.data('mutation { closePeriod(period: "2026-01") { state } }')  # a closed month and its stored figures
    return issued


def _restore_into_empty(store: GraphStore, tmp_path: Path) -> tuple[dict, dict]:
    before = dump(store)
    path = tmp_path / "graph.backup.json"
    counts = backup(store, path)
    assert counts == {"nodes": len(before["nodes"]), "relationships": len(before["relationships"])}
    store.clear()
    assert is_empty(store)
    restore(store, path)
    return before, dump(store)


def test_restore_gives_back_an_identical_graph(northwind_store: GraphStore, tmp_path: Path) -> None:
    _rich_graph(northwind_store)
    before, after = _restore_into_empty(northwind_store, tmp_path)
    assert after["nodes"] == before["nodes"] and after["relationships"] == before["relationships"]
    assert len(before["nodes"]) > 50 and len(before["relationships"]) > 50
    labels = {label for n in before["nodes"] for label in n["labels"]}
    assert {"Service", "AuditEntry", "ChargeStatement", "Complaint", "Meta", "FutureThing", "Period",
            "PeriodSnapshot"} <= labels


def test_value_types_survive_exactly(store: GraphStore, tmp_path: Path) -> None:
    store.write(PROBE, {"props": VALUES, "rel": {"weight": 2, "ratio": 0.5, "tags": ["x"]}})
    _, after = _restore_into_empty(store, tmp_path)
    probe = next(n["properties"] for n in after["nodes"] if n["properties"].get("id") == "probe")
    assert probe == {"id": "probe", **VALUES}
    for key, value in VALUES.items():
        assert type(probe[key]) is type(value), key
        if isinstance(value, list):
            assert [type(v) for v in probe[key]] == [type(v) for v in value], key
    (rel,) = [r for r in after["relationships"] if r["type"] == "FUTURE_LINK"]
    assert rel["properties"] == {"weight": 2, "ratio": 0.5, "tags": ["x"]} and type(rel["to"]["id"]) is int


def test_issued_statements_complaint_times_and_the_audit_trail_come_back(
    northwind_store: GraphStore, tmp_path: Path
) -> None:
    issued = _rich_graph(northwind_store)
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    live_history = client.data(HISTORY, id="web-shop")["service"]["history"]
    complaint = client.data(COMPLAINT, c="retail-bu")["customerView"]["openComplaints"]
    closed_before = client.data(CLOSED_COST, p="2026-01")["costReport"]
    _restore_into_empty(northwind_store, tmp_path)
    client = client_at(northwind_store, Clock("2026-02-01T10:00:00+00:00"))
    statement = client.data(STATEMENT, c="retail-bu", p="2026-01")["chargeStatement"]
    assert statement == {"issued": True, "total": issued["total"]}  # as issued, not recomputed on the new cost
    closed = client.data(CLOSED_COST, p="2026-01")
    assert closed["periods"]["nodes"][0]["state"] == "CLOSED"
    assert closed["costReport"] == closed_before  # answered from the restored stored figures
    assert client.data(COMPLAINT, c="retail-bu")["customerView"]["openComplaints"] == complaint
    assert next(c for c in complaint if c["id"] == "cmp-9")["acknowledged"] == "2026-02-01T10:00:00Z"
    assert client.data(HISTORY, id="web-shop")["service"]["history"] == live_history and live_history


def test_restore_into_a_non_empty_database_is_refused_and_changes_nothing(
    northwind_store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "graph.backup.json"
    backup(northwind_store, path)
    before = dump(northwind_store)
    with pytest.raises(RuleViolation, match="not empty"):
        restore(northwind_store, path)
    assert dump(northwind_store)["nodes"] == before["nodes"]


def test_a_restore_failing_in_the_database_writes_nothing(northwind_store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "graph.backup.json"
    backup(northwind_store, path)
    doc = json.loads(path.read_text())
    # a second Service with an id already taken, under another label set: the checks pass, the database's
    # unique constraint refuses it after the earlier batches ran
    doc["nodes"].append({"labels": ["Service", "Zzz"], "properties": {"id": "web-shop"}})
    path.write_text(json.dumps(doc))
    northwind_store.clear()
    with pytest.raises(Exception):
        restore(northwind_store, path)
    assert is_empty(northwind_store)


def test_restore_batches_large_graphs_in_one_atomic_write(store: GraphStore, tmp_path: Path, monkeypatch) -> None:
    import graph_itsm.store.backup as module

    make = parse_query("// name: test/many\n// returns: write\n// param n: int\n"
                       "UNWIND range(1, $n) AS i CREATE (:Customer {id: 'c' + toString(i), n: i})")
    store.write(make, {"n": 12000})
    calls: list[int] = []
    real = store.write_all
    monkeypatch.setattr(store, "write_all", lambda steps: calls.append(len(steps)) or real(steps))
    monkeypatch.setattr(module, "BATCH_SIZE", 5000)
    before, after = _restore_into_empty(store, tmp_path)
    assert calls[-1] >= 3  # one write of several UNWIND batches
    assert after["nodes"] == before["nodes"]


def test_a_file_that_is_not_a_backup_is_refused_naming_why(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "doc.json"
    path.write_text(json.dumps({"currency": "EUR", "services": []}))
    with pytest.raises(BadInput, match="not a graph-itsm backup"):
        read_backup(path)
    path.write_text(json.dumps({"format": "graph-itsm-backup", "version": 1, "nodes": [
        {"labels": ["Service) DETACH DELETE (x"], "properties": {"id": "a"}}], "relationships": []}))
    with pytest.raises(BadInput) as e:
        read_backup(path)
    assert any("nodes[0].labels" in d for d in e.value.details)
    assert is_empty(store)
