"""Projection-computed params: what they hold, caching per topology snapshot, and the time limit."""

from __future__ import annotations

import time

import pytest

from graph_itsm.analytics import projections
from graph_itsm.errors import TooComplex
from graph_itsm.store import GraphStore
from graph_itsm.topology import Topology
from graph_itsm.topology.cache import load_topology


def _source(store: GraphStore, topo: Topology | None = None, seconds: float = 30) -> projections.Source:
    """A source whose deadline is ``seconds`` away (in the past when negative)."""
    return projections.Source(topo or load_topology(store), store, time.monotonic() + seconds, max(0, int(seconds * 1000)))


def _cycle_topology() -> Topology:
    """a -> b -> c -> a (a customer-facing), d -> e -> d, f -> a: two cycles, f outside both."""
    services = [(s, "CUSTOMER_FACING" if s == "a" else "SUPPORTING", "CATALOGUE") for s in "abcdef"]
    edges = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "e"), ("e", "d"), ("f", "a")]
    return Topology.build(services, [(c, p, None, None, None) for c, p in edges])


def test_single_points_of_failure_list_live_services_down_and_their_subscribers(northwind_store: GraphStore) -> None:
    rows = {r["service"]: r for r in projections.compute("single_points_of_failure", _source(northwind_store))}
    # identity also takes down loyalty-app (pipeline), network-core fax-gateway (retired): not live, not listed
    assert rows["identity"] == {"service": "identity", "down": ["email", "payroll", "point-of-sale", "web-shop"],
                                "customers": ["finance-bu", "franchise-co", "hr-bu", "retail-bu"]}
    assert rows["network-core"]["down"] == ["internet-access", "point-of-sale", "web-shop"]
    assert rows["mail-platform"]["customers"] == ["finance-bu", "hr-bu", "retail-bu"]
    assert "isp-uplink-a" not in rows and "web-shop" not in rows


def test_dependency_cycles_are_strongly_connected_components(northwind_store: GraphStore) -> None:
    source = _source(northwind_store, _cycle_topology())
    assert projections.compute("dependency_cycles", source) == [{"members": ["a", "b", "c"]}, {"members": ["d", "e"]}]


def test_rows_are_computed_once_per_topology_snapshot(northwind_store: GraphStore) -> None:
    topo = load_topology(northwind_store)
    first = projections.compute("blast_radius", _source(northwind_store, topo))
    assert projections.compute("blast_radius", _source(northwind_store, topo)) is first
    assert projections.compute("blast_radius", _source(northwind_store)) is not first  # a new snapshot


def test_a_projection_over_the_time_limit_is_too_complex(northwind_store: GraphStore) -> None:
    with pytest.raises(TooComplex, match="time limit of 0 ms while computing the blast radius"):
        projections.compute("blast_radius", _source(northwind_store, seconds=-1))
