"""The impact engine against the worked example (shared/examples) and against a plain-Python reference."""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_itsm.impact.engine import (
    DEGRADED,
    DOWN,
    STATUS_NAMES,
    compute_impact,
    dependencies,
    down_services,
    limit_depth,
)
from graph_itsm.topology import Topology

# The repository root has ../shared beside it (in this worktree layout and in CI alike).
EXAMPLES = Path(__file__).resolve().parents[2] / "tests" / "data"
NORTHWIND = json.loads((EXAMPLES / "northwind-retail.json").read_text())
EXPECTED = json.loads((EXAMPLES / "northwind-retail.expected.json").read_text())
IMPACT_KEYS = sorted(k for k in EXPECTED if k.startswith("impact:"))


def _topology(doc: dict) -> Topology:
    """A Topology from a portfolio document (spec/portfolio-format.md)."""
    services = doc["services"]
    customers = doc.get("customers", [])
    return Topology.build(
        [(s["id"], s["kind"], s["stage"]) for s in services],
        [
            (s["id"], d["service"], d.get("share"), d.get("redundancyGroup"), d.get("demandFactor"))
            for s in services
            for d in s.get("dependsOn", [])
        ],
        enables=[(s["id"], o) for s in services for o in s.get("enables", [])],
        subscribes=[(c["id"], x["service"]) for c in customers for x in c.get("subscriptions", [])],
        pursues=[(c["id"], o) for c in customers for o in c.get("pursues", [])],
    )


def _impact(topo: Topology, failed: list[str], removed: list[str] = ()):
    return compute_impact(topo, [topo.index[s] for s in failed], [topo.index[s] for s in removed])


@pytest.fixture(scope="module")
def northwind() -> Topology:
    return _topology(NORTHWIND)


def _ids(topo: Topology, indices) -> list[str]:
    return [topo.ids[i] for i in indices]


def _assert_paths_are_shortest(topo: Topology, result, sources: set[int]) -> None:
    edges = set(zip(topo.provider.tolist(), topo.consumer.tolist()))
    for i in result.services.tolist():
        path = result.path(i)
        assert path[0] in sources and path[-1] == i
        assert len(path) == result.distance[i] + 1
        assert all((a, b) in edges for a, b in zip(path, path[1:]))


# -- the worked example -------------------------------------------------------------------------------


@pytest.mark.parametrize("key", IMPACT_KEYS)
def test_northwind_impact_matches_the_worked_answers(northwind: Topology, key: str) -> None:
    expected = EXPECTED[key]
    result = _impact(northwind, key.split(":", 1)[1].split(","))
    services = {
        northwind.ids[i]: {"distance": int(result.distance[i]), "status": STATUS_NAMES[result.status[i]]}
        for i in result.services
    }
    assert services == expected["services"]
    assert sorted(_ids(northwind, result.customer_facing)) == expected["customerFacing"]
    outcomes = {northwind.outcome_ids[o]: STATUS_NAMES[result.outcome_status[o]] for o in result.outcomes}
    assert outcomes == expected["outcomes"]
    customers = {northwind.customer_ids[c]: STATUS_NAMES[result.customer_status[c]] for c in result.customers}
    assert customers == expected["customers"]


@pytest.mark.parametrize("key", IMPACT_KEYS)
def test_down_services_are_the_down_services_of_the_worked_answers(northwind: Topology, key: str) -> None:
    down = down_services(northwind, [northwind.index[s] for s in key.split(":", 1)[1].split(",")])
    expected = {s for s, v in EXPECTED[key]["services"].items() if v["status"] == "DOWN"}
    assert set(_ids(northwind, np.flatnonzero(down))) == expected


@pytest.mark.parametrize("key", IMPACT_KEYS)
def test_northwind_paths_are_shortest_paths_from_a_failed_service(northwind: Topology, key: str) -> None:
    failed = key.split(":", 1)[1].split(",")
    _assert_paths_are_shortest(northwind, _impact(northwind, failed), {northwind.index[s] for s in failed})


