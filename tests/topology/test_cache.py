"""The topology cache follows the graph version, which every write path moves."""

from __future__ import annotations

from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data, load_document
from graph_itsm.store import GraphStore, library
from graph_itsm.topology.cache import TopologyCache
from tests.conftest import NORTHWIND


def _version(store: GraphStore) -> int:
    return int(store.scalar(library()["store/get_version"]) or 0)


def test_clear_moves_the_version_and_drops_the_settings(northwind_store: GraphStore) -> None:
    before = _version(northwind_store)
    northwind_store.clear()
    assert _version(northwind_store) > before
    meta = northwind_store.read(library()["store/get_meta"])[0]
    assert meta["currency"] is None


def test_cache_is_not_fooled_by_clear_then_import(store: GraphStore) -> None:
    """Clearing then importing another portfolio must not land on a version a cached projection had."""
    cache = TopologyCache(store)
    import_document(store, load_document(NORTHWIND))
    assert "dc-east" in cache.current().index
    store.clear()
    import_document(
        store,
        document_from_data({"currency": "EUR", "services": [{"id": "only", "name": "Only", "kind": "SUPPORTING",
                                                             "stage": "CATALOGUE", "owner": "ops", "criticality": 1}]}),
    )
    assert cache.current().ids == ["only"]


def test_cache_reads_only_the_version_while_nothing_changes(northwind_store: GraphStore) -> None:
    cache = TopologyCache(northwind_store)
    first = cache.current()
    northwind_store.round_trips = 0
    assert cache.current() is first
    assert northwind_store.round_trips == 1
