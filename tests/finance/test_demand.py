"""Demand management: demand rolled down dependencies, utilisation and capacity flags."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import tests.finance._finance_portfolio as portfolio
from graph_itsm.errors import BadInput, NotFound
from graph_itsm.finance.demand import CapacityFlag, demand_report, find_demand_cycle
from graph_itsm.finance.errors import ClosedCycle
from graph_itsm.finance.model import Subscription
from graph_itsm.topology.projection import Topology

NORTHWIND = portfolio.load()


def _topology(edges, extra=()):
    """Services named by letter; ``edges`` are (consumer, provider, demandFactor)."""
    used = sorted({x for c, p, _ in edges for x in (c, p)} | set(extra))
    return Topology.build(
        [(s, "SUPPORTING", "CATALOGUE") for s in used], [(c, p, None, None, f) for c, p, f in edges]
    )


def _units(**by_service):
    return [Subscription("customer", sid, units=u) for sid, u in by_service.items()]


def test_northwind_demand_is_subscribed_units_plus_what_consumers_pass_down():
    report = demand_report(NORTHWIND.topology, NORTHWIND.subscriptions, NORTHWIND.capacity)
    web_shop = report.of("web-shop")
    assert web_shop.own_units == 55000.0  # 40,000 + 15,000
    assert web_shop.demand == 55000.0
    assert web_shop.utilisation == pytest.approx(55000.0 / 120000.0)
    assert web_shop.flag is None
    assert report.of("dc-east").demand == pytest.approx(27500.0)  # demandFactor 0.5
    assert report.of("dc-west").demand == 0.0  # no factor stated: 0
    assert report.of("email").demand == 1040.0
    assert report.of("email").utilisation is None  # no capacity
    assert report.flagged() == []


def test_demand_multiplies_along_a_chain_of_factors():
    report = demand_report(_topology([("a", "b", 2.0), ("b", "c", 0.5)]), _units(a=100.0), {})
    assert [report.of(s).demand for s in "abc"] == pytest.approx([100.0, 200.0, 100.0])


def test_demand_from_several_consumers_adds_up():
    report = demand_report(_topology([("a", "c", 1.0), ("b", "c", 0.25)]), _units(a=10.0, b=40.0, c=5.0), {})
    assert report.of("c").demand == pytest.approx(10.0 + 10.0 + 5.0)


def test_demand_around_a_damped_cycle_is_solved():
    # x_a = 100 + 0.5 x_b, x_b = 0.5 x_a
    report = demand_report(_topology([("a", "b", 0.5), ("b", "a", 0.5)]), _units(a=100.0), {})
    assert report.of("a").demand == pytest.approx(400.0 / 3.0)
    assert report.of("b").demand == pytest.approx(200.0 / 3.0)


def test_cycle_with_factors_above_one_is_fine_while_their_product_is_below_one():
    # x_a = u + 0.4 x_b, x_b = 2 x_a: x_a = u / (1 - 0.8)
    topo = _topology([("a", "b", 2.0), ("b", "a", 0.4)])
    assert find_demand_cycle(topo) is None
    assert demand_report(topo, _units(a=10.0), {}).of("a").demand == pytest.approx(50.0)


@pytest.mark.parametrize(("forward", "back"), [(1.0, 1.0), (2.0, 0.6), (2.0, 0.5)])
def test_cycle_that_keeps_or_amplifies_demand_is_refused_naming_it(forward, back):
    topo = _topology([("a", "b", forward), ("b", "a", back), ("x", "a", 1.0)])
    assert sorted(find_demand_cycle(topo)) == ["a", "b"]
    with pytest.raises(ClosedCycle) as refused:
        demand_report(topo, _units(x=1.0), {})
    assert sorted(refused.value.cycle) == ["a", "b"]
    assert "a -> b -> a" in refused.value.message or "b -> a -> b" in refused.value.message


@pytest.mark.parametrize(
    ("units", "flag"),
    [(50.0, None), (89.9, None), (90.0, CapacityFlag.NEAR), (100.0, CapacityFlag.NEAR), (100.5, CapacityFlag.OVER)],
)
def test_services_over_or_within_ten_percent_of_capacity_are_flagged(units, flag):
    report = demand_report(_topology([], extra=["a"]), _units(a=units), {"a": 100.0})
    assert report.of("a").flag is flag
    assert [r.service_id for r in report.flagged()] == ([] if flag is None else ["a"])


def test_flagged_services_come_highest_utilisation_first():
    topo = _topology([("a", "b", 3.0)])
    report = demand_report(topo, _units(a=95.0), {"a": 100.0, "b": 200.0})
    assert [(r.service_id, r.flag) for r in report.flagged()] == [("b", CapacityFlag.OVER), ("a", CapacityFlag.NEAR)]


def test_zero_capacity_with_demand_is_over_capacity():
    report = demand_report(_topology([], extra=["a", "b"]), _units(a=1.0), {"a": 0.0, "b": 0.0})
    assert report.of("a").flag is CapacityFlag.OVER
    assert report.of("b").utilisation == 0.0 and report.of("b").flag is None


def test_bad_units_factor_or_capacity_are_refused():
    topo = _topology([("a", "b", 1.0)])
    with pytest.raises(BadInput):
        demand_report(topo, _units(a=-1.0), {})
    with pytest.raises(BadInput):
        demand_report(topo, [], {"a": -5.0})
    with pytest.raises(NotFound):
        demand_report(topo, _units(z=1.0), {})
    with pytest.raises(BadInput):
        demand_report(_topology([("a", "b", -0.5)]), [], {})


@st.composite
def _random_demand(draw):
    n = draw(st.integers(1, 7))
    # (consumer, provider) pairs without self-loops: provider p >= consumer c stands for p + 1
    raw = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, max(n - 2, 0))), max_size=3 * n * (n > 1)))
    pairs = sorted({(c, p if p < c else p + 1) for c, p in raw})
    factors = draw(st.lists(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5, 3.0]), min_size=len(pairs), max_size=len(pairs)))
    units = draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n))
    return n, [(c, p, f) for (c, p), f in zip(pairs, factors)], units


@settings(max_examples=200, deadline=None)
@given(_random_demand())
def test_demand_agrees_with_a_dense_solve_or_names_a_cycle_that_does_not_die_out(case):
    n, edges, units = case
    ids = [f"s{i}" for i in range(n)]
    topo = Topology.build(
        [(s, "SUPPORTING", "CATALOGUE") for s in ids], [(ids[c], ids[p], None, None, f) for c, p, f in edges]
    )
    f = np.zeros((n, n))
    for c, p, factor in edges:
        f[p, c] += factor
    radius = np.abs(np.linalg.eigvals(f)).max() if n else 0.0
    cycle = find_demand_cycle(topo)
    event("demand does not die out" if radius >= 1.0 - 1e-9 else "finite demand")
    if radius >= 1.0 - 1e-9:
        assert cycle is not None
        members = [topo.index[s] for s in cycle]
        assert np.abs(np.linalg.eigvals(f[np.ix_(members, members)])).max() >= 1.0 - 1e-9
        return
    assert cycle is None
    report = demand_report(topo, [Subscription("c", ids[i], units=float(u)) for i, u in enumerate(units)], {})
    expected = np.linalg.solve(np.eye(n) - f, np.asarray(units, dtype=float))
    np.testing.assert_allclose(report.demand, expected, rtol=1e-9, atol=1e-6)
