"""Portfolio views: counts by stage and kind, the customer view of the catalogue, value sheets and
retirement candidates."""

from __future__ import annotations

from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient
from tests.portfolio.support import ADD_DEPENDENCY, REMOVE_DEPENDENCY, UNLINK

COUNTS = "{ portfolioCounts { total byStage { stage count } byKind { kind count } byStageAndKind { stage kind count } } }"
CATALOGUE = """
query($first: Int, $after: String, $search: String) {
  catalogue(first: $first, after: $after, search: $search) {
    totalCount nodes { id kind stage } pageInfo { hasNextPage endCursor }
  }
}"""
SHEET = """
query($id: ID!) {
  valueSheet(id: $id) {
    service { id } stage kind criticality owner provider supplier subscriberCount
    outcomes { id } customers { id } subscriptions { customer { id } units share }
  }
}"""
CANDIDATES = "{ retirementCandidates { service { id stage } reasons explanation } }"


def test_counts_by_stage_and_kind(northwind_client: GraphQLClient) -> None:
    counts = northwind_client.data(COUNTS)["portfolioCounts"]
    assert counts["total"] == 17
    assert counts["byStage"] == [{"stage": "PIPELINE", "count": 1}, {"stage": "CATALOGUE", "count": 15},
                                 {"stage": "RETIRED", "count": 1}]
    assert counts["byKind"] == [{"kind": "CUSTOMER_FACING", "count": 7}, {"kind": "SUPPORTING", "count": 10}]
    both = {(c["stage"], c["kind"]): c["count"] for c in counts["byStageAndKind"]}
    assert both == {("PIPELINE", "CUSTOMER_FACING"): 1, ("PIPELINE", "SUPPORTING"): 0,
                    ("CATALOGUE", "CUSTOMER_FACING"): 5, ("CATALOGUE", "SUPPORTING"): 10,
                    ("RETIRED", "CUSTOMER_FACING"): 1, ("RETIRED", "SUPPORTING"): 0}


def test_counts_of_an_empty_portfolio(client: GraphQLClient) -> None:
    counts = client.data(COUNTS)["portfolioCounts"]
    assert counts["total"] == 0 and all(c["count"] == 0 for c in counts["byStageAndKind"])


def test_customer_view_shows_customer_facing_catalogue_services_only(northwind_client: GraphQLClient) -> None:
    page = northwind_client.data(CATALOGUE)["catalogue"]
    assert [s["id"] for s in page["nodes"]] == ["email", "internet-access", "payroll", "point-of-sale", "web-shop"]
    assert all(s["kind"] == "CUSTOMER_FACING" and s["stage"] == "CATALOGUE" for s in page["nodes"])
    first = northwind_client.data(CATALOGUE, first=2)["catalogue"]
    rest = northwind_client.data(CATALOGUE, after=first["pageInfo"]["endCursor"])["catalogue"]
    assert [s["id"] for s in first["nodes"] + rest["nodes"]] == [s["id"] for s in page["nodes"]]
    assert [s["id"] for s in northwind_client.data(CATALOGUE, search="shop")["catalogue"]["nodes"]] == ["web-shop"]


def test_value_sheet_of_a_customer_facing_service(northwind_client: GraphQLClient) -> None:
    sheet = northwind_client.data(SHEET, id="email")["valueSheet"]
    assert sheet == {
        "service": {"id": "email"}, "stage": "CATALOGUE", "kind": "CUSTOMER_FACING", "criticality": 3,
        "owner": "workplace", "provider": "INTERNAL", "supplier": None, "subscriberCount": 3,
        "outcomes": [{"id": "staff-communicate"}],
        "customers": [{"id": "finance-bu"}, {"id": "hr-bu"}, {"id": "retail-bu"}],
        "subscriptions": [{"customer": {"id": "finance-bu"}, "units": 150.0, "share": None},
                          {"customer": {"id": "hr-bu"}, "units": 90.0, "share": None},
                          {"customer": {"id": "retail-bu"}, "units": 800.0, "share": None}],
    }