def test_impacted_services_are_listed_by_distance_then_id(northwind: Topology) -> None:
    result = _impact(northwind, ["dc-east"])
    listed = [(int(result.distance[i]), northwind.ids[i]) for i in result.services]
    assert listed == sorted(listed)
    assert list(result.customer_facing) == [i for i in result.services if northwind.customer_facing[i]]
    counts = result.counts()
    assert (counts.services, counts.down, counts.degraded, counts.customer_facing) == (12, 3, 9, 6)  # fax-gateway is RETIRED: out of service


def test_removed_service_fails_its_consumers_and_is_flagged(northwind: Topology) -> None:
    as_failed = _impact(northwind, ["dc-east"])
    as_removed = _impact(northwind, [], removed=["dc-east"])
    assert np.array_equal(as_failed.status, as_removed.status)
    assert np.array_equal(as_failed.distance, as_removed.distance)
    assert _ids(northwind, np.flatnonzero(as_removed.removed)) == ["dc-east"]
    assert not as_failed.removed.any()


def test_limit_depth_lists_near_services_with_their_whole_graph_status(northwind: Topology) -> None:
    result = limit_depth(northwind, _impact(northwind, ["dc-east"]), 1)
    assert _ids(northwind, result.services) == ["dc-east", "database-platform", "mail-platform", "network-core",
                                                "web-shop"]
    assert _ids(northwind, result.customer_facing) == ["web-shop"]
    # email (DOWN, distance 2) is not reported, so staff-communicate is not either.
    assert [northwind.outcome_ids[o] for o in result.outcomes] == ["orders-24h", "trade-online"]
    assert result.counts().services == 5


def test_no_failure_impacts_nothing(northwind: Topology) -> None:
    result = compute_impact(northwind, [])
    assert result.services.size == result.outcomes.size == result.customers.size == 0
    assert (result.distance == -1).all() and (result.status == 0).all()
    assert result.path(0) == []


def test_service_numbers_out_of_range_are_refused(northwind: Topology) -> None:
    with pytest.raises(IndexError):
        compute_impact(northwind, [northwind.n])
    with pytest.raises(IndexError):
        dependencies(northwind, -1)


# -- small hand-made graphs ---------------------------------------------------------------------------


def _graph(edges: list[tuple[str, str, str | None]]) -> Topology:
    ids = sorted({e[0] for e in edges} | {e[1] for e in edges})
    return Topology.build([(i, "SUPPORTING", "CATALOGUE") for i in ids], [(c, p, None, g, None) for c, p, g in edges])


def _status(topo: Topology, failed: list[str]) -> dict[str, str | None]:
    result = _impact(topo, failed)
    return {s: STATUS_NAMES[result.status[i]] for i, s in enumerate(topo.ids)}


def test_redundant_pair_degrades_until_both_fail() -> None:
    topo = _graph([("app", "dc-a", "hosting"), ("app", "dc-b", "hosting"), ("web", "app", None)])
    assert _status(topo, ["dc-a"]) == {"app": "DEGRADED", "dc-a": "DOWN", "dc-b": None, "web": "DEGRADED"}
    assert _status(topo, ["dc-a", "dc-b"]) == {"app": "DOWN", "dc-a": "DOWN", "dc-b": "DOWN", "web": "DOWN"}


def test_same_group_name_on_two_consumers_makes_two_groups() -> None:
    topo = _graph([("x", "a", "g"), ("x", "b", "g"), ("y", "a", "g"), ("y", "c", "g")])
    assert _status(topo, ["a", "b"])["x"] == "DOWN"
    assert _status(topo, ["a", "b"])["y"] == "DEGRADED"


def test_mutually_redundant_cycle_is_not_down_without_a_cause() -> None:
    # a needs b or x; b needs a or y. With x and y failed, a and b still serve each other (least fixpoint).
    topo = _graph([("a", "b", "g"), ("a", "x", "g"), ("b", "a", "g"), ("b", "y", "g")])
    assert _status(topo, ["x", "y"]) == {"a": "DEGRADED", "b": "DEGRADED", "x": "DOWN", "y": "DOWN"}


def test_failure_travels_round_a_cycle_and_stops() -> None:
    topo = _graph([("a", "b", None), ("b", "c", None), ("c", "a", None), ("top", "a", None)])
    result = _impact(topo, ["b"])
    assert {topo.ids[i]: int(result.distance[i]) for i in result.services} == {"b": 0, "a": 1, "c": 2, "top": 2}
    assert (result.status[result.services] == DOWN).all()


