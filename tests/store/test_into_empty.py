"""The demo and a restore go into an empty database only, and the emptiness is checked inside the write itself:
a write that lands after the check made before it (another process, say) is neither overwritten nor mixed with
the demo or the backup (each backend)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from graph_itsm.errors import RuleViolation
from graph_itsm.portfolio import demo as demo_module
from graph_itsm.portfolio import importer
from graph_itsm.portfolio.demo import load_demo
from graph_itsm.store import GraphStore, backup as backup_module
from graph_itsm.store.backup import backup, dump, is_empty, restore
from graph_itsm.store.queries import parse_query

# Someone else's service, written straight to the graph: no audit entry, no version bump, so only a check
# inside the write can see it. Its id is one the demo also has.
THEIRS = parse_query(
    "// name: test/theirs\n// returns: write\nCREATE (:Service {id: 'web-shop', name: 'Their web shop', "
    "kind: 'SUPPORTING', stage: 'PIPELINE', owner: 'them', criticality: 1})"
)


def _racing(store: GraphStore) -> Callable[[GraphStore], bool]:
    """An ``is_empty`` that, the first time, answers "empty" and then lets the other write land (as if it came
    right after the check); afterwards it answers truly."""
    calls = {"n": 0}

    def check(s: GraphStore) -> bool:
        calls["n"] += 1
        if calls["n"] == 1:
            assert is_empty(s)
            store.write(THEIRS, {})
            return True
        return is_empty(s)

    return check


def _theirs_only(store: GraphStore) -> list[dict[str, Any]]:
    return [n for n in dump(store)["nodes"] if n["labels"] != ["Meta"]]


def test_a_write_between_the_check_and_the_demo_is_kept(store: GraphStore, monkeypatch) -> None:
    monkeypatch.setattr(demo_module, "is_empty", lambda s: True)  # the check before planning saw it empty too
    monkeypatch.setattr(importer, "is_empty", _racing(store))
    assert load_demo(store) is None  # nothing loaded
    [node] = _theirs_only(store)
    assert node["labels"] == ["Service"] and node["properties"]["name"] == "Their web shop"
    assert node["properties"]["stage"] == "PIPELINE"  # not the demo's CATALOGUE web shop


def test_the_demo_still_loads_into_an_empty_database(store: GraphStore) -> None:
    summary = load_demo(store)
    assert summary is not None and summary.counts["services"] > 10


def test_a_write_between_the_check_and_the_restore_is_kept(store: GraphStore, tmp_path: Path,
                                                          monkeypatch) -> None:
    assert load_demo(store) is not None
    path = tmp_path / "demo.backup.json"
    backup(store, path)
    store.clear()
    monkeypatch.setattr(backup_module, "is_empty", _racing(store))
    with pytest.raises(RuleViolation) as refused:
        restore(store, path)
    assert refused.value.extensions["rule"] == "restore-into-empty"
    [node] = _theirs_only(store)  # nothing of the backup was written beside it
    assert node["properties"]["name"] == "Their web shop"


def test_restore_into_an_empty_database_still_works(store: GraphStore, tmp_path: Path) -> None:
    assert load_demo(store) is not None
    before = dump(store)
    path = tmp_path / "demo.backup.json"
    backup(store, path)
    store.clear()
    restore(store, path)
    assert dump(store)["nodes"] == before["nodes"] and not any(
        "RestoreGuard" in n["labels"] for n in dump(store)["nodes"])
