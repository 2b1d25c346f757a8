"""Storage: the :class:`GraphStore` port, its adapters and the named-query library."""

from __future__ import annotations

from graph_itsm.config import Settings
from graph_itsm.store.port import GraphStore, ReadOnlyResult, Rows
from graph_itsm.store.queries import Query, QueryLibrary, library

__all__ = ["GraphStore", "ReadOnlyResult", "Rows", "Query", "QueryLibrary", "library", "open_store"]


def open_store(settings: Settings | None = None, *, ensure_schema: bool = True) -> GraphStore:
    """Open the database that ``GRAPH_ITSM_DB`` names (embedded FalkorDB when unset)."""
    settings = settings or Settings.from_env()
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
    return store