def test_dependencies_of_northwind_services(northwind: Topology) -> None:
    def deps(sid: str, max_depth: int | None = None) -> list[tuple[str, int]]:
        found, dist = dependencies(northwind, northwind.index[sid], max_depth)
        return list(zip(_ids(northwind, found), dist.tolist()))

    assert deps("web-shop") == [("database-platform", 1), ("dc-east", 1), ("dc-west", 1), ("identity", 1),
                                ("payments", 1), ("backup", 2), ("network-core", 2)]
    assert deps("web-shop", max_depth=1) == deps("web-shop")[:5]
    # identity and database-platform need each other: identity is not its own dependency.
    assert deps("identity") == [("database-platform", 1), ("backup", 2), ("dc-east", 2), ("dc-west", 2)]
    assert deps("dc-east") == []
    assert deps("web-shop", max_depth=0) == []


def test_dependencies_on_a_cycle_exclude_the_start() -> None:
    topo = _graph([("a", "b", None), ("b", "c", None), ("c", "a", None)])
    found, dist = dependencies(topo, topo.index["a"])
    assert list(zip(_ids(topo, found), dist.tolist())) == [("b", 1), ("c", 2)]


# -- property tests against a reference ---------------------------------------------------------------


Edge = tuple[int, int, "str | None"]  # (consumer, provider, redundancyGroup)


def _reference_impact(
    n: int, edges: list[Edge], sources: set[int], delivered: list[bool] | None = None
) -> tuple[list[int], list[int]]:
    """The spec read literally: (status per service, distance per service, -1 when not impacted). Services
    that are not delivered take no part: their edges and their membership of ``sources`` are dropped."""
    if delivered is not None:
        edges = [(c, p, g) for c, p, g in edges if delivered[c] and delivered[p]]
        sources = {i for i in sources if delivered[i]}
    groups: dict[tuple, list[int]] = {}
    for k, (c, p, g) in enumerate(edges):
        groups.setdefault((c, g) if g else (c, "edge", k), []).append(p)
    down = set(sources)
    changed = True
    while changed:  # least fixpoint: grow DOWN from the sources until nothing changes
        changed = False
        for (c, *_), members in groups.items():
            if c not in down and all(p in down for p in members):
                down.add(c)
                changed = True
    impacted = set(down)
    changed = True
    while changed:  # DEGRADED: some dependency is DOWN or DEGRADED
        changed = False
        for c, p, _ in edges:
            if p in impacted and c not in impacted:
                impacted.add(c)
                changed = True
    distance = [-1] * n
    queue = deque(sorted(sources))
    for s in sources:
        distance[s] = 0
    while queue:
        p = queue.popleft()
        for c, q, _ in edges:
            if q == p and distance[c] < 0:
                distance[c] = distance[p] + 1
                queue.append(c)
    status = [DOWN if i in down else DEGRADED if i in impacted else 0 for i in range(n)]
    return status, distance


@st.composite
def _portfolios(draw):
    """Small random portfolios with cycles, redundancy groups, outcomes, customers and odd ids."""
    # sorted: Topology numbers services in id order, so these indices are the topology's
    ids = sorted(draw(st.lists(st.text("ab-_Z9", min_size=1, max_size=3), min_size=1, max_size=9, unique=True)))
    n = len(ids)
    node = st.integers(0, n - 1)
    edges = draw(st.lists(st.tuples(node, node, st.sampled_from([None, None, "g", "h"])), max_size=3 * n))
    edges = [e for e in edges if e[0] != e[1]]  # a service cannot depend on itself (domain rule 5)
    kinds = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    stages = draw(st.lists(st.sampled_from(["CATALOGUE", "CATALOGUE", "PIPELINE", "RETIRED"]), min_size=n, max_size=n))
    outcome, customer = st.sampled_from(["o1", "o2", "o3"]), st.sampled_from(["c1", "c2", "c3"])
    subscribes = draw(
        st.lists(st.tuples(customer, st.sampled_from(ids), st.sampled_from([None, None, "kept for a contract"])),
                 unique_by=lambda t: t[:2])
    )
    topo = Topology.build(
        [(s, "CUSTOMER_FACING" if cf else "SUPPORTING", stage) for s, cf, stage in zip(ids, kinds, stages)],
        [(ids[c], ids[p], None, g, None) for c, p, g in edges],
        enables=draw(st.lists(st.tuples(st.sampled_from(ids), outcome), unique=True)),
        subscribes=subscribes,
        pursues=draw(st.lists(st.tuples(customer, outcome), unique=True)),
    )
    held = {sid for _, sid, special in subscribes if special}
    delivered = [stage != "RETIRED" or sid in held for sid, stage in zip(ids, stages)]
    failed = draw(st.sets(node, max_size=3))
    removed = draw(st.sets(node, max_size=2))
    return topo, edges, failed, removed, delivered


