"""Forecasts for annual planning and the demand what-if, each backend, with figures worked by hand.

A small portfolio for the trend: ``app`` (customer-facing, capacity 100, PER_UNIT 2.0) depends on ``base``
(supporting, capacity 100, demandFactor 1); ``old`` is a supporting service nobody uses. Direct cost:
base 100, 110, 120 in 2026-01..03 (line 100 + 10 x, x = months since 2026-01); app 50 each month; old 30, 20,
10 (30 - 10 x); and 999 on app in 2027-01, which a forecast of 2027 must not use.
* base: 2027 is x = 12..23: 12 * 100 + 10 * (12 + ... + 23) = 1,200 + 2,100 = 3,300 (direct = total).
* app: direct 12 * 50 = 600; total 150, 160, 170 (base's cost is all app's): 1,800 + 2,100 = 3,900. Budget
  2027: 12 * 300 = 3,600, so the total variance is 3,600 - 3,900 = -300 (over budget), the direct one 3,000.
* old: the line is below 0 all of 2027: clipped to 0.
* portfolio (retained, = direct each month): 180, 180, 180: flat, 2,160.
Demand: shop-co subscribes 60 units to app: app 60, base 60 (factor 1). Doubling: 120 each, both over their
capacity of 100 (1.2); the PER_UNIT charge goes from 120 to 240.
"""

from __future__ import annotations

import pytest

from graph_itsm.api.app import create_app
from graph_itsm.portfolio.demo import load_demo
from graph_itsm.portfolio.importer import import_document
from graph_itsm.portfolio.parsing import document_from_data
from graph_itsm.store import GraphStore
from tests.graphql_client import GraphQLClient

FORECAST = """query($y: String!) { forecast(year: $y) { year basedOn
  portfolio { direct total budget }
  services { service { id } direct total slopeDirect slopeTotal budget
             directVariance { variance } totalVariance { budget actual variance } }
  overBudget { service { id } } } }"""
WHAT_IF = """query($c: ID!, $s: ID!, $f: Float, $u: Float, $p: String) {
  demandWhatIf(customerId: $c, serviceId: $s, factor: $f, units: $u, period: $p) { period unitsBefore unitsAfter
    overCapacity { before { service { id } demand utilisation flag } after { demand utilisation flag } }
    chargeChanges { customer { id } service { id } unitsBefore unitsAfter chargeBefore chargeAfter change } } }"""


def _cost(item: str, service: str, period: str, amount: float) -> dict:
    return {"id": f"{item}-{period}", "name": item, "category": "SOFTWARE", "nature": "OPEX", "period": period,
            "amount": amount, "allocations": [{"service": service, "share": 1.0}]}


def _trend_portfolio() -> dict:
    base = {"kind": "SUPPORTING", "stage": "CATALOGUE", "owner": "it", "criticality": 3, "riskAssessed": True}
    costs = []
    for k, month in enumerate(("2026-01", "2026-02", "2026-03")):
        costs += [_cost("base", "base", month, 100.0 + 10 * k), _cost("app", "app", month, 50.0),
                  _cost("old", "old", month, 30.0 - 10 * k)]
    costs.append(_cost("app", "app", "2027-01", 999.0))
    return {
        "currency": "EUR",
        "services": [
            {**base, "id": "app", "name": "App", "kind": "CUSTOMER_FACING", "capacity": 100.0,
             "pricing": {"model": "PER_UNIT", "price": 2.0},
             "dependsOn": [{"service": "base", "demandFactor": 1.0}]},
            {**base, "id": "base", "name": "Base", "capacity": 100.0},
            {**base, "id": "old", "name": "Old"},
        ],
        "customers": [{"id": "shop-co", "name": "Shop", "type": "EXTERNAL",
                       "subscriptions": [{"service": "app", "units": 60.0}]}],
        "costs": costs,
        "budgets": [{"service": "app", "period": f"2027-{m:02d}", "amount": 300.0} for m in range(1, 13)],
    }


@pytest.fixture
def trend(store: GraphStore) -> GraphQLClient:
    import_document(store, document_from_data(_trend_portfolio()), replace=True)
    return GraphQLClient(create_app(store))


