"""Cost allocation by the reciprocal method (spec/domain.md, "Accounting: cost allocation")."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import tests.finance._finance_portfolio as portfolio
from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance import linear
from graph_itsm.finance.allocation import allocate, check_shares, find_closed_cycle
from graph_itsm.finance.errors import ClosedCycle
from graph_itsm.finance.model import CostCategory, CostItem, CostNature
from graph_itsm.finance.explain import Source, by_category, by_nature, origins, trace
from graph_itsm.topology.projection import Topology

NORTHWIND = portfolio.load()
EXPECTED = portfolio.expected()["costs:2026-01"]


def _northwind_january():
    return allocate(NORTHWIND.topology, NORTHWIND.items, period="2026-01")


def _topology(edges, stages=None, names="abcdefghij"):
    """Services named by letter; ``edges`` are (consumer, provider, share or None)."""
    used = sorted({x for c, p, _ in edges for x in (c, p)} | set(stages or {}))
    services = [(s, "SUPPORTING", (stages or {}).get(s, "CATALOGUE")) for s in used]
    return Topology.build(services, [(c, p, share, None, None) for c, p, share in edges])


def _items(amounts):
    return [
        CostItem(f"cost-{sid}", sid, CostCategory.OTHER, CostNature.OPEX, amount, "2026-01", [(sid, 1.0)])
        for sid, amount in amounts.items()
    ]


# -- the shared example, to the cent ---------------------------------------------------------------------------


@pytest.mark.parametrize("service_id", sorted(EXPECTED["services"]))
def test_northwind_direct_total_and_retained_match_the_expected_figures_to_the_cent(service_id):
    cost = _northwind_january().cost(service_id)
    expected = EXPECTED["services"][service_id]
    assert round(cost.direct, 2) == pytest.approx(expected["direct"], abs=1e-9)
    assert round(cost.total, 2) == pytest.approx(expected["total"], abs=1e-9)
    assert round(cost.retained, 2) == pytest.approx(expected["retained"], abs=1e-9)


def test_northwind_every_service_is_costed_and_total_direct_matches():
    allocation = _northwind_january()
    assert {c.service_id for c in allocation.costs()} == set(EXPECTED["services"])
    assert round(allocation.total_direct, 2) == EXPECTED["totalDirect"]


def test_northwind_retained_cost_sums_to_direct_cost():
    allocation = _northwind_january()
    assert allocation.retained.sum() == pytest.approx(allocation.direct.sum(), abs=0.005)
    assert allocation.conservation_error <= 0.005


def test_unallocated_remainder_of_a_cost_item_is_reported():
    allocation = _northwind_january()
    assert allocation.unallocated["consulting-2026-01"] == pytest.approx(2000.0)
    assert allocation.total_unallocated == pytest.approx(2000.0)
    assert allocation.total_direct + allocation.total_unallocated == pytest.approx(
        sum(i.amount for i in NORTHWIND.items)
    )


def test_equal_split_skips_retired_consumers():
    allocation = _northwind_january()
    network = NORTHWIND.topology.index["network-core"]
    by_consumer = {
        NORTHWIND.topology.ids[c]: allocation.weights[e]
        for e, c in enumerate(NORTHWIND.topology.consumer)
        if NORTHWIND.topology.provider[e] == network
    }
    third = 1 / 3
    expected = {"point-of-sale": third, "internet-access": third, "payments": third, "fax-gateway": 0.0}
    assert by_consumer == pytest.approx(expected)
    assert allocation.cost("fax-gateway").total == 0.0


def test_consumer_without_a_share_bears_nothing_when_another_consumer_states_one():
    contributions = {c.source_id: c for c in trace(_northwind_january(), "loyalty-app")}
    assert contributions["database-platform"].share == 0.0
    assert contributions["database-platform"].amount == 0.0
    assert contributions["identity"].amount == pytest.approx(1200.0)


def test_provider_whose_consumers_are_all_retired_keeps_its_cost():
    topo = _topology([("a", "b", None)], stages={"a": "RETIRED"})
    allocation = allocate(topo, _items({"b": 100.0}))
    assert allocation.cost("b").retained == 100.0
    assert allocation.cost("a").total == 0.0


def test_items_of_one_period_are_selected_and_mixed_periods_need_one_named():
    later = CostItem("x", "x", CostCategory.OTHER, CostNature.OPEX, 10.0, "2026-02", [("dc-east", 1.0)])
    assert allocate(NORTHWIND.topology, NORTHWIND.items + [later], period="2026-02").total_direct == 10.0
    with pytest.raises(BadInput):
        allocate(NORTHWIND.topology, NORTHWIND.items + [later])


# -- explanations ----------------------------------------------------------------------------------------------


def test_trace_lists_cost_items_and_provider_amounts_that_add_up_to_each_total():
    allocation = _northwind_january()
    for sid in NORTHWIND.topology.ids:
        assert sum(c.amount for c in trace(allocation, sid)) == pytest.approx(allocation.cost(sid).total)
    web_shop = {c.source_id: c for c in trace(allocation, "web-shop")}
    assert web_shop["ecommerce-team-2026-01"].source is Source.COST_ITEM
    assert web_shop["ecommerce-team-2026-01"].amount == pytest.approx(48600.0)
    assert web_shop["payments"].source is Source.PROVIDER
    assert web_shop["payments"].amount == pytest.approx(0.8 * 43766.6667, abs=0.01)


def test_origins_follow_the_chain_of_providers_to_the_cost_items():
    allocation = _northwind_january()
    web_shop = {c.item_id: c.amount for c in origins(allocation, "web-shop")}
    assert sum(web_shop.values()) == pytest.approx(allocation.cost("web-shop").total)
    # payments passes 80 % of its total to the web shop; its own fees are 25,000.
    assert web_shop["payco-fees-2026-01"] == pytest.approx(20000.0)
    assert sum(c.amount for c in origins(allocation, "payments", of="retained")) == 0.0


def test_cost_by_category_and_by_nature_adds_up_to_the_cost():
    allocation = _northwind_january()
    for split in (by_category(allocation), by_nature(allocation)):
        for name in ("direct", "total", "retained"):
            summed = sum(getattr(part, name) for part in split.values())
            assert summed == pytest.approx(getattr(allocation, name))
    capex = by_nature(allocation)[CostNature.CAPEX]
    assert capex.retained.sum() == pytest.approx(30000.0)  # server depreciation is the only CAPEX
    assert by_category(allocation)[CostCategory.OTHER].total[NORTHWIND.topology.index["web-shop"]] == 3000.0


# -- cycles and singular systems -------------------------------------------------------------------------------


def test_two_services_passing_all_cost_to_each_other_are_refused_naming_both():
    topo = _topology([("a", "b", 1.0), ("b", "a", 1.0)])
    assert sorted(find_closed_cycle(topo)) == ["a", "b"]
    with pytest.raises(ClosedCycle) as refused:
        allocate(topo, _items({"a": 100.0}))
    assert sorted(refused.value.cycle) == ["a", "b"]
    assert "a" in refused.value.message and "b" in refused.value.message


def test_cycle_with_one_leaking_edge_is_solved():
    topo = _topology([("a", "b", 1.0), ("b", "a", 0.9)])
    assert find_closed_cycle(topo) is None
    allocation = allocate(topo, _items({"a": 100.0, "b": 50.0}))
    # t_a = 100 + t_b, t_b = 50 + 0.9 t_a
    assert allocation.cost("a").total == pytest.approx(1500.0)
    assert allocation.cost("b").total == pytest.approx(1400.0)
    assert allocation.cost("a").retained == pytest.approx(150.0)
    assert allocation.cost("b").retained == pytest.approx(0.0)


def test_closed_cycle_is_named_in_dependency_order():
    topo = _topology([("a", "b", 1.0), ("b", "c", 1.0), ("c", "a", 1.0), ("x", "a", 0.0)])
    cycle = find_closed_cycle(topo)
    assert cycle in (["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"])


def test_closed_set_is_reported_without_the_services_feeding_it():
    # c passes all its cost into the closed pair a <-> b, and d draws from nothing: neither belongs to it.
    topo = _topology([("a", "b", 1.0), ("b", "a", 1.0), ("a", "c", None), ("d", "c", None)])
    assert sorted(find_closed_cycle(topo)) == ["a", "b"]


def test_closed_set_larger_than_its_cycle_lists_the_cycle_first():
    # a passes half to b and half to c; both pass everything back to a.
    topo = _topology([("b", "a", 0.5), ("c", "a", 0.5), ("a", "b", 1.0), ("a", "c", 1.0)])
    members = find_closed_cycle(topo)
    assert sorted(members) == ["a", "b", "c"]
    assert "a" in members[:2] and members[2] != "a"  # a two-service cycle through a, then the third member


def test_zero_share_back_edge_does_not_close_a_cycle():
    assert find_closed_cycle(NORTHWIND.topology) is None  # identity -> database-platform has share 0


@pytest.mark.parametrize(
    ("fixed_point_steps", "block_limit", "method"),
    [(100, 2000, "fixed-point"), (0, 2000, "block-lu"), (0, 0, "gmres")],
)
def test_every_solver_path_gives_the_same_allocation(monkeypatch, fixed_point_steps, block_limit, method):
    reference = _northwind_january()
    monkeypatch.setattr(linear, "FIXED_POINT_LIMIT", fixed_point_steps)
    monkeypatch.setattr(linear, "DIRECT_BLOCK_LIMIT", block_limit)
    allocation = _northwind_january()
    assert allocation.solver.method == method
    np.testing.assert_allclose(allocation.total, reference.total, rtol=1e-10)
    web_shop = {c.item_id: c.amount for c in origins(allocation, "web-shop")}
    assert sum(web_shop.values()) == pytest.approx(reference.cost("web-shop").total)


@pytest.mark.parametrize(("share", "method"), [(0.5, "fixed-point"), (0.9999, "block-lu")])
def test_ring_of_services_larger_than_the_direct_limit_is_solved(share, method):
    # With share 0.9999 the ring barely leaks: iteration and GMRES stall, the block factorisation does it.
    n = linear.DIRECT_BLOCK_LIMIT + 500
    names = [f"s{i}" for i in range(n)]
    topo = Topology.build(
        [(s, "SUPPORTING", "CATALOGUE") for s in names],
        [(names[i], names[(i + 1) % n], share, None, None) for i in range(n)],
    )
    allocation = allocate(topo, _items({s: float(i % 7) for i, s in enumerate(names)}))
    assert allocation.solver.method == method
    residual = allocation.total - allocation.direct - allocation.solver.matrix @ allocation.total
    assert np.abs(residual).max() < 1e-6 * allocation.total.max()
    assert allocation.retained.sum() == pytest.approx(allocation.direct.sum())


# -- bad input ---------------------------------------------------------------------------------------------------


def test_allocation_to_an_unknown_service_is_not_found():
    item = CostItem("x", "x", CostCategory.OTHER, CostNature.OPEX, 1.0, "2026-01", [("nowhere", 1.0)])
    with pytest.raises(NotFound):
        allocate(NORTHWIND.topology, [item])


def test_cost_item_shares_summing_over_one_are_refused():
    item = CostItem("x", "x", CostCategory.OTHER, CostNature.OPEX, 1.0, "2026-01", [("dc-east", 0.6), ("dc-west", 0.6)])
    with pytest.raises(RuleViolation):
        allocate(NORTHWIND.topology, [item])


def test_negative_amount_is_bad_input():
    item = CostItem("x", "x", CostCategory.OTHER, CostNature.OPEX, -1.0, "2026-01", [("dc-east", 1.0)])
    with pytest.raises(BadInput):
        allocate(NORTHWIND.topology, [item])


def test_consumer_shares_of_a_provider_summing_over_one_are_refused():
    topo = _topology([("a", "c", 0.7), ("b", "c", 0.7)])
    with pytest.raises(RuleViolation, match="'c'"):
        check_shares(topo)
    with pytest.raises(RuleViolation, match="'c'"):
        allocate(topo, _items({"c": 1.0}))


def test_dependency_share_outside_zero_to_one_is_bad_input():
    with pytest.raises(BadInput):
        check_shares(_topology([("a", "c", 1.5)]))


# -- property: conservation and agreement with a dense solve on random portfolios with cycles --------------------


def _reference_matrix(n, stages, edges):
    """The allocation matrix straight from the rules of domain.md, one provider at a time."""
    a = np.zeros((n, n))
    for j in range(n):
        incoming = [(c, share) for c, p, share in edges if p == j]
        if any(share is not None for _, share in incoming):
            for c, share in incoming:
                a[c, j] += share or 0.0
        else:
            live = [c for c, _ in incoming if stages[c] != "RETIRED"]
            for c in live:
                a[c, j] += 1.0 / len(live)
    return a


@st.composite
def _random_portfolio(draw):
    n = draw(st.integers(1, 9))
    stages = draw(st.lists(st.sampled_from(["PIPELINE", "CATALOGUE", "RETIRED"]), min_size=n, max_size=n))
    # (consumer, provider) pairs without self-loops: provider p >= consumer c stands for p + 1
    raw = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, max(n - 2, 0))), max_size=4 * n * (n > 1)))
    pairs = sorted({(c, p if p < c else p + 1) for c, p in raw})
    stated = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    parts = draw(st.lists(st.integers(0, 10), min_size=len(pairs), max_size=len(pairs)))
    silent = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    leak = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    edges = []
    for e, (c, p) in enumerate(pairs):
        if not stated[p]:
            edges.append((c, p, None))
            continue
        whole = sum(parts[f] for f, (_, q) in enumerate(pairs) if q == p) + leak[p]
        share = parts[e] / whole if whole else 0.0
        edges.append((c, p, None if silent[e] and share == 0.0 else share))
    direct = draw(st.lists(st.integers(0, 10_000), min_size=n, max_size=n))
    return n, stages, edges, direct


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_random_portfolio())
def test_allocation_conserves_cost_and_agrees_with_a_dense_solve(case):
    n, stages, edges, direct = case
    ids = [f"s{i}" for i in range(n)]
    topo = Topology.build(
        [(ids[i], "SUPPORTING", stages[i]) for i in range(n)], [(ids[c], ids[p], s, None, None) for c, p, s in edges]
    )
    items = _items({ids[i]: float(direct[i]) for i in range(n)})
    a = _reference_matrix(n, stages, edges)
    system = np.eye(n) - a
    singular = np.linalg.svd(system, compute_uv=False).min() < 1e-9
    closed = find_closed_cycle(topo)
    event("singular" if singular else "regular")
    if singular:
        assert closed is not None
        members = [topo.index[s] for s in closed]
        outside = [i for i in range(n) if i not in members]
        assert np.allclose(a[:, members].sum(axis=0), 1.0)  # every member passes on all it holds ...
        assert np.allclose(a[np.ix_(outside, members)], 0.0)  # ... and only to members
        with pytest.raises(ClosedCycle):
            allocate(topo, items)
        return
    assert closed is None
    allocation = allocate(topo, items)
    reference = np.linalg.solve(system, np.asarray(direct, dtype=float))
    np.testing.assert_allclose(allocation.total, reference, rtol=1e-9, atol=1e-6)
    assert (allocation.total >= -1e-9).all()
    assert math.isclose(allocation.retained.sum(), sum(direct), rel_tol=1e-9, abs_tol=0.005)
    for i in range(n):
        assert sum(c.amount for c in trace(allocation, i)) == pytest.approx(allocation.total[i], abs=1e-6)