def _named(topo: Topology, result) -> tuple[dict, dict, dict]:
    services = {topo.ids[i]: (int(result.status[i]), int(result.distance[i])) for i in result.services}
    outcomes = {topo.outcome_ids[o]: int(result.outcome_status[o]) for o in result.outcomes}
    customers = {topo.customer_ids[c]: int(result.customer_status[c]) for c in result.customers}
    return services, outcomes, customers


@settings(max_examples=300, deadline=None)
@given(_portfolios())
def test_engine_agrees_with_the_reference_on_random_portfolios(case) -> None:
    topo, edges, failed, removed, delivered = case
    result = compute_impact(topo, sorted(failed), sorted(removed))
    status, distance = _reference_impact(topo.n, edges, failed | removed, delivered)

    outcomes: dict[str, int] = {}
    for s, o in zip(topo.enables_service.tolist(), topo.enables_outcome.tolist()):
        outcomes[topo.outcome_ids[o]] = max(outcomes.get(topo.outcome_ids[o], 0), status[s])
    customers: dict[str, int] = {}
    for c, s in zip(topo.subscribes_customer.tolist(), topo.subscribes_service.tolist()):
        customers[topo.customer_ids[c]] = max(customers.get(topo.customer_ids[c], 0), status[s])
    for c, o in zip(topo.pursues_customer.tolist(), topo.pursues_outcome.tolist()):
        worst = outcomes.get(topo.outcome_ids[o], 0)
        customers[topo.customer_ids[c]] = max(customers.get(topo.customer_ids[c], 0), worst)
    expected_services = {topo.ids[i]: (status[i], distance[i]) for i in range(topo.n) if status[i]}
    expected = (expected_services, {k: v for k, v in outcomes.items() if v}, {k: v for k, v in customers.items() if v})

    assert _named(topo, result) == expected
    assert list(result.services) == sorted(result.services, key=lambda i: (distance[i], topo.ids[i]))
    assert set(np.flatnonzero(result.removed)) == {i for i in removed if delivered[i]}
    _assert_paths_are_shortest(topo, result, failed | removed)


@settings(max_examples=200, deadline=None)
@given(_portfolios(), st.data())
def test_one_more_failure_never_lowers_a_status(case, data) -> None:
    topo, _, failed, removed, _ = case
    extra = data.draw(st.integers(0, topo.n - 1))
    before = compute_impact(topo, sorted(failed), sorted(removed))
    after = compute_impact(topo, sorted(failed | {extra}), sorted(removed))
    assert (after.status >= before.status).all()
    assert (after.outcome_status >= before.outcome_status).all()
    assert (after.customer_status >= before.customer_status).all()


@settings(max_examples=200, deadline=None)
@given(_portfolios(), st.data())
def test_dependencies_agree_with_a_plain_search(case, data) -> None:
    topo, edges, _, _, _ = case
    start = data.draw(st.integers(0, topo.n - 1))
    distance = {start: 0}
    queue = deque([start])
    while queue:
        c = queue.popleft()
        for consumer, p, _ in edges:
            if consumer == c and p not in distance:
                distance[p] = distance[c] + 1
                queue.append(p)
    del distance[start]
    found, dist = dependencies(topo, start)
    assert dict(zip(found.tolist(), dist.tolist())) == distance
    assert list(found) == sorted(found, key=lambda i: (distance[i], topo.ids[i]))
