"""A dependency write patches the cached projection instead of rebuilding it, and the patched projection is the
one a rebuild from the database gives: same numbering, edges, shares, demand factors and redundancy groups."""

from __future__ import annotations

import numpy as np
import pytest

from graph_itsm.api.app import create_app
from graph_itsm.store import GraphStore
from graph_itsm.topology import cache as topology_cache
from graph_itsm.topology.cache import load_topology
from graph_itsm.topology.projection import Topology
from tests.graphql_client import GraphQLClient

ADD = """mutation ($c: ID!, $p: ID!, $share: Float, $group: String, $factor: Float) {
  addDependency(input: {consumer: $c, provider: $p, share: $share, redundancyGroup: $group, demandFactor: $factor}) { id } }"""
REMOVE = "mutation ($c: ID!, $p: ID!) { removeDependency(consumer: $c, provider: $p) { id } }"
IMPACT = '{ impact(failed: ["dc-east"]) { counts { services down degraded } } }'


def _partition(group: np.ndarray) -> np.ndarray:
    """Group labels renamed by first appearance: equal for two labellings of the same grouping."""
    _, first, inverse = np.unique(group, return_index=True, return_inverse=True)
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first)] = np.arange(first.size)
    return rank[inverse.reshape(-1)]


def assert_same(patched: Topology, built: Topology) -> None:
    assert patched.version == built.version
    assert patched.ids == built.ids and patched.names == built.names
    for name in ("customer_facing", "stage", "consumer", "provider", "demand_factor"):
        assert np.array_equal(getattr(patched, name), getattr(built, name)), name
    assert np.array_equal(patched.share, built.share, equal_nan=True)
    assert np.array_equal(_partition(patched.group), _partition(built.group))
    assert patched.n_groups == built.n_groups == len(np.unique(built.group))


def test_dependency_writes_patch_the_projection(northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    client.data(IMPACT)  # the projection is built once
    builds = []
    real = topology_cache.load_topology
    monkeypatch.setattr(topology_cache, "load_topology", lambda store: builds.append(1) or real(store))

    writes = [
        (ADD, {"c": "loyalty-app", "p": "dc-east", "group": "hosting"}),  # a group of one, so far
        (ADD, {"c": "loyalty-app", "p": "dc-west", "group": "hosting"}),  # joins it
        (ADD, {"c": "web-shop", "p": "dc-west"}),  # leaves its group; no share, no factor now
        (ADD, {"c": "web-shop", "p": "dc-east", "group": "other", "factor": 2.0}),  # a new group alone
        (ADD, {"c": "web-shop", "p": "backup", "share": 0.1, "factor": 0.5}),  # a new edge
        (REMOVE, {"c": "web-shop", "p": "identity"}),
        (REMOVE, {"c": "loyalty-app", "p": "dc-east"}),  # its group keeps one edge
    ]
    for query, variables in writes:
        client.data(query, **variables)
        patched = cache.cached()
        client.data(IMPACT)  # answered from the patched projection: no rebuild
        assert builds == [], (query, variables)
        assert cache.cached() is patched
        assert_same(patched, load_topology(northwind_store))


def test_impact_after_patches_is_the_impact_after_a_rebuild(northwind_store: GraphStore) -> None:
    patched_app, fresh_app = create_app(northwind_store), create_app(northwind_store)
    client = GraphQLClient(patched_app)
    query = '{ impact(failed: ["dc-east", "isp-uplink-a"]) { counts { services down degraded customers outcomes } ' \
            'services { service { id } status distance path } } }'
    client.data(query)
    client.data(ADD, c="loyalty-app", p="dc-east", group="hosting")
    client.data(ADD, c="loyalty-app", p="dc-west", group="hosting")
    client.data(REMOVE, c="web-shop", p="dc-west")
    assert client.data(query) == GraphQLClient(fresh_app).data(query)
