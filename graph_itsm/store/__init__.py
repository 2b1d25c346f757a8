"""Storage: the :class:`GraphStore` port, its adapters and the named-query library."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import Callable, Iterator

from graph_itsm.config import Settings
from graph_itsm.store.port import GraphStore, ReadOnlyResult, Rows
from graph_itsm.store.queries import Query, QueryLibrary, library

__all__ = ["GraphStore", "ReadOnlyResult", "Rows", "Query", "QueryLibrary", "library", "open_store", "opening"]

# Set for the length of one command line run (see :func:`opening`).
_data_dir: Path | None = None
_observers: list[Callable[[GraphStore], None]] = []


@contextlib.contextmanager
def opening(*, data_dir: Path | None = None, observer: Callable[[GraphStore], None] | None = None) -> Iterator[None]:
    """For the length of the block, stores opened from the environment use ``data_dir`` (the command line's
    ``--data-dir``) and each opened store is shown to ``observer`` (which says which database it is)."""
    global _data_dir
    saved = _data_dir
    _data_dir = data_dir if data_dir is not None else saved
    if observer:
        _observers.append(observer)
    try:
        yield
    finally:
        _data_dir = saved
        if observer:
            _observers.remove(observer)


def open_store(settings: Settings | None = None, *, ensure_schema: bool = True) -> GraphStore:
    """Open the database that ``GRAPH_ITSM_DB`` names (embedded FalkorDB when unset)."""
    if settings is None:
        settings = Settings.from_env()
        if _data_dir is not None:
            settings = dataclasses.replace(settings, data_dir=_data_dir)
    backend = settings.backend
    store: GraphStore
    if backend == "neo4j":
        from graph_itsm.store.neo4j_store import Neo4jStore

        store = Neo4jStore(
            uri=settings.db_url,
            user=settings.neo4j_user,
            password=settings.neo4j_password,
            database=settings.neo4j_database,
        )
    else:
        from graph_itsm.store.embedded import EmbeddedServer
        from graph_itsm.store.falkordb_store import FalkorStore

        if backend == "falkordb":
            store = FalkorStore(url=settings.db_url, graph_name=settings.graph_name)
        else:
            store = FalkorStore(server=EmbeddedServer(settings.data_dir), graph_name=settings.graph_name)
    if ensure_schema:
        try:
            store.ensure_schema()
        except Exception:
            store.close()
            raise
    for observe in list(_observers):
        observe(store)
    return store
