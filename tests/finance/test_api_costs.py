"""Cost accounting through GraphQL on the northwind example: the expected January figures, to the cent."""

from __future__ import annotations

import pytest

from tests.conftest import northwind_expected

JANUARY = "2026-01"
EXPECTED = northwind_expected()[f"costs:{JANUARY}"]

REPORT = """
query($period: String!) {
  costReport(period: $period) {
    period totalDirect totalRetained totalUnallocated
    services { period direct total retained service { id } }
    unallocated { amount costItem { id amount } }
  }
}"""


def _cents(x: float) -> float:
    return round(x + 0.0, 2)


def test_cost_report_matches_the_expected_january_figures_to_the_cent(northwind_client):
    report = northwind_client.data(REPORT, period=JANUARY)["costReport"]
    got = {
        s["service"]["id"]: {k: _cents(s[k]) for k in ("direct", "total", "retained")} for s in report["services"]
    }
    assert got == EXPECTED["services"]
    assert _cents(report["totalDirect"]) == EXPECTED["totalDirect"]
    assert report["period"] == JANUARY and {s["period"] for s in report["services"]} == {JANUARY}


def test_retained_costs_add_up_to_the_direct_costs(northwind_client):
    report = northwind_client.data(REPORT, period=JANUARY)["costReport"]
    assert report["totalRetained"] == pytest.approx(report["totalDirect"], abs=0.005)
    assert sum(s["retained"] for s in report["services"]) == pytest.approx(report["totalDirect"], abs=0.005)


def test_service_cost_matches_the_expected_figures_for_every_service(northwind_client):
    query = "query($id: ID!, $p: String!) { service(id: $id) { cost(period: $p) { period direct total retained } } }"
    for sid, expected in EXPECTED["services"].items():
        cost = northwind_client.data(query, id=sid, p=JANUARY)["service"]["cost"]
        assert {k: _cents(cost[k]) for k in expected} == expected, sid


def test_unallocated_part_of_a_cost_item_is_reported(northwind_client):
    report = northwind_client.data(REPORT, period=JANUARY)["costReport"]
    assert report["unallocated"] == [{"amount": 2000.0, "costItem": {"id": "consulting-2026-01", "amount": 5000.0}}]
    assert report["totalUnallocated"] == 2000.0


def test_cost_by_category_and_nature_adds_up_to_the_service_cost(northwind_client):
    query = """query($p: String!) { costReport(period: $p) { services {
        direct total retained
        byCategory { category direct total retained }
        byNature { nature direct total retained } } } }"""
    for s in northwind_client.data(query, p=JANUARY)["costReport"]["services"]:
        for split in ("byCategory", "byNature"):
            for figure in ("direct", "total", "retained"):
                assert sum(x[figure] for x in s[split]) == pytest.approx(s[figure], abs=1e-6)
    assert len(s["byCategory"]) == 6 and {x["nature"] for x in s["byNature"]} == {"CAPEX", "OPEX"}


def test_trace_and_origins_explain_a_total(northwind_client):
    query = """{ service(id: "web-shop") { cost(period: "2026-01") { total
        trace { source sourceId share amount service { id } }
        origins { costItemId name category nature amount } } } }"""
    cost = northwind_client.data(query)["service"]["cost"]
    assert sum(t["amount"] for t in cost["trace"]) == pytest.approx(cost["total"])
    payments = next(t for t in cost["trace"] if t["sourceId"] == "payments")
    assert payments["source"] == "PROVIDER" and payments["share"] == 0.8 and payments["service"] == {"id": "payments"}
    own = next(t for t in cost["trace"] if t["sourceId"] == "ecommerce-team-2026-01")
    assert own == {"source": "COST_ITEM", "sourceId": "ecommerce-team-2026-01", "share": 0.9, "amount": 48600.0,
                   "service": None}
    assert sum(o["amount"] for o in cost["origins"]) == pytest.approx(cost["total"])
    fees = next(o for o in cost["origins"] if o["costItemId"] == "payco-fees-2026-01")
    assert fees["amount"] == pytest.approx(20000.0)  # 0.8 of the payments service's 25,000
    assert fees["name"] == "Payment processing fees" and fees["category"] == "EXTERNAL_SERVICE"


@pytest.mark.parametrize("period", ["2026-1", "2026-13", "January", "2026-01-01", ""])
def test_bad_period_is_bad_input_naming_period(northwind_client, period):
    for query in (
        "query($p: String!) { costReport(period: $p) { totalDirect } }",
        'query($p: String!) { service(id: "web-shop") { cost(period: $p) { total } } }',
        'query($p: String!) { chargeStatement(customerId: "retail-bu", period: $p) { total } }',
        "query($p: String!) { budgetReport(period: $p) { period } }",
    ):
        body = northwind_client.execute(query, p=period)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_INPUT"], query
        assert body["errors"][0]["extensions"]["field"] == "period"


def test_a_month_without_cost_items_costs_nothing(northwind_client):
    report = northwind_client.data(REPORT, period="2025-12")["costReport"]
    assert report["totalDirect"] == 0.0 and all(s["total"] == 0.0 for s in report["services"])


def test_round_trips_do_not_grow_with_the_number_of_services_asked(northwind_client, northwind_store):
    query = "query($p: String!) { costReport(period: $p) { services(first: $n) { total service { id name } } } }"
    northwind_client.data(query.replace("$n", "1"), p=JANUARY)  # fills the app's cache
    counts = []
    for n in (1, 17):
        northwind_store.round_trips = 0
        northwind_client.data(query.replace("$n", str(n)), p=JANUARY)
        counts.append(northwind_store.round_trips)
    assert counts[0] == counts[1] <= 2  # the version check and one batch of services


def test_a_write_moves_the_version_and_the_next_read_sees_it(northwind_client):
    before = northwind_client.data(REPORT, period=JANUARY)["costReport"]["totalDirect"]
    northwind_client.data("""mutation { updateCostItem(id: "consulting-2026-01", input: {amount: 6000}) { id } }""")
    after = northwind_client.data(REPORT, period=JANUARY)["costReport"]["totalDirect"]
    assert after - before == pytest.approx(600.0)  # 0.6 of the extra 1,000 is allocated, the rest is not