def test_next_years_cost_follows_the_least_squares_trend(trend: GraphQLClient) -> None:
    f = trend.data(FORECAST, y="2027")["forecast"]
    assert f["basedOn"] == ["2026-01", "2026-02", "2026-03"]  # 2027-01 is in the plan year: not used
    by_id = {s["service"]["id"]: s for s in f["services"]}
    assert by_id["base"]["direct"] == pytest.approx(3300.0) and by_id["base"]["total"] == pytest.approx(3300.0)
    assert by_id["base"]["slopeDirect"] == pytest.approx(10.0) and by_id["base"]["budget"] is None
    app = by_id["app"]
    assert app["direct"] == pytest.approx(600.0) and app["total"] == pytest.approx(3900.0)
    assert app["slopeTotal"] == pytest.approx(10.0) and app["budget"] == 3600.0
    assert app["totalVariance"]["actual"] == pytest.approx(3900.0)
    assert app["totalVariance"]["variance"] == pytest.approx(-300.0)
    assert app["directVariance"]["variance"] == pytest.approx(3000.0)
    assert by_id["old"]["direct"] == 0.0 and by_id["old"]["slopeDirect"] == pytest.approx(-10.0)
    assert f["portfolio"]["direct"] == pytest.approx(2160.0) and f["portfolio"]["budget"] == 3600.0
    assert [s["service"]["id"] for s in f["overBudget"]] == ["app"]


def test_a_year_with_one_recorded_month_before_it_is_flat_and_none_is_zero(trend: GraphQLClient) -> None:
    f = trend.data(FORECAST, y="2026")["forecast"]
    assert f["basedOn"] == [] and {s["direct"] for s in f["services"]} == {0.0}
    error = trend.execute(FORECAST, y="next")["errors"][0]
    assert error["extensions"]["code"] == "BAD_INPUT" and error["extensions"]["field"] == "year"


def test_doubling_units_puts_the_service_and_its_provider_over_capacity(trend: GraphQLClient) -> None:
    w = trend.data(WHAT_IF, c="shop-co", s="app", f=2.0)["demandWhatIf"]
    assert w["period"] == "2027-01" and (w["unitsBefore"], w["unitsAfter"]) == (60.0, 120.0)
    over = {o["before"]["service"]["id"]: o for o in w["overCapacity"]}
    assert set(over) == {"app", "base"}
    assert over["base"]["before"]["utilisation"] == pytest.approx(0.6) and over["base"]["before"]["flag"] is None
    assert over["base"]["after"] == {"demand": 120.0, "utilisation": pytest.approx(1.2), "flag": "OVER"}
    assert w["chargeChanges"] == [{"customer": {"id": "shop-co"}, "service": {"id": "app"}, "unitsBefore": 60.0,
                                   "unitsAfter": 120.0, "chargeBefore": 120.0, "chargeAfter": 240.0, "change": 120.0}]
    # setting 95 units: 95 % of capacity, NEAR but not OVER
    assert trend.data(WHAT_IF, c="shop-co", s="app", u=95.0)["demandWhatIf"]["overCapacity"] == []


def test_what_if_on_the_demo_changes_the_units_split_of_internet_access(store: GraphStore) -> None:
    # internet-access (COST_RECOVERY, retained 33,966.67 in 2026-01) is split by units: retail 300, finance 60,
    # hr 40. retail doubling to 600 of 700: retail 25,475.00 -> 29,114.29, finance 5,095.00 -> 2,911.43,
    # hr 3,396.67 -> 1,940.95. No capacity is stated for it, so nothing goes over.
    load_demo(store, replace=True)
    client = GraphQLClient(create_app(store))
    w = client.data(WHAT_IF, c="retail-bu", s="internet-access", f=2.0, p="2026-01")["demandWhatIf"]
    assert w["overCapacity"] == []
    got = {c["customer"]["id"]: (round(c["chargeBefore"], 2), round(c["chargeAfter"], 2)) for c in w["chargeChanges"]}
    assert got == {"retail-bu": (25475.0, 29114.29), "finance-bu": (5095.0, 2911.43), "hr-bu": (3396.67, 1940.95)}
    # the web shop (120,000 a month) carries 55,000; retail tripling its 40,000: 135,000, over it
    w = client.data(WHAT_IF, c="retail-bu", s="web-shop", f=3.0)["demandWhatIf"]
    (over,) = w["overCapacity"]
    assert over["before"]["service"]["id"] == "web-shop" and over["after"]["demand"] == 135000.0
    assert over["after"]["utilisation"] == pytest.approx(1.125) and w["chargeChanges"] == []  # split by share


def test_bad_what_if_input_is_named(trend: GraphQLClient) -> None:
    for variables, code, field in [({"c": "shop-co", "s": "base", "f": 2.0}, "NOT_FOUND", "customerId"),
                                   ({"c": "shop-co", "s": "app"}, "BAD_INPUT", "factor"),
                                   ({"c": "shop-co", "s": "app", "f": 2.0, "u": 3.0}, "BAD_INPUT", "factor"),
                                   ({"c": "shop-co", "s": "app", "u": -1.0}, "BAD_INPUT", "units")]:
        error = trend.execute(WHAT_IF, **variables)["errors"][0]
        assert (error["extensions"]["code"], error["extensions"].get("field")) == (code, field), variables
