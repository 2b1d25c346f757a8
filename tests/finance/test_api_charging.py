"""Charging through GraphQL on the northwind example: split, pricing models, unrecovered cost, issued statements."""

from __future__ import annotations

import pytest

JANUARY = "2026-01"
WEB_SHOP = 136693.33333333334  # retained = total of web-shop in January (northwind-retail.expected.json)
POS, EMAIL, INTERNET, PAYROLL = 64555.0, 31200.0, 33966.666666666664, 35985.0

STATEMENT = """
query($c: ID!, $p: String!) {
  chargeStatement(customerId: $c, period: $p) {
    customer { id } period currency total totalCost issued issuedAt
    lines { service { id } cost charge fraction basis pricing units markup price
            origins { costItemId name amount } }
  }
}"""
SET_PRICING = """mutation($s: ID!, $pricing: PricingInput) { setPricing(serviceId: $s, pricing: $pricing) {
  id pricing { model markup price } } }"""
ISSUE = """mutation($c: ID!, $p: String!) { issueChargeStatement(customerId: $c, period: $p) {
  issued issuedAt total lines { service { id } cost charge } } }"""
CUSTOMER_FACING = ("web-shop", "point-of-sale", "email", "internet-access", "payroll", "loyalty-app", "fax-gateway")


def _statement(client, customer: str, period: str = JANUARY) -> dict:
    return client.data(STATEMENT, c=customer, p=period)["chargeStatement"]


def _lines(statement: dict) -> dict[str, dict]:
    return {line["service"]["id"]: line for line in statement["lines"]}


# -- each pricing model, hand-checked ---------------------------------------------------------------------------


def test_cost_plus_adds_the_markup_to_the_customers_share(northwind_client):
    web_shop = _lines(_statement(northwind_client, "retail-bu"))["web-shop"]
    assert web_shop["basis"] == "SHARE" and web_shop["fraction"] == 0.7  # retail-bu states share 0.7
    assert web_shop["cost"] == pytest.approx(0.7 * WEB_SHOP)  # 95,685.33
    assert web_shop["pricing"] == "COST_PLUS" and web_shop["markup"] == 0.1
    assert web_shop["charge"] == pytest.approx(0.7 * WEB_SHOP * 1.1)  # 105,253.87


def test_fixed_price_is_charged_per_subscription_whatever_the_cost(northwind_client):
    retail = _lines(_statement(northwind_client, "retail-bu"))["point-of-sale"]
    franchise = _lines(_statement(northwind_client, "franchise-co"))["point-of-sale"]
    assert retail["basis"] == "UNITS" and retail["cost"] == pytest.approx(POS * 120 / 160)  # 48,416.25
    assert franchise["cost"] == pytest.approx(POS * 40 / 160)  # 16,138.75
    assert retail["charge"] == franchise["charge"] == 900.0


def test_per_unit_price_is_multiplied_by_the_subscribed_units(northwind_client):
    charges = {c: _lines(_statement(northwind_client, c))["email"] for c in ("retail-bu", "finance-bu", "hr-bu")}
    assert {c: line["charge"] for c, line in charges.items()} == {
        "retail-bu": 3200.0, "finance-bu": 600.0, "hr-bu": 360.0,  # 4.00 x 800, 150, 90 units
    }
    assert charges["retail-bu"]["cost"] == pytest.approx(EMAIL * 800 / 1040)  # 24,000


def test_cost_recovery_charges_the_cost(northwind_client):
    costs = {c: _lines(_statement(northwind_client, c))["internet-access"] for c in ("retail-bu", "finance-bu", "hr-bu")}
    assert {c: round(line["charge"], 2) for c, line in costs.items()} == {
        "retail-bu": 25475.0, "finance-bu": 5095.0, "hr-bu": 3396.67,  # 300, 60, 40 of 400 units
    }
    assert all(line["charge"] == line["cost"] for line in costs.values())


def test_not_charged_service_shows_its_cost_and_charges_nothing(northwind_client):
    statement = _statement(northwind_client, "finance-bu")
    payroll = _lines(statement)["payroll"]
    assert payroll["cost"] == pytest.approx(PAYROLL) and payroll["charge"] == 0.0
    assert statement["totalCost"] == pytest.approx(PAYROLL + EMAIL * 150 / 1040 + INTERNET * 0.15)
    assert statement["total"] == pytest.approx(600.0 + INTERNET * 0.15)


def test_set_pricing_changes_the_charge(northwind_client):
    northwind_client.data(SET_PRICING, s="internet-access", pricing={"model": "COST_PLUS", "markup": 0.25})
    northwind_client.data(SET_PRICING, s="point-of-sale", pricing={"model": "PER_UNIT", "price": 2.5})
    lines = _lines(_statement(northwind_client, "retail-bu"))
    assert lines["internet-access"]["charge"] == pytest.approx(25475.0 * 1.25)  # 31,843.75
    assert lines["point-of-sale"]["charge"] == pytest.approx(120 * 2.5)


