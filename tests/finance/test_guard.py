"""The guard against writes that make cost allocation singular (spec: a closed cycle is refused, named)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from graph_itsm.errors import BadInput, RuleViolation
from graph_itsm.finance.allocation import known_allocatable
from graph_itsm.finance.guard import ClosedCycle, assert_allocatable, candidate, check_change
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.topology.projection import Topology


def _topology(edges, stages=None) -> Topology:
    """Services a, b (supporting) and c (customer-facing), all CATALOGUE unless ``stages`` says otherwise."""
    stages = stages or {}
    services = [(s, "CUSTOMER_FACING" if s == "c" else "SUPPORTING", stages.get(s, "CATALOGUE")) for s in "abc"]
    return Topology.build(services, [(c, p, share, None, None) for c, p, share in edges])


def test_a_cycle_that_leaks_to_a_third_consumer_is_allocatable():
    assert_allocatable(_topology([("a", "b", None), ("b", "a", None), ("c", "a", None)]))


def test_closing_a_cycle_is_refused_naming_it_in_dependency_order():
    before = _topology([("a", "b", None), ("c", "a", None)])
    with pytest.raises(ClosedCycle) as refused:
        assert_allocatable(candidate(before, set_edges=[("b", "a", 1.0)]))  # c states no share: it bears nothing
    assert refused.value.cycle in (["a", "b"], ["b", "a"])
    assert refused.value.code == "RULE_VIOLATION" and refused.value.extensions["rule"] == "closed-cycle"
    assert "a -> b -> a" in str(refused.value) or "b -> a -> b" in str(refused.value)
    assert_allocatable(before)  # the candidate left the projection it came from alone
    assert before.m == 2 and np.isnan(before.share).all()


@pytest.mark.parametrize("change", [
    {"remove_edges": [("c", "a")]},                 # the only leak goes
    {"stages": {"c": "RETIRED"}},                    # equal splits skip retired consumers
    {"set_edges": [("b", "a", 1.0)]},               # b states a share, so c (without one) bears nothing
])
def test_every_kind_of_change_that_closes_the_cycle_is_refused(change):
    with pytest.raises(ClosedCycle):
        assert_allocatable(candidate(_topology([("a", "b", None), ("b", "a", None), ("c", "a", None)]), **change))


def test_provider_shares_above_one_are_refused():
    with pytest.raises(RuleViolation, match="'a'"):
        assert_allocatable(_topology([("b", "a", 0.7), ("c", "a", 0.6)]))


def test_candidate_adds_services_and_replaces_an_edge():
    before = _topology([("c", "a", 0.5)])
    after = candidate(before, new_services=[("d", "SUPPORTING", "PIPELINE")], set_edges=[("c", "a", 0.2), ("d", "a", None)])
    assert after.ids == ["a", "b", "c", "d"] and after.m == 2
    assert sorted(after.share[~np.isnan(after.share)].tolist()) == [0.2]
    assert after.n_groups == before.n_groups + 2


# -- through the portfolio mutations ---------------------------------------------------------------------------

CREATE = """mutation($id: ID!, $name: String!, $kind: ServiceKind!) { createService(input: {id: $id, name: $name, kind: $kind,
  owner: "ops", criticality: 3}) { id } }"""
ADD = """mutation($c: ID!, $p: ID!, $share: Float) { addDependency(input: {consumer: $c, provider: $p, share: $share}) {
  id } }"""
REMOVE = """mutation($c: ID!, $p: ID!) { removeDependency(consumer: $c, provider: $p) { id } }"""
MOVE = """mutation($s: ID!, $stage: ServiceStage!) { moveServiceStage(input: {service: $s, stage: $stage}) {
  previousStage } }"""


@pytest.fixture
def ring(client):
    """a and b depend on each other; c depends on a, so a's cost leaks to c."""
    for sid, kind in (("a", "SUPPORTING"), ("b", "SUPPORTING"), ("c", "CUSTOMER_FACING")):
        client.data(CREATE, id=sid, name=sid, kind=kind)
    client.data(ADD, c="a", p="b")
    client.data(ADD, c="c", p="a")
    return client


def _refused_naming_the_cycle(client, store, query, **variables) -> None:
    before = export_document(store)
    body = client.execute(query, **variables)
    assert export_document(store) == before
    [error] = body["errors"]
    assert error["extensions"]["code"] == "RULE_VIOLATION" and error["extensions"]["rule"] == "closed-cycle"
    assert sorted(error["extensions"]["cycle"]) == ["a", "b"]
    assert "passes everything around" in error["message"]