def test_value_sheet_names_customers_pursuing_its_outcomes(northwind_client: GraphQLClient) -> None:
    """internet-access enables trade-online, which franchise-co pursues without subscribing to it."""
    sheet = northwind_client.data(SHEET, id="internet-access")["valueSheet"]
    assert [c["id"] for c in sheet["customers"]] == ["finance-bu", "franchise-co", "hr-bu", "retail-bu"]
    assert sheet["subscriberCount"] == 3


def test_value_sheet_of_a_third_party_supporting_service(northwind_client: GraphQLClient) -> None:
    sheet = northwind_client.data(SHEET, id="payments")["valueSheet"]
    assert (sheet["provider"], sheet["supplier"], sheet["criticality"]) == ("THIRD_PARTY", "PayCo", 5)
    assert sheet["outcomes"] == sheet["customers"] == sheet["subscriptions"] == []
    assert northwind_client.data(SHEET, id="nope")["valueSheet"] is None


def test_value_sheets_are_batched(northwind_client: GraphQLClient, northwind_store: GraphStore) -> None:
    query = "query($n: Int) { services(first: $n) { nodes { valueSheet { owner customers { id } } } } }"

    def trips(n: int) -> int:
        northwind_store.round_trips = 0
        northwind_client.data(query, n=n)
        return northwind_store.round_trips

    trips(1)  # the first list of a topology version reads the service index
    assert trips(5) == trips(17) == 4  # version check, page, value sheets, customers


def test_northwind_has_no_retirement_candidate(northwind_client: GraphQLClient) -> None:
    assert northwind_client.data(CANDIDATES)["retirementCandidates"] == []


def test_retirement_candidates_with_their_reasons(northwind_client: GraphQLClient) -> None:
    northwind_client.data(REMOVE_DEPENDENCY, consumer="internet-access", provider="isp-uplink-b")
    northwind_client.data(UNLINK, s="payroll", o="staff-paid")
    candidates = northwind_client.data(CANDIDATES)["retirementCandidates"]
    assert [(c["service"]["id"], c["reasons"]) for c in candidates] == [
        ("isp-uplink-b", ["UNUSED", "NO_OUTCOME"]),
        ("payroll", ["NO_OUTCOME"]),  # finance-bu still subscribes, but it serves no outcome
    ]
    assert candidates[0]["explanation"].startswith("UNUSED: no customer subscribes to it")
    assert "NO_OUTCOME" in candidates[1]["explanation"]


def test_retired_consumers_do_not_keep_a_service_in_use(northwind_client: GraphQLClient) -> None:
    northwind_client.data(REMOVE_DEPENDENCY, consumer="internet-access", provider="isp-uplink-b")
    northwind_client.data(ADD_DEPENDENCY, consumer="fax-gateway", provider="isp-uplink-b")
    candidates = northwind_client.data(CANDIDATES)["retirementCandidates"]
    assert [(c["service"]["id"], c["reasons"]) for c in candidates] == [("isp-uplink-b", ["UNUSED", "NO_OUTCOME"])]


def test_a_supporting_service_serves_the_outcomes_of_its_consumers(northwind_client: GraphQLClient) -> None:
    """backup enables nothing itself, but payroll, mail-platform and database-platform lead to outcomes;
    once only payroll, which stops enabling staff-paid, remains, backup serves no outcome either."""
    for consumer in ("database-platform", "mail-platform"):
        northwind_client.data(REMOVE_DEPENDENCY, consumer=consumer, provider="backup")
    northwind_client.data(UNLINK, s="payroll", o="staff-paid")
    ids = [c["service"]["id"] for c in northwind_client.data(CANDIDATES)["retirementCandidates"]]
    assert ids == ["backup", "payroll"]
