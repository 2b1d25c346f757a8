"""Budgets, business cases and demand through GraphQL on the northwind example."""

from __future__ import annotations

import pytest

from graph_itsm.portfolio.exporter import export_document

BUDGETS = """query($p: String!) { budgetReport(period: $p) {
  period
  services { service { id } direct { budget actual variance percent } total { budget actual variance }
             ytdDirect { budget actual } ytdTotal { budget actual } }
  portfolio { service { id } direct { budget actual variance } total { budget actual } ytdDirect { budget actual } }
} }"""
SET_BUDGET = """mutation($s: ID!, $p: String!, $a: Float!) { setBudget(serviceId: $s, period: $p, amount: $a) {
  service { id } period amount } }"""
CASE_FIELDS = "id investment years npv roi payback netPerYear objectives nonFinancialImpacts service { id }"


def _by_service(report: dict) -> dict[str, dict]:
    return {line["service"]["id"]: line for line in report["services"]}


def test_january_variance_for_direct_and_total_cost(northwind_client):
    report = northwind_client.data(BUDGETS, p="2026-01")["budgetReport"]
    web_shop = _by_service(report)["web-shop"]
    assert web_shop["direct"] == {"budget": 60000.0, "actual": 51600.0, "variance": 8400.0,
                                  "percent": pytest.approx(14.0)}
    assert web_shop["total"]["variance"] == pytest.approx(60000.0 - 136693.3333)
    assert _by_service(report)["email"]["direct"]["variance"] == 5000.0  # budget 5,000, no direct cost
    assert _by_service(report)["backup"]["direct"] == {"budget": 0.0, "actual": 7000.0, "variance": -7000.0,
                                                       "percent": None}
    portfolio = report["portfolio"]
    assert portfolio["service"] is None
    assert portfolio["direct"] == {"budget": 76000.0, "actual": 309000.0, "variance": -233000.0}
    assert portfolio["total"]["actual"] == pytest.approx(309000.0)  # retained costs: each cost counted once


def test_set_budget_counts_in_the_month_and_the_year_to_date(northwind_client):
    set_ = northwind_client.data(SET_BUDGET, s="web-shop", p="2026-02", a=70000)["setBudget"]
    assert set_ == {"service": {"id": "web-shop"}, "period": "2026-02", "amount": 70000.0}
    northwind_client.data(SET_BUDGET, s="web-shop", p="2026-02", a=65000)  # replaces, does not add
    web_shop = _by_service(northwind_client.data(BUDGETS, p="2026-02")["budgetReport"])["web-shop"]
    assert web_shop["direct"]["budget"] == 65000.0 and web_shop["direct"]["actual"] == 0.0
    assert web_shop["ytdDirect"] == {"budget": 125000.0, "actual": 51600.0}


@pytest.mark.parametrize(("service", "period", "amount", "code"), [
    ("web-shop", "2026-02", -1.0, "BAD_INPUT"),
    ("web-shop", "26-02", 10.0, "BAD_INPUT"),
    ("nowhere", "2026-02", 10.0, "NOT_FOUND"),
])
def test_bad_budget_is_refused_and_changes_nothing(northwind_client, northwind_store, service, period, amount, code):
    before = export_document(northwind_store)
    assert northwind_client.error_codes(SET_BUDGET, s=service, p=period, a=amount) == [code]
    assert export_document(northwind_store) == before


def test_deleted_budget_leaves_the_report(northwind_client):
    northwind_client.data('mutation { deleteBudget(serviceId: "payroll", period: "2026-01") { id } }')
    payroll = _by_service(northwind_client.data(BUDGETS, p="2026-01")["budgetReport"])["payroll"]
    assert payroll["direct"]["budget"] == 0.0


