"""k of n on the demo portfolio, each backend: database-platform runs on a three-node cluster that needs two
(``redundancy: [{group: db-cluster, minUp: 2}]`` over db-node-1..3).

Worked by hand from graph_itsm/data/demo-portfolio.json. Consumers of database-platform, each by a lone edge:
web-shop, point-of-sale, payroll, loyalty-app (pipeline) and identity; identity's own consumers: web-shop,
email, payroll, loyalty-app and database-platform (a cycle).
* db-node-1 fails: 2 of 3 are up, database-platform is DEGRADED, and so is everything on it or on identity:
  1 DOWN, 7 DEGRADED (database-platform, identity, web-shop, point-of-sale, payroll, loyalty-app, email).
* db-node-1 and db-node-3 fail: 1 of 3 up, database-platform DOWN, and with it (lone edges) identity, web-shop,
  point-of-sale, payroll, loyalty-app, email: 9 DOWN, nothing else touched (0 DEGRADED).
"""

from __future__ import annotations

from graph_itsm.api.app import create_app
from graph_itsm.portfolio.demo import load_demo
from graph_itsm.portfolio.exporter import export_document
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient

IMPACT = """query($failed: [ID!]!) { impact(failed: $failed) {
  counts { services down degraded customerFacing }
  services(first: 100) { service { id } status distance } } }"""
ON_DB = {"database-platform", "identity", "web-shop", "point-of-sale", "payroll", "loyalty-app", "email"}


def _client(store: GraphStore) -> GraphQLClient:
    load_demo(store, replace=True)
    return GraphQLClient(create_app(store))


def _statuses(client: GraphQLClient, failed: list[str]) -> tuple[dict, dict[str, str]]:
    report = client.data(IMPACT, failed=failed)["impact"]
    return report["counts"], {r["service"]["id"]: r["status"] for r in report["services"]}


def test_one_node_down_leaves_the_cluster_degraded(store: GraphStore) -> None:
    counts, statuses = _statuses(_client(store), ["db-node-1"])
    assert statuses == {"db-node-1": "DOWN", **{s: "DEGRADED" for s in ON_DB}}
    assert counts == {"services": 8, "down": 1, "degraded": 7, "customerFacing": 5}


def test_two_nodes_down_take_the_platform_and_its_lone_consumers_down(store: GraphStore) -> None:
    counts, statuses = _statuses(_client(store), ["db-node-1", "db-node-3"])
    assert statuses == {"db-node-1": "DOWN", "db-node-3": "DOWN", **{s: "DOWN" for s in ON_DB}}
    assert counts == {"services": 9, "down": 9, "degraded": 0, "customerFacing": 5}


def test_the_rule_is_shown_changed_and_exported(store: GraphStore) -> None:
    client = _client(store)
    shown = client.data('{ service(id: "database-platform") { redundancy { group minUp minUpPercent } } }')
    assert shown["service"]["redundancy"] == [{"group": "db-cluster", "minUp": 2, "minUpPercent": None}]
    # every node needed (100 %): one node down takes the platform down
    client.data("""mutation { updateService(id: "database-platform",
                  input: {redundancy: [{group: "db-cluster", minUpPercent: 100}]}) { id } }""")
    _, statuses = _statuses(client, ["db-node-2"])
    assert statuses["database-platform"] == "DOWN" and statuses["web-shop"] == "DOWN"
    (platform,) = [s for s in export_document(store)["services"] if s["id"] == "database-platform"]
    assert platform["redundancy"] == [{"group": "db-cluster", "minUpPercent": 100}]
    # [] clears the rule: one member is enough again
    client.data('mutation { updateService(id: "database-platform", input: {redundancy: []}) { id } }')
    _, statuses = _statuses(client, ["db-node-1", "db-node-2"])
    assert statuses["database-platform"] == "DEGRADED"


def test_a_bad_rule_names_the_field_and_changes_nothing(store: GraphStore) -> None:
    client = _client(store)
    for rule, field in [('{group: "db-cluster", minUp: 4}', "redundancy[0].minUp"),
                        ('{group: "hosting-x", minUp: 1}', "redundancy[0].group"),
                        ('{group: "db-cluster", minUp: 0}', "redundancy[0].minUp"),
                        ('{group: "db-cluster", minUpPercent: 120}', "redundancy[0].minUpPercent"),
                        ('{group: "db-cluster", minUp: 1, minUpPercent: 50}', "redundancy[0]")]:
        errors = client.execute(f'mutation {{ updateService(id: "database-platform", input: {{redundancy: [{rule}]}}) '
                                "{ id } }")["errors"]
        assert errors[0]["extensions"]["code"] == "BAD_INPUT" and errors[0]["extensions"]["field"] == field, errors
    shown = client.data('{ service(id: "database-platform") { redundancy { group minUp } } }')
    assert shown["service"]["redundancy"] == [{"group": "db-cluster", "minUp": 2}]


def test_single_points_of_failure_of_the_demo_spare_the_cluster_nodes(store: GraphStore) -> None:
    client = _client(store)
    query = '{ runAnalytics(name: "find_single_points_of_failure") { rows } }'
    found = {row[0] for row in client.data(query)["runAnalytics"]["rows"]}
    assert "database-platform" in found and not found & {"db-node-1", "db-node-2", "db-node-3"}
    client.data("""mutation { updateService(id: "database-platform",
                  input: {redundancy: [{group: "db-cluster", minUp: 3}]}) { id } }""")
    found = {row[0] for row in client.data(query)["runAnalytics"]["rows"]}
    assert {"db-node-1", "db-node-2", "db-node-3"} <= found
