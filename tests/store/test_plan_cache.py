"""FalkorDB caches a query's plan with the names it knew when it first ran; on a fresh graph a rule read made
before the first dependency existed kept answering that services have no consumers, or consumers without
shares. The adapter registers every name the query files use when it opens a graph, so this cannot happen."""

from __future__ import annotations

import uuid

from graph_itsm.portfolio.facts import read_services
from graph_itsm.store import GraphStore
from graph_itsm.store.embedded import EmbeddedServer
from graph_itsm.store.falkordb_store import FalkorStore


def test_reads_planned_on_a_fresh_graph_see_edges_written_later(falkordb: GraphStore) -> None:
    assert isinstance(falkordb, FalkorStore) and falkordb.server is not None
    fresh = FalkorStore(server=EmbeddedServer(falkordb.server.data_dir), graph_name=f"fresh-{uuid.uuid4().hex[:8]}")
    try:
        fresh.ensure_schema()
        graph = fresh._graph
        graph.query("CREATE (:Service {id: 'app'}), (:Service {id: 'db'})")
        assert read_services(fresh, ["db"]).found["db"].consumers == []  # planned now, with no DEPENDS_ON yet
        graph.query("MATCH (a:Service {id: 'app'}), (b:Service {id: 'db'}) CREATE (a)-[:DEPENDS_ON {share: 0.5}]->(b)")
        (edge,) = read_services(fresh, ["db"]).found["db"].consumers
        assert (edge.other, edge.share) == ("app", 0.5)
        # the names were registered with a pair of nodes that did not stay behind
        assert graph.query("MATCH (n) RETURN count(n)").result_set == [[2]]
    finally:
        fresh._graph.delete()
        fresh.close()