def test_add_dependency_closing_a_cycle_is_refused(ring, store):
    ring.data(REMOVE, c="c", p="a")
    _refused_naming_the_cycle(ring, store, ADD, c="b", p="a")


def test_add_dependency_with_a_share_that_closes_a_cycle_is_refused(ring, store):
    _refused_naming_the_cycle(ring, store, ADD, c="b", p="a", share=1.0)
    ring.data(ADD, c="b", p="a", share=0.5)  # half leaks to c: fine


def test_remove_dependency_and_stage_move_that_close_a_cycle_are_refused(ring, store):
    ring.data(ADD, c="b", p="a")  # equal split of a between b and c: leaks
    _refused_naming_the_cycle(ring, store, REMOVE, c="c", p="a")
    _refused_naming_the_cycle(ring, store, MOVE, s="c", stage="RETIRED")
    cost = ring.data('{ costReport(period: "2026-01") { totalDirect } }')  # still allocatable
    assert cost == {"costReport": {"totalDirect": 0.0}}


def test_a_long_cycle_is_named_by_its_start_and_counted() -> None:
    from graph_itsm.finance.errors import ClosedCycle

    members = [f"svc-{i:03d}" for i in range(60)]
    error = ClosedCycle.naming("cost allocation", members, 30)
    assert "svc-000 -> svc-001" in error.message and "(18 more) -> svc-000" in error.message
    assert "(with svc-030, " in error.message and "and 18 more)" in error.message
    assert "svc-059" not in error.message
    assert error.cycle == members


# -- the check near the change gives the verdict of the whole check ----------------------------------------------

_IDS = "abcde"


@st.composite
def _estate_and_change(draw):
    """A small estate that allocates, and one change of any kind the guard sees."""
    edges = {}
    for c, p in draw(st.lists(st.tuples(st.sampled_from(_IDS), st.sampled_from(_IDS)), min_size=3, max_size=14)):
        if c != p:
            edges[(c, p)] = draw(st.sampled_from([None, None, 0.0, 0.5, 1.0, 1.0]))
    if draw(st.booleans()):  # a ring passing its cost on, leaking only to one outside consumer: easy to close
        ring = draw(st.lists(st.sampled_from(_IDS), min_size=2, max_size=4, unique=True))
        for c, p in zip(ring, ring[1:] + ring[:1]):
            edges[(c, p)] = None
        outside = [x for x in _IDS if x not in ring]
        edges[(draw(st.sampled_from(outside)), draw(st.sampled_from(ring)))] = None
    stages = {s: draw(st.sampled_from(["CATALOGUE", "CATALOGUE", "PIPELINE", "RETIRED"])) for s in _IDS}
    services = [(s, "SUPPORTING", stages[s]) for s in _IDS]
    topo = Topology.build(services, [(c, p, share, None, None) for (c, p), share in edges.items()])
    kind = draw(st.sampled_from(["set", "remove", "stage", "retire-moving"]))
    if kind == "set":
        c, p = draw(st.sampled_from([(c, p) for c in _IDS for p in _IDS if c != p]))
        change = {"set_edges": [(c, p, draw(st.sampled_from([None, 0.0, 0.5, 1.0, 1.0])))]}
    elif kind == "remove" and edges:
        change = {"remove_edges": [draw(st.sampled_from(sorted(edges)))]}
    else:
        s = draw(st.sampled_from(_IDS))
        change = {"stages": {s: draw(st.sampled_from(["CATALOGUE", "RETIRED"]))}}
        if kind == "retire-moving":
            r = draw(st.sampled_from([x for x in _IDS if x != s]))
            moved = [(c, p) for (c, p) in edges if p == s and c != r]
            change["remove_edges"] = moved
            change["set_edges"] = [(c, r, edges[(c, s)]) for c, _ in moved]
    return topo, change


def _verdict(check) -> str:
    try:
        check()
    except RuleViolation as e:
        return f"{type(e).__name__}:{e.extensions.get('rule')}"
    except BadInput as e:
        return f"{type(e).__name__}"
    return "allowed"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_estate_and_change())
def test_the_check_near_a_change_agrees_with_the_check_of_the_whole_graph(case):
    topo, change = case
    assume(known_allocatable(topo))
    near = _verdict(lambda: check_change(topo, **change))
    event(near)
    assert near == _verdict(lambda: assert_allocatable(candidate(topo, **change)))
