"""Impact on delivered services only (spec "Impact analysis"): retired services are out of service unless a
special-business-case subscription still holds them; pipeline services are reported with their stage."""

from __future__ import annotations

from graph_itsm.impact.engine import DOWN, compute_impact
from graph_itsm.topology import Topology
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import SUBSCRIBE

IMPACT = """
query($failed: [ID!]!) {
  impact(failed: $failed) {
    counts { services down degraded customerFacing live planned }
    services { service { id } status distance stage assumedRetired }
    customerFacing { service { id } }
    customers { customer { id } status }
  }
}"""


def _impact(client: GraphQLClient, *failed: str) -> dict:
    return client.data(IMPACT, failed=list(failed))["impact"]


def test_retired_service_is_never_impacted_and_pipeline_is_planned(northwind_client: GraphQLClient) -> None:
    report = _impact(northwind_client, "dc-east")
    rows = {r["service"]["id"]: r for r in report["services"]}
    assert "fax-gateway" not in rows  # RETIRED, nobody holds it with a special business case
    assert "fax-gateway" not in {r["service"]["id"] for r in report["customerFacing"]}
    assert rows["loyalty-app"]["stage"] == "PIPELINE"
    assert {r["stage"] for k, r in rows.items() if k != "loyalty-app"} == {"CATALOGUE"}
    assert report["counts"]["planned"] == 1
    assert report["counts"]["live"] == report["counts"]["services"] - 1 == 11


def test_failing_a_retired_service_breaks_nothing(northwind_client: GraphQLClient) -> None:
    assert _impact(northwind_client, "fax-gateway")["counts"] == {
        "services": 0, "down": 0, "degraded": 0, "customerFacing": 0, "live": 0, "planned": 0,
    }


def test_special_business_case_keeps_a_retired_service_in_service(northwind_client: GraphQLClient) -> None:
    northwind_client.data(SUBSCRIBE, customer="franchise-co", service="fax-gateway", special="legal hold until 2027")
    report = _impact(northwind_client, "dc-east")
    rows = {r["service"]["id"]: r for r in report["services"]}
    # fax-gateway depends on network-core, which is DEGRADED when dc-east fails (dc-west carries it)
    assert (rows["fax-gateway"]["status"], rows["fax-gateway"]["distance"], rows["fax-gateway"]["stage"]) == (
        "DEGRADED", 2, "RETIRED",
    )
    assert rows["fax-gateway"]["assumedRetired"] is False
    assert "fax-gateway" in {r["service"]["id"] for r in report["customerFacing"]}
    assert report["counts"]["live"] == 12


def test_out_of_service_member_does_not_carry_a_redundancy_group() -> None:
    # app needs one of {db-a, db-b}; db-b is RETIRED, so a failure of db-a takes app down
    topo = Topology.build(
        [("app", "CUSTOMER_FACING", "CATALOGUE"), ("db-a", "SUPPORTING", "CATALOGUE"), ("db-b", "SUPPORTING", "RETIRED")],
        [("app", "db-a", None, "db", None), ("app", "db-b", None, "db", None)],
    )
    result = compute_impact(topo, [topo.index["db-a"]])
    assert result.status[topo.index["app"]] == DOWN
    assert result.distance[topo.index["db-b"]] == -1
    # the same estate with db-b in the catalogue: app is only DEGRADED
    live = Topology.build(
        [("app", "CUSTOMER_FACING", "CATALOGUE"), ("db-a", "SUPPORTING", "CATALOGUE"), ("db-b", "SUPPORTING", "CATALOGUE")],
        [("app", "db-a", None, "db", None), ("app", "db-b", None, "db", None)],
    )
    assert compute_impact(live, [live.index["db-a"]]).status[live.index["app"]] != DOWN
