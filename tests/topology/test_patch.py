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
    # each edge's group keeps its k-of-n rule through the renumbering
    for name in ("group_min_up", "group_min_percent"):
        rule_p, rule_b = getattr(patched, name), getattr(built, name)
        assert np.array_equal(rule_p[patched.group], rule_b[built.group]), name


def test_dependency_writes_patch_the_projection(northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    client.data(IMPACT)  # the projection is built once
    builds = []
    real = topology_cache.load_topology
    monkeypatch.setattr(topology_cache, "load_topology", lambda store: builds.append(1) or real(store))

    # (write, whether it is patched): an edge that starts a named group the projection does not hold is rebuilt
    # instead, since the consumer may state a k-of-n rule for that group that only the graph knows
    writes = [
        (ADD, {"c": "loyalty-app", "p": "dc-east", "group": "hosting"}, False),  # a named group of one, so far
        (ADD, {"c": "loyalty-app", "p": "dc-west", "group": "hosting"}, True),  # joins it
        (ADD, {"c": "web-shop", "p": "dc-west"}, True),  # leaves its group; no share, no factor now
        (ADD, {"c": "web-shop", "p": "dc-east", "group": "other", "factor": 2.0}, False),  # a new named group
        (ADD, {"c": "web-shop", "p": "backup", "share": 0.1, "factor": 0.5}, True),  # a new edge
        (REMOVE, {"c": "web-shop", "p": "identity"}, True),
        (REMOVE, {"c": "loyalty-app", "p": "dc-east"}, True),  # its group keeps one edge
    ]
    for query, variables, patches in writes:
        builds.clear()
        client.data(query, **variables)
        client.data(IMPACT)  # answered from the patched projection, or from one rebuild
        assert builds == ([] if patches else [1]), (query, variables)
        assert_same(cache.cached(), load_topology(northwind_store))


def test_a_patched_group_keeps_its_k_of_n_rule(northwind_store: GraphStore) -> None:
    """Renumbering the groups after an edge write carries each group's rule (minUp) with it."""
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    client.data(ADD, c="loyalty-app", p="dc-east", group="hosting")
    client.data(ADD, c="loyalty-app", p="dc-west", group="hosting")
    client.data(ADD, c="loyalty-app", p="backup", group="hosting")
    client.data('mutation { updateService(id: "loyalty-app", input: {redundancy: [{group: "hosting", minUp: 2}]}) '
                '{ id } }')
    client.data(IMPACT)
    for query, variables in [(ADD, {"c": "web-shop", "p": "backup", "share": 0.1}),  # groups before it renumber
                             (REMOVE, {"c": "web-shop", "p": "identity"}),
                             (REMOVE, {"c": "loyalty-app", "p": "backup"})]:  # the cluster shrinks to two
        client.data(query, **variables)
        client.data(IMPACT)
        patched, built = cache.cached(), load_topology(northwind_store)
        assert_same(patched, built)
        hosting = patched.group[(patched.consumer == patched.index["loyalty-app"])
                                & (patched.provider == patched.index["dc-west"])][0]
        assert patched.group_min_up[hosting] == 2


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