def test_service_business_case_has_npv_roi_payback_and_non_financial_impacts(northwind_client):
    case = northwind_client.data(f'{{ service(id: "loyalty-app") {{ businessCase {{ {CASE_FIELDS} }} }} }}')
    case = case["service"]["businessCase"]
    # 250,000 invested, 90,000 net a year for 5 years at 8 %
    assert case["npv"] == pytest.approx(-250000 + sum(90000 / 1.08**y for y in range(1, 6)))
    assert case["roi"] == pytest.approx((5 * 90000 - 250000) / 250000)
    assert case["payback"] == pytest.approx(250000 / 90000)
    assert case["nonFinancialImpacts"] == ["customer satisfaction", "brand image"]
    assert northwind_client.data('{ service(id: "email") { businessCase { id } } }')["service"]["businessCase"] is None


def test_set_business_case_and_rank_the_pipeline_by_npv(northwind_client):
    northwind_client.data("""mutation { createService(input: {id: "chatbot", name: "Chatbot", kind: CUSTOMER_FACING,
        owner: "digital", criticality: 2}) { id } }""")
    case = northwind_client.data(f"""mutation {{ setBusinessCase(serviceId: "chatbot", input: {{investment: 100000,
        annualBenefit: 80000, annualRunningCost: 20000, years: 3, discountRate: 0.1,
        nonFinancialImpacts: ["reputation"]}}) {{ {CASE_FIELDS} }} }}""")["setBusinessCase"]
    assert case["id"] == "case-chatbot" and case["netPerYear"] == [60000.0] * 3
    assert case["npv"] == pytest.approx(-100000 + 60000 / 1.1 + 60000 / 1.1**2 + 60000 / 1.1**3)  # 49,211.12
    assert case["payback"] == pytest.approx(100000 / 60000)
    ranked = northwind_client.data("{ pipelineByNpv { id npv service { id } } }")["pipelineByNpv"]
    assert [c["service"]["id"] for c in ranked] == ["loyalty-app", "chatbot"]  # 109,343.90 before 49,211.12
    again = northwind_client.data("""mutation { setBusinessCase(serviceId: "loyalty-app", input: {investment: 900000,
        annualBenefit: 1, annualRunningCost: 0, years: 1, discountRate: 0}) { id npv } }""")["setBusinessCase"]
    assert again["id"] == "bc-loyalty"  # the service's case is updated in place
    assert [c["service"]["id"] for c in northwind_client.data("{ pipelineByNpv { service { id } } }")["pipelineByNpv"]] \
        == ["chatbot", "loyalty-app"]


def test_invalid_business_case_is_bad_input(northwind_client, northwind_store):
    before = export_document(northwind_store)
    body = northwind_client.execute("""mutation { setBusinessCase(serviceId: "loyalty-app", input: {investment: 1,
        annualBenefit: 1, annualRunningCost: 0, years: 0, discountRate: 0.1}) { id } }""")
    assert body["errors"][0]["extensions"] == {"code": "BAD_INPUT", "field": "years", "details": [
        "years: Input should be greater than or equal to 1"]}
    assert export_document(northwind_store) == before


def test_demand_flows_down_the_dependencies(northwind_client):
    web_shop = northwind_client.data('{ service(id: "web-shop") { demand { ownUnits demand capacity utilisation flag } } }')
    assert web_shop["service"]["demand"] == {"ownUnits": 55000.0, "demand": 55000.0, "capacity": 120000.0,
                                             "utilisation": pytest.approx(55000 / 120000), "flag": None}
    dc_east = northwind_client.data('{ service(id: "dc-east") { demand { ownUnits demand } } }')["service"]["demand"]
    assert dc_east == {"ownUnits": 0.0, "demand": 27500.0}  # web-shop's demandFactor 0.5
    report = northwind_client.data("{ demandReport { services(first: 2) { service { id } } flagged { service { id } } } }")
    assert [s["service"]["id"] for s in report["demandReport"]["services"]] == ["backup", "database-platform"]
    northwind_client.data('mutation { updateService(id: "web-shop", input: {capacity: 56000}) { id } }')
    flagged = northwind_client.data("{ demandReport { flagged { service { id } flag } } }")["demandReport"]["flagged"]
    assert flagged == [{"service": {"id": "web-shop"}, "flag": "NEAR"}]
