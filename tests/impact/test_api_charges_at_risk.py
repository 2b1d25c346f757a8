"""The monthly charges at risk of an impact report, through GraphQL on the northwind example.

Expected figures are worked by hand from northwind-retail.json and the January retained costs of
northwind-retail.expected.json (web-shop 136,693.33, internet-access 33,966.67), or read from ``chargeStatement``.
January charges per subscription:
  web-shop (COST_PLUS 10 %, shares 0.7 / 0.3): retail-bu 105,253.87, franchise-co 45,108.80
  point-of-sale (FIXED 900):                   retail-bu 900, franchise-co 900
  email (PER_UNIT 4.00):                       retail-bu 3,200, finance-bu 600, hr-bu 360
  internet-access (COST_RECOVERY, units 300/60/40 of 400): retail-bu 25,475, finance-bu 5,095, hr-bu 3,396.67
  payroll (NOT_CHARGED):                       finance-bu 0
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.graphql_client import GraphQLClient

JANUARY = "2026-01"
WEB_SHOP, INTERNET = 136693.33333333334, 33966.666666666664
RETAIL_WEB, FRANCHISE_WEB = 0.7 * WEB_SHOP * 1.1, 0.3 * WEB_SHOP * 1.1
RETAIL_NET, FINANCE_NET, HR_NET = INTERNET * 300 / 400, INTERNET * 60 / 400, INTERNET * 40 / 400

AT_RISK = """
query($failed: [ID!]!, $period: String!, $maxDepth: Int, $first: Int, $offset: Int) {
  impact(failed: $failed, maxDepth: $maxDepth) {
    chargesAtRisk(period: $period) {
      period currency total down degraded
      customers(first: $first, offset: $offset) { customer { id name } total down degraded }
    }
  }
}"""
STATEMENT_TOTAL = "query($c: ID!, $p: String!) { chargeStatement(customerId: $c, period: $p) { total } }"
ISSUE = "mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) { total } }"
SET_PRICING = """mutation($s: ID!, $pricing: PricingInput) { setPricing(serviceId: $s, pricing: $pricing) { id } }"""
CUSTOMERS = ("retail-bu", "finance-bu", "hr-bu", "franchise-co")


def _at_risk(client: GraphQLClient, failed: list[str], period: str = JANUARY, **variables: Any) -> dict[str, Any]:
    return client.data(AT_RISK, failed=failed, period=period, **variables)["impact"]["chargesAtRisk"]


def _by_customer(risk: dict[str, Any]) -> dict[str, tuple[float, float]]:
    return {c["customer"]["id"]: (c["down"], c["degraded"]) for c in risk["customers"]}


def _statement_total(client: GraphQLClient, customer: str) -> float:
    return client.data(STATEMENT_TOTAL, c=customer, p=JANUARY)["chargeStatement"]["total"]


def test_losing_both_data_centres_puts_every_charge_of_the_month_at_risk(northwind_client):
    risk = _at_risk(northwind_client, ["dc-east", "dc-west"])
    statements = {c: _statement_total(northwind_client, c) for c in CUSTOMERS}
    assert risk["period"] == JANUARY and risk["currency"] == "EUR"
    assert risk["total"] == pytest.approx(sum(statements.values()))  # 190,289.33
    assert risk["down"] == pytest.approx(risk["total"]) and risk["degraded"] == 0.0
    assert {c["customer"]["id"]: c["total"] for c in risk["customers"]} == pytest.approx(statements)
    # by total descending
    assert [c["customer"]["id"] for c in risk["customers"]] == ["retail-bu", "franchise-co", "finance-bu", "hr-bu"]
    assert risk["customers"][0]["total"] == pytest.approx(RETAIL_WEB + 900 + 3200 + RETAIL_NET)  # 134,828.87
    assert risk["customers"][0]["customer"]["name"] == "Retail business unit"


def test_one_uplink_degrades_internet_access_and_puts_nothing_at_risk_down(northwind_client):
    risk = _at_risk(northwind_client, ["isp-uplink-a"])
    assert risk["down"] == 0.0
    assert risk["total"] == risk["degraded"] == pytest.approx(INTERNET)  # COST_RECOVERY: all of its retained cost
    # franchise-co is impacted (it pursues trade-online) but subscribes to nothing impacted: no charges at risk
    assert _by_customer(risk) == {
        "retail-bu": (0.0, pytest.approx(RETAIL_NET)),  # 25,475
        "finance-bu": (0.0, pytest.approx(FINANCE_NET)),  # 5,095
        "hr-bu": (0.0, pytest.approx(HR_NET)),  # 3,396.67
    }


def test_charges_are_split_by_the_status_of_the_subscribed_service(northwind_client):
    # dc-east alone: email is DOWN (mail-platform needs dc-east), every other charged service DEGRADED.
    risk = _at_risk(northwind_client, ["dc-east"])
    assert _by_customer(risk) == {
        "retail-bu": (3200.0, pytest.approx(RETAIL_WEB + 900 + RETAIL_NET)),
        "franchise-co": (0.0, pytest.approx(FRANCHISE_WEB + 900)),
        "finance-bu": (600.0, pytest.approx(FINANCE_NET)),  # payroll is DEGRADED but NOT_CHARGED: 0
        "hr-bu": (360.0, pytest.approx(HR_NET)),
    }
    assert risk["down"] == pytest.approx(4160.0)
    assert risk["total"] == pytest.approx(risk["down"] + risk["degraded"])


def test_max_depth_counts_only_the_services_the_report_lists(northwind_client):
    # Within one hop of dc-east only web-shop is customer-facing (point-of-sale, email, ... are two hops away).
    risk = _at_risk(northwind_client, ["dc-east"], maxDepth=1)
    assert _by_customer(risk) == {
        "retail-bu": (0.0, pytest.approx(RETAIL_WEB)),  # 105,253.87
        "franchise-co": (0.0, pytest.approx(FRANCHISE_WEB)),  # 45,108.80
    }
    assert _at_risk(northwind_client, ["dc-east"], maxDepth=0)["customers"] == []


def test_a_customer_whose_impacted_subscriptions_are_not_charged_is_listed_at_zero(northwind_client):
    # backup fails: within one hop, payroll (NOT_CHARGED) is the only customer-facing service, DOWN.
    risk = _at_risk(northwind_client, ["backup"], maxDepth=1)
    assert _by_customer(risk) == {"finance-bu": (0.0, 0.0)}
    assert risk["total"] == 0.0


def test_issued_statements_count_with_their_issued_figures(northwind_client):
    northwind_client.data(ISSUE, c="retail-bu", p=JANUARY)
    northwind_client.data(SET_PRICING, s="internet-access", pricing={"model": "FIXED", "price": 100.0})
    risk = _at_risk(northwind_client, ["isp-uplink-a"])
    assert _by_customer(risk) == {
        "retail-bu": (0.0, pytest.approx(RETAIL_NET)),  # as issued, before the new price
        "finance-bu": (0.0, 100.0),
        "hr-bu": (0.0, 100.0),
    }
    whole = _at_risk(northwind_client, ["dc-east", "dc-west"])
    assert whole["total"] == pytest.approx(sum(_statement_total(northwind_client, c) for c in CUSTOMERS))


def test_customers_page_in_order(northwind_client):
    page = _at_risk(northwind_client, ["dc-east", "dc-west"], first=2, offset=1)["customers"]
    assert [c["customer"]["id"] for c in page] == ["franchise-co", "finance-bu"]


@pytest.mark.parametrize("period", ["2026-13", "January", "2026-1"])
def test_a_malformed_period_is_bad_input_naming_it(northwind_client, period):
    body = northwind_client.execute(AT_RISK, failed=["dc-east"], period=period)
    assert [(e["extensions"]["code"], e["extensions"].get("field")) for e in body["errors"]] == [("BAD_INPUT", "period")]


def test_a_month_without_costs_has_only_fixed_and_unit_prices_at_risk(northwind_client):
    # No cost items in March: cost-based charges are 0, FIXED and PER_UNIT prices still apply.
    risk = _at_risk(northwind_client, ["dc-east", "dc-west"], period="2026-03")
    assert _by_customer(risk) == {
        "retail-bu": (900.0 + 3200.0, 0.0), "franchise-co": (900.0, 0.0), "finance-bu": (600.0, 0.0),
        "hr-bu": (360.0, 0.0),
    }
