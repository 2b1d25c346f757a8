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
        rule_p, rule_b = _padded(getattr(patched, name), patched.n_groups), _padded(getattr(built, name), built.n_groups)
        assert np.array_equal(rule_p[patched.group], rule_b[built.group]), name
    # outcome links and subscriptions, by id (their rows keep the order the database gave)
    assert patched.outcome_ids == built.outcome_ids and patched.customer_ids == built.customer_ids
    assert _links(patched) == _links(built)


def _padded(rules: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate([rules, np.zeros(max(n - rules.size, 0), rules.dtype)])


def _links(t: Topology) -> tuple[set, set, set]:
    return ({(t.ids[s], t.outcome_ids[o]) for s, o in zip(t.enables_service, t.enables_outcome)},
            {(t.customer_ids[c], t.ids[s], bool(x))
             for c, s, x in zip(t.subscribes_customer, t.subscribes_service, t.subscribes_special)},
            {(t.customer_ids[c], t.outcome_ids[o]) for c, o in zip(t.pursues_customer, t.pursues_outcome)})


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


CREATE = """mutation ($id: ID!, $kind: ServiceKind!) { createService(input: {id: $id, name: "New one", kind: $kind,
  owner: "ops", criticality: 2}) { id } }"""
MOVE = """mutation ($s: ID!, $stage: ServiceStage!, $r: ID) {
  moveServiceStage(input: {service: $s, stage: $stage, replacement: $r}) { service { id } } }"""


def test_new_services_and_stage_moves_patch_the_projection(northwind_store: GraphStore,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A new service is numbered where its id sorts (every later number moves up, edges and subscriptions with
    them) and a stage move changes one stage; both equal a rebuild, and impact answers as after one."""
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    client.data(IMPACT)
    builds = []
    real = topology_cache.load_topology
    monkeypatch.setattr(topology_cache, "load_topology", lambda store: builds.append(1) or real(store))
    query = '{ impact(failed: ["dc-east"]) { counts { services down degraded customers outcomes } ' \
            'services { service { id } status distance path } } }'
    writes = [
        (CREATE, {"id": "aaa-first", "kind": "SUPPORTING"}),  # numbered 0
        (CREATE, {"id": "zzz-last", "kind": "CUSTOMER_FACING"}),
        (CREATE, {"id": "m-middle", "kind": "SUPPORTING"}),
        (ADD, {"c": "aaa-first", "p": "dc-east"}),
        (ADD, {"c": "zzz-last", "p": "aaa-first"}),
        (MOVE, {"s": "aaa-first", "stage": "RETIRED"}),  # a PIPELINE service with only PIPELINE consumers
        (MOVE, {"s": "zzz-last", "stage": "RETIRED"}),
    ]
    for mutation, variables in writes:
        builds.clear()
        client.data(mutation, **variables)
        patched = client.data(query)
        assert builds == [], (mutation, variables)
        assert_same(cache.cached(), load_topology(northwind_store))
        assert patched == GraphQLClient(create_app(northwind_store)).data(query)


def test_a_retirement_with_a_replacement_patches_the_projection(northwind_store: GraphStore,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Retiring a service with a replacement moves its live consumers' edges there: patched, with their shares,
    groups and rules, unless a consumer depended on the replacement already (the edges merge: rebuilt)."""
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    query = '{ impact(failed: ["payments", "isp-uplink-b"]) { counts { services down degraded customers outcomes } ' \
            'services { service { id } status distance path } } }'
    client.data(query)
    builds = []
    real = topology_cache.load_topology
    monkeypatch.setattr(topology_cache, "load_topology", lambda store: builds.append(1) or real(store))
    for variables, patches in [({"s": "mail-platform", "stage": "RETIRED", "r": "payments"}, True),  # email moves
                               ({"s": "isp-uplink-a", "stage": "RETIRED", "r": "isp-uplink-b"}, False)]:  # merges
        builds.clear()
        client.data(MOVE, **variables)
        answer = client.data(query)
        assert builds == ([] if patches else [1]), variables
        assert_same(cache.cached(), load_topology(northwind_store))
        assert answer == GraphQLClient(create_app(northwind_store)).data(query)
    topo = cache.cached()
    email = topo.provider[topo.consumer == topo.index["email"]]
    assert topo.index["payments"] in email and topo.index["mail-platform"] not in email


UPDATE = """mutation ($id: ID!, $input: UpdateServiceInput!) { updateService(id: $id, input: $input) { id } }"""
SUBSCRIBE = """mutation ($c: ID!, $s: ID!, $special: String) {
  subscribe(input: {customer: $c, service: $s, specialBusinessCase: $special}) { since } }"""
UNSUBSCRIBE = "mutation ($c: ID!, $s: ID!) { unsubscribe(customer: $c, service: $s) { id } }"
DELETE = "mutation ($id: ID!) { deleteService(id: $id) { id } }"
LINK = "mutation ($s: ID!, $o: ID!) { linkOutcome(service: $s, outcome: $o) { id } }"
UNLINK = "mutation ($s: ID!, $o: ID!) { unlinkOutcome(service: $s, outcome: $o) { id } }"
COSTS = '{ costReport(period: "2026-01") { totalDirect totalRetained services { service { id } direct total } } }'


def test_service_edits_subscriptions_and_deletions_patch_the_projection(
        northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """updateService (kind, name, k-of-n rules), subscribe and unsubscribe (a customer listed for the first
    time, and one that leaves the list) and deleteService (with its edges, its groups and the only link to an
    outcome) each patch the projection: no rebuild, the projection a rebuild gives, and impact and the month's
    costs answered as a fresh server answers them."""
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    # set-up writes that are rebuilt: a customer with no subscription yet, a service to delete with a named
    # group of two, and an outcome only it enables
    client.data('mutation { createCustomer(input: {id: "aaa-co", name: "A", type: EXTERNAL}) { id } }')
    client.data(CREATE, id="temp-svc", kind="SUPPORTING")
    client.data(ADD, c="temp-svc", p="dc-east", group="racks")
    client.data(ADD, c="temp-svc", p="dc-west", group="racks")
    client.data('mutation { createOutcome(input: {id: "only-temp", name: "Only temp"}) { id } }')
    client.data('mutation { createOutcome(input: {id: "aaa-first", name: "First"}) { id } }')
    query = '{ impact(failed: ["dc-east"]) { counts { services down degraded customers outcomes } ' \
            'services { service { id } status distance path } customers { customer { id } } } }'
    client.data(query)
    client.data(COSTS)
    builds = []
    real = topology_cache.load_topology
    monkeypatch.setattr(topology_cache, "load_topology", lambda store: builds.append(1) or real(store))
    writes = [
        (UPDATE, {"id": "loyalty-app", "input": {"name": "Loyalty 2", "kind": "SUPPORTING"}}),
        (UPDATE, {"id": "web-shop", "input": {"redundancy": [{"group": "hosting", "minUp": 2}]}}),  # now needs both
        (UPDATE, {"id": "web-shop", "input": {"redundancy": []}}),
        (UPDATE, {"id": "temp-svc", "input": {"redundancy": [{"group": "racks", "minUpPercent": 100}]}}),
        (SUBSCRIBE, {"c": "aaa-co", "s": "web-shop"}),  # numbered first among the customers
        (SUBSCRIBE, {"c": "retail-bu", "s": "email", "special": "keeps it"}),  # an existing one changes
        (UNSUBSCRIBE, {"c": "aaa-co", "s": "web-shop"}),  # aaa-co leaves the list
        (UNSUBSCRIBE, {"c": "franchise-co", "s": "web-shop"}),  # still subscribes to point-of-sale
        (LINK, {"s": "email", "o": "orders-24h"}),
        (LINK, {"s": "email", "o": "orders-24h"}),  # linked already: nothing changes
        (UNLINK, {"s": "email", "o": "orders-24h"}),
        (UNLINK, {"s": "payroll", "o": "staff-paid"}),  # hr-bu and finance-bu still pursue it
        (LINK, {"s": "payroll", "o": "staff-paid"}),
        (LINK, {"s": "temp-svc", "o": "only-temp"}),  # listed for the first time (last)
        (LINK, {"s": "web-shop", "o": "aaa-first"}),  # listed first: the others renumber
        (UNLINK, {"s": "web-shop", "o": "aaa-first"}),  # leaves the list
        (DELETE, {"id": "temp-svc"}),  # its group and its outcome go with it
    ]
    for mutation, variables in writes:
        builds.clear()
        client.data(mutation, **variables)
        impact, costs = client.data(query), client.data(COSTS)
        assert builds == [], (mutation, variables)
        assert_same(cache.cached(), load_topology(northwind_store))
        fresh = GraphQLClient(create_app(northwind_store))
        assert (impact, costs) == (fresh.data(query), fresh.data(COSTS)), (mutation, variables)
    topo = cache.cached()
    assert "only-temp" not in topo.outcome_ids and "aaa-co" not in topo.customer_ids and "temp-svc" not in topo.index
    assert topo.names[topo.index["loyalty-app"]] == "Loyalty 2" and not topo.customer_facing[topo.index["loyalty-app"]]


def test_customer_and_outcome_writes_keep_or_patch_the_projection(
        northwind_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes of a customer's or an outcome's own properties, and of ones nothing links, leave the topology
    version where it is (the projection lists customers and outcomes only through links); deleting a customer
    that pursues outcomes patches them away. No rebuild, and the answers a fresh server gives."""
    from graph_itsm.portfolio.importer import import_document
    from graph_itsm.portfolio.parsing import document_from_data
    from graph_itsm.store import library

    # set-up: a customer with no subscription that pursues an outcome nobody else names and a shared one
    import_document(northwind_store, document_from_data({
        "currency": "EUR",
        "outcomes": [{"id": "aaa-goal", "name": "Its own goal"}],
        "customers": [{"id": "aaa-co", "name": "A", "type": "EXTERNAL", "pursues": ["aaa-goal", "staff-paid"]}],
    }))
    app = create_app(northwind_store)
    client = GraphQLClient(app)
    cache = app.state.graph_itsm.topology
    query = '{ impact(failed: ["dc-east"]) { counts { services down degraded customers outcomes } ' \
            'customers { customer { id name } status } outcomes { outcome { id name } status } } }'
    client.data(query)
    client.data(COSTS)
    assert "aaa-co" in cache.cached().customer_ids and "aaa-goal" in cache.cached().outcome_ids
    topology_version = lambda: int(northwind_store.scalar(library()["store/get_topology_version"]) or 0)  # noqa: E731
    builds = []
    real = topology_cache.load_topology
    monkeypatch.setattr(topology_cache, "load_topology", lambda store: builds.append(1) or real(store))
    unmoved = [
        'mutation { createCustomer(input: {id: "zzz-co", name: "Z", type: INTERNAL}) { id } }',
        'mutation { updateCustomer(id: "retail-bu", input: {name: "Retail (renamed)"}) { id } }',
        'mutation { createOutcome(input: {id: "zzz-goal", name: "Z goal"}) { id } }',
        'mutation { updateOutcome(id: "staff-paid", input: {name: "Staff paid on time"}) { id } }',
        'mutation { deleteOutcome(id: "zzz-goal") { id } }',
        'mutation { deleteCustomer(id: "zzz-co") { id } }',  # listed nowhere: patched to the same lists
    ]
    writes = [(m, m.startswith("mutation { deleteCustomer")) for m in unmoved]
    writes.append(('mutation { deleteCustomer(id: "aaa-co") { id } }', True))  # its pursued outcomes go
    for mutation, moves in writes:
        builds.clear()
        before = topology_version()
        client.data(mutation)
        impact, costs = client.data(query), client.data(COSTS)
        assert builds == [], mutation
        assert topology_version() == before + (1 if moves else 0), mutation
        assert_same(cache.cached(), load_topology(northwind_store))
        fresh = GraphQLClient(create_app(northwind_store))
        assert (impact, costs) == (fresh.data(query), fresh.data(COSTS)), mutation
    topo = cache.cached()
    assert "aaa-co" not in topo.customer_ids and "aaa-goal" not in topo.outcome_ids
    assert "staff-paid" in topo.outcome_ids  # hr-bu and finance-bu still pursue it
    names = {c["customer"]["id"]: c["customer"]["name"] for c in client.data(query)["impact"]["customers"]}
    assert names.get("retail-bu") == "Retail (renamed)"


# -- any sequence of patches is the projection built from the rows it leaves ------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from graph_itsm.topology.patch import with_dependency, with_service, with_stage, without_dependency  # noqa: E402

_NAMES = ["b", "d", "f", "h", "a", "c", "e", "g", "i"]  # later ones sort between the first ones


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["service", "add", "remove", "stage"]), st.integers(0, 8),
                          st.integers(0, 8), st.sampled_from([None, 0.0, 0.5]), st.sampled_from([None, "pair"])),
                max_size=25))
def test_any_sequence_of_patches_equals_a_build_of_the_rows(steps) -> None:
    services = {sid: ("SUPPORTING", "CATALOGUE") for sid in _NAMES[:4]}
    edges: dict[tuple[str, str], tuple] = {}
    topo = Topology.build([(s, k, st_) for s, (k, st_) in services.items()], [])
    for version, (kind, x, y, share, group) in enumerate(steps, start=1):
        ids = sorted(services)
        if kind == "service" and len(services) < len(_NAMES):
            sid = _NAMES[len(services)]
            services[sid] = ("CUSTOMER_FACING" if x % 2 else "SUPPORTING", "PIPELINE")
            topo = with_service(topo, sid, *services[sid], None, version=version)
        elif kind == "add":
            c, p = ids[x % len(ids)], ids[y % len(ids)]
            if c == p:
                continue
            same = [q for (cc, q), e in edges.items() if cc == c and group and e[1] == group and q != p]
            patched = with_dependency(topo, c, p, share=share, redundancy_group=group, demand_factor=None,
                                      same_group=same, version=version)
            edges[(c, p)] = (share, group)
            topo = patched if patched is not None else _built(services, edges, version)
        elif kind == "remove" and edges:
            c, p = sorted(edges)[x % len(edges)]
            del edges[(c, p)]
            topo = without_dependency(topo, c, p, version=version)
        elif kind == "stage":
            sid = ids[x % len(ids)]
            services[sid] = (services[sid][0], ["PIPELINE", "CATALOGUE", "RETIRED"][y % 3])
            topo = with_stage(topo, sid, services[sid][1], version=version)
        else:
            continue
        built = _built(services, edges, version)
        assert_same(topo, built)
        for name in ("by_provider", "by_consumer"):
            assert all(np.array_equal(a, b) for a, b in zip(getattr(topo, name), getattr(built, name))), name


def _built(services, edges, version) -> Topology:
    return Topology.build([(s, k, stage) for s, (k, stage) in services.items()],
                          [(c, p, share, group, None) for (c, p), (share, group) in edges.items()], version=version)
