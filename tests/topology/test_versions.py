"""Two versions in the graph: every write moves the graph version; only writes that may change the topology
move the topology version, so the in-memory projection survives finance writes and follows topology ones."""

from __future__ import annotations

from graph_itsm.api.app import create_app
from graph_itsm.store import GraphStore
from tests.finance.test_api_cost_items import COST, RECORD, _item
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import ADD_DEPENDENCY


def _client_and_cache(store: GraphStore):
    app = create_app(store)
    return GraphQLClient(app), app.state.graph_itsm.topology


def test_a_cost_item_write_keeps_the_projection_and_is_seen_by_costs(northwind_store: GraphStore) -> None:
    client, topology = _client_and_cache(northwind_store)
    before = client.data(COST, s="web-shop", p="2026-02")["service"]["cost"]["direct"]
    projection = topology.current()
    client.data(RECORD, input=_item())  # 1,200 on 2026-02, three quarters to web-shop
    assert topology.current() is projection
    assert client.data(COST, s="web-shop", p="2026-02")["service"]["cost"]["direct"] == before + 900.0


def test_a_dependency_write_rebuilds_the_projection(northwind_store: GraphStore) -> None:
    client, topology = _client_and_cache(northwind_store)
    projection = topology.current()
    client.data(ADD_DEPENDENCY, consumer="email", provider="backup", share=None, group=None, factor=None)
    rebuilt = topology.current()
    assert rebuilt is not projection and rebuilt.version > projection.version
    email, backup = rebuilt.index["email"], rebuilt.index["backup"]
    assert any(c == email and p == backup for c, p in zip(rebuilt.consumer.tolist(), rebuilt.provider.tolist()))
