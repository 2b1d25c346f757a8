"""k-of-n redundancy (spec "Impact analysis"): the engine and the all-failures-at-once single points of failure
against a small reference that iterates the rules to a fixpoint, on random graphs with cycles and random
k-of-n groups; and by hand on small graphs."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from graph_itsm.impact.engine import DEGRADED, DOWN, NOT_IMPACTED, compute_impact, down_services
from graph_itsm.impact.single_failures import single_failure_down
from graph_itsm.topology import Topology


def _reference(services, edges, rules, failed):
    """Statuses by id, straight from the spec: iterate "DOWN if in F or a group has fewer than minUp members up"
    from nothing DOWN until it stops changing (the least fixpoint), then the same for DEGRADED. Only delivered
    (non-retired) services take part; minUp is capped at the group's members that take part."""
    stage = {sid: st for sid, _, st in services}
    live = {sid for sid in stage if stage[sid] != "RETIRED"}
    groups: dict[tuple[str, str], list[str]] = {}
    for c, p, _, g, _ in edges:
        if c in live and p in live:
            groups.setdefault((c, g if g else f"\0{p}"), []).append(p)

    def need(c, g, members):
        rule = rules.get((c, g)) if not g.startswith("\0") else None
        if rule is None:
            k = 1
        elif rule[0] == "minUp":
            k = rule[1]
        else:
            k = math.ceil(rule[1] * len(members) / 100 - 1e-9)
        return max(1, min(k, len(members)))

    down = set()
    while True:
        new = {s for s in failed if s in live}
        for (c, g), members in groups.items():
            if sum(m not in down for m in members) < need(c, g, members):
                new.add(c)
        if new == down:
            break
        down = new
    degraded: set[str] = set()
    while True:
        new = {c for (c, _), members in groups.items() for m in members
               if c not in down and (m in down or m in degraded)}
        if new == degraded:
            break
        degraded = new
    return {s: (DOWN if s in down else DEGRADED if s in degraded else NOT_IMPACTED) for s in stage}


def _build(services, edges, rules):
    texts = {}
    for (c, g), (key, value) in rules.items():
        texts.setdefault(c, []).append({"group": g, key: value})
    return Topology.build([(sid, kind, stage, sid, texts.get(sid)) for sid, kind, stage in services], edges)


@st.composite
def _portfolios(draw):
    n = draw(st.integers(2, 9))
    ids = [f"s{i}" for i in range(n)]
    services = [(sid, draw(st.sampled_from(["CUSTOMER_FACING", "SUPPORTING"])),
                 draw(st.sampled_from(["CATALOGUE", "CATALOGUE", "PIPELINE", "RETIRED"]))) for sid in ids]
    pairs = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(lambda e: e[0] != e[1]),
                          unique=True, max_size=3 * n))  # any direction: cycles are common
    edges = [(c, p, None, draw(st.sampled_from([None, "a", "a", "b"])), None) for c, p in pairs]
    rules = {}
    for c, g in sorted({(c, g) for c, _, _, g, _ in edges if g}):
        kind = draw(st.sampled_from(["none", "minUp", "minUpPercent"]))
        if kind == "minUp":
            rules[(c, g)] = ("minUp", draw(st.integers(1, 5)))
        elif kind == "minUpPercent":
            rules[(c, g)] = ("minUpPercent", draw(st.sampled_from([1.0, 33.3, 50.0, 66.7, 75.0, 100.0])))
    failed = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    return services, edges, rules, failed


@settings(max_examples=400, deadline=None)
@given(_portfolios())
def test_engine_statuses_match_the_reference_fixpoint(case) -> None:
    services, edges, rules, failed = case
    topo = _build(services, edges, rules)
    result = compute_impact(topo, [topo.index[s] for s in failed])
    expected = _reference(services, edges, rules, set(failed))
    assert {sid: int(result.status[topo.index[sid]]) for sid, _, _ in services} == expected


