"""A FalkorDB write larger than one statement may be is written into a copy of the graph and swapped in: as
atomic as one statement (all or nothing, nothing written when the graph moved meanwhile), and the same graph.

The real case is an import of a million services (over the server's 512 MB argument limit); here the limit is
made small, so that the demo-sized northwind portfolio needs many statements."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph_itsm.config import Settings
from graph_itsm.errors import StoreError
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import load_document
from graph_itsm.store import open_store, staged
from graph_itsm.store.falkordb_store import FalkorStore
from graph_itsm.store.queries import parse_query
from tests.conftest import NORTHWIND

_ADD = parse_query("// name: t/add\n// returns: write\n// param id: string\nCREATE (:Service {id: $id, name: $id})",
                   name="t/add")
_CUSTOMER = parse_query("// name: t/customer\n// returns: write\n// param id: string\n"
                        "CREATE (:Customer {id: $id, name: $id, type: 'INTERNAL'})", name="t/customer")
_COUNT = parse_query("// name: t/count\n// returns: scalar\nMATCH (s:Service) RETURN count(s) AS n", name="t/count")
_LAST = parse_query("// name: t/last\n// returns: one\n// param id: string\nMATCH (s:Service {id: $id}) "
                    "RETURN s.id AS id", name="t/last")


@pytest.fixture
def small_statements(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staged, "STATEMENT_BYTES", 7000)  # northwind: 20 kB, 6 kB the largest step


def _graphs(store: FalkorStore) -> list[str]:
    return sorted(n if isinstance(n, str) else n.decode() for n in store._db.connection.execute_command("GRAPH.LIST"))


def _statements_sent(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    sent: list[int] = []
    real = staged.write_staged

    def counting(connection, graph, statements, parse, on_step=None):
        sent.append(len(statements))
        return real(connection, graph, statements, parse, on_step)

    monkeypatch.setattr(staged, "write_staged", counting)
    return sent


def test_a_staged_import_gives_the_graph_one_statement_gives(tmp_path: Path, small_statements: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    sent = _statements_sent(monkeypatch)
    staged_store = open_store(Settings(data_dir=tmp_path / "staged"))
    try:
        import_document(staged_store, load_document(NORTHWIND))
        assert sent and sent[0] >= 3  # it went by way of a copy, in several statements
        exported = export_document(staged_store)
        assert _graphs(staged_store) == [staged_store.graph_name]  # the copy became the graph
    finally:
        staged_store.close()
    monkeypatch.setattr(staged, "STATEMENT_BYTES", 256 * 1024 * 1024)
    whole = open_store(Settings(data_dir=tmp_path / "whole"))
    try:
        import_document(whole, load_document(NORTHWIND))
        assert len(sent) == 1  # this one in one statement
        assert export_document(whole) == exported
    finally:
        whole.close()
    # the swap survives a restart (the append-only file replays the copy, its statements and the rename)
    again = open_store(Settings(data_dir=tmp_path / "staged"))
    try:
        assert export_document(again) == exported
    finally:
        again.close()


def test_a_staged_write_that_returns_nothing_is_written_all_the_same(tmp_path: Path, small_statements: None) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    try:
        assert store.write_all([(_ADD, {"id": f"new-{k}-" + "x" * 300}) for k in range(40)]) == []
        assert store.scalar(_COUNT) == 40  # written, as one statement would have written it
        assert _graphs(store) == [store.graph_name]
    finally:
        store.close()


def test_a_step_failing_late_leaves_the_graph_as_it_was(tmp_path: Path, small_statements: None) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    try:
        store.write(_ADD, {"id": "before"})
        steps = [(_ADD, {"id": f"new-{k}-" + "x" * 300}) for k in range(40)]
        steps.append((_ADD, {"id": "before"}))  # the unique constraint on Service.id refuses it, last
        with pytest.raises(StoreError, match="staged"):
            store.write_all(steps)
        assert store.scalar(_COUNT) == 1
        assert _graphs(store) == [store.graph_name]  # no copy left behind
    finally:
        store.close()


def test_a_write_landing_meanwhile_wins_and_the_staged_write_changes_nothing(tmp_path: Path,
                                                                            small_statements: None) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    other = open_store(Settings(data_dir=tmp_path))
    try:
        steps = [(_ADD, {"id": f"new-{k}-" + "x" * 300}) for k in range(40)] + [(_LAST, {"id": "new-0-" + "x" * 300})]
        landed = []

        def meanwhile(done: int) -> None:
            if not landed:
                other.write(_ADD, {"id": "meanwhile"})
                landed.append(done)

        assert store.write_all(steps, on_step=meanwhile) == []  # the graph moved: nothing written
        assert landed
        assert store.scalar(_COUNT) == 1  # the other write, only
        assert _graphs(store) == [store.graph_name]
        rows = store.write_all(steps)  # asked again, it goes through
        assert rows == [{"id": "new-0-" + "x" * 300}] and store.scalar(_COUNT) == 41
    finally:
        other.close()
        store.close()


def test_an_import_that_a_write_overtook_is_checked_again_and_keeps_that_write(
        tmp_path: Path, small_statements: None) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    other = open_store(Settings(data_dir=tmp_path))
    try:
        landed = []

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "writing" and done and not landed:
                other.write(_CUSTOMER, {"id": "written-meanwhile"})
                landed.append(done)

        import_document(store, load_document(NORTHWIND), on_progress=progress)
        assert landed
        exported = export_document(store)
        assert "written-meanwhile" in {c["id"] for c in exported["customers"]}
        assert "web-shop" in {s["id"] for s in exported["services"]}
    finally:
        other.close()
        store.close()


def test_copies_of_dead_processes_are_dropped_when_a_store_opens(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path))
    try:
        prefix = staged._prefix(store.graph_name)
        dead = os.fork()
        if dead == 0:
            os._exit(0)
        os.waitpid(dead, 0)
        for pid in (dead, os.getpid()):
            store._db.connection.execute_command("GRAPH.QUERY", f"{prefix}{pid}~abc", "CREATE ()")
        again = open_store(Settings(data_dir=tmp_path))
        again.close()
        assert _graphs(store) == sorted([store.graph_name, f"{prefix}{os.getpid()}~abc"])  # a live one stays
    finally:
        store.close()