@pytest.mark.parametrize("pricing", [{"model": "COST_PLUS"}, {"model": "FIXED", "price": -1.0},
                                     {"model": "NOT_CHARGED", "price": 3.0}])
def test_pricing_without_its_figures_is_bad_input(northwind_client, northwind_store, pricing):
    from graph_itsm.portfolio.exporter import export_document

    before = export_document(northwind_store)
    assert northwind_client.error_codes(SET_PRICING, s="email", pricing=pricing) == ["BAD_INPUT"]
    assert export_document(northwind_store) == before


# -- the split and what is not recovered -----------------------------------------------------------------------


def test_customer_charges_plus_unrecovered_equal_the_retained_cost_of_customer_facing_services(northwind_client):
    for sid in CUSTOMER_FACING:
        northwind_client.data(SET_PRICING, s=sid, pricing={"model": "COST_RECOVERY"})
    customers = [c["id"] for c in northwind_client.data("{ customers { id } }")["customers"]]
    charged = sum(_statement(northwind_client, c)["total"] for c in customers)
    report = northwind_client.data("""query($p: String!) { costReport(period: $p) { totalUnrecovered
        unrecoveredByReason { reason amount }
        services { retained unrecovered service { id kind } } } }""", p=JANUARY)["costReport"]
    retained = sum(s["retained"] for s in report["services"] if s["service"]["kind"] == "CUSTOMER_FACING")
    by_reason = {r["reason"]: r["amount"] for r in report["unrecoveredByReason"]}
    assert charged + by_reason["NO_SUBSCRIBERS"] + by_reason["UNSPLIT"] == pytest.approx(retained, abs=0.005)
    unrecovered = {s["service"]["id"]: s["unrecovered"] for s in report["services"] if s["unrecovered"] is not None}
    assert set(unrecovered) == set(CUSTOMER_FACING)
    assert unrecovered["loyalty-app"] == pytest.approx(6600.0)  # no subscribers yet
    assert unrecovered["web-shop"] == pytest.approx(0.0, abs=1e-6)  # shares 0.7 + 0.3


def test_each_line_traces_to_the_cost_items_behind_it(northwind_client):
    for line in _statement(northwind_client, "retail-bu")["lines"]:
        assert sum(o["amount"] for o in line["origins"]) == pytest.approx(line["cost"])
    web_shop = _lines(_statement(northwind_client, "retail-bu"))["web-shop"]
    fees = next(o for o in web_shop["origins"] if o["costItemId"] == "payco-fees-2026-01")
    assert fees["amount"] == pytest.approx(0.7 * 20000.0) and fees["name"] == "Payment processing fees"


def test_statement_of_an_unknown_customer_is_not_found(northwind_client):
    assert northwind_client.error_codes(STATEMENT, c="nobody", p=JANUARY) == ["NOT_FOUND"]
    assert northwind_client.error_codes(ISSUE, c="nobody", p=JANUARY) == ["NOT_FOUND"]


# -- issued statements ------------------------------------------------------------------------------------------


def test_issued_statement_keeps_its_figures_after_costs_and_prices_change(northwind_client):
    live = _statement(northwind_client, "retail-bu")
    assert live["issued"] is False and live["issuedAt"] is None
    issued = northwind_client.data(ISSUE, c="retail-bu", p=JANUARY)["issueChargeStatement"]
    assert issued["issued"] is True and issued["total"] == pytest.approx(live["total"])

    northwind_client.data("""mutation { updateCostItem(id: "ecommerce-team-2026-01", input: {amount: 64000}) { id } }""")
    northwind_client.data(SET_PRICING, s="email", pricing={"model": "COST_RECOVERY"})
    again = _statement(northwind_client, "retail-bu")
    assert again["issued"] is True and again["issuedAt"] == issued["issuedAt"]
    assert {k: again[k] for k in ("total", "totalCost", "lines")} == {k: live[k] for k in ("total", "totalCost", "lines")}
    franchise = _lines(_statement(northwind_client, "franchise-co"))["web-shop"]
    assert franchise["cost"] == pytest.approx(0.3 * (WEB_SHOP + 9000.0))  # not issued: it moved with the cost


def test_issuing_a_month_twice_is_refused_and_changes_nothing(northwind_client):
    first = northwind_client.data(ISSUE, c="franchise-co", p=JANUARY)["issueChargeStatement"]
    body = northwind_client.execute(ISSUE, c="franchise-co", p=JANUARY)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["RULE_VIOLATION"]
    assert body["errors"][0]["extensions"]["rule"] == "statement-issued"
    assert _statement(northwind_client, "franchise-co")["issuedAt"] == first["issuedAt"]
    northwind_client.data(ISSUE, c="franchise-co", p="2026-02")  # another month is another statement