@settings(max_examples=300, deadline=None)
@given(_portfolios())
def test_every_single_failure_at_once_matches_one_failure_at_a_time(case) -> None:
    services, edges, rules, _ = case
    topo = _build(services, edges, rules)
    everyone = np.arange(topo.n)
    k, t = single_failure_down(topo, everyone, everyone)
    got = {(int(a), int(b)) for a, b in zip(k, t)}
    want = set()
    for i in range(topo.n):
        expected = _reference(services, edges, rules, {topo.ids[i]})
        want |= {(i, topo.index[s]) for s, status in expected.items() if status == DOWN}
        assert set(np.flatnonzero(down_services(topo, [i])).tolist()) == {b for a, b in want if a == i}
    assert got == want


def _cluster(rule):
    """app -> node-1..3 in group "cluster" (with ``rule``), app -> db alone; front -> app."""
    services = [(s, "SUPPORTING", "CATALOGUE") for s in ("app", "db", "node-1", "node-2", "node-3")]
    services.append(("front", "CUSTOMER_FACING", "CATALOGUE"))
    edges = [("app", f"node-{k}", None, "cluster", None) for k in (1, 2, 3)]
    edges += [("app", "db", None, None, None), ("front", "app", None, None, None)]
    return _build(services, edges, {("app", "cluster"): rule} if rule else {})


def _statuses(topo, failed):
    result = compute_impact(topo, [topo.index[s] for s in failed])
    return {topo.ids[i]: int(result.status[i]) for i in np.flatnonzero(result.status)}


def test_two_of_three_survive_one_node_and_fall_with_two() -> None:
    topo = _cluster(("minUp", 2))
    assert _statuses(topo, ["node-1"]) == {"node-1": DOWN, "app": DEGRADED, "front": DEGRADED}
    assert _statuses(topo, ["node-1", "node-3"]) == {"node-1": DOWN, "node-3": DOWN, "app": DOWN, "front": DOWN}


def test_percent_is_of_the_members_rounded_up() -> None:
    # 50 % of 3 members is 1.5: two needed; 34 % is 1.02: two needed; 33.3 % is 0.999: one needed
    assert _statuses(_cluster(("minUpPercent", 50.0)), ["node-1", "node-2"])["app"] == DOWN
    assert _statuses(_cluster(("minUpPercent", 34.0)), ["node-1", "node-2"])["app"] == DOWN
    assert _statuses(_cluster(("minUpPercent", 33.3)), ["node-1", "node-2"])["app"] == DEGRADED
    assert _statuses(_cluster(("minUpPercent", 100.0)), ["node-2"])["app"] == DOWN


def test_without_a_rule_one_member_is_enough() -> None:
    assert _statuses(_cluster(None), ["node-1", "node-2"])["app"] == DEGRADED
    assert _statuses(_cluster(None), ["node-1", "node-2", "node-3"])["app"] == DOWN


def test_a_retired_member_is_no_member_and_the_rule_applies_to_those_left() -> None:
    services = [(s, "SUPPORTING", "RETIRED" if s == "node-3" else "CATALOGUE") for s in ("app", "node-1", "node-2", "node-3")]
    edges = [("app", f"node-{k}", None, "cluster", None) for k in (1, 2, 3)]
    topo = _build(services, edges, {("app", "cluster"): ("minUp", 3)})
    assert _statuses(topo, []) == {}  # 3 needed of the 2 left: capped, nothing is DOWN without a cause
    assert _statuses(topo, ["node-1"]) == {"node-1": DOWN, "app": DOWN}


def test_a_cycle_does_not_hold_itself_down() -> None:
    # a <-> b in one group each with a third member; b fails: a has 1 of 2 (needs 2): DOWN; b is failed anyway
    services = [(s, "SUPPORTING", "CATALOGUE") for s in ("a", "b", "c", "d")]
    edges = [("a", "b", None, "g", None), ("a", "c", None, "g", None), ("b", "a", None, "h", None),
             ("b", "d", None, "h", None)]
    topo = _build(services, edges, {("a", "g"): ("minUp", 2), ("b", "h"): ("minUp", 2)})
    assert _statuses(topo, []) == {}
    assert _statuses(topo, ["c"]) == {"c": DOWN, "a": DOWN, "b": DOWN}
    assert _statuses(topo, ["d"]) == {"d": DOWN, "b": DOWN, "a": DOWN}
