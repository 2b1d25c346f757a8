"""Charging: splitting retained cost among subscribers and pricing it (spec/domain.md, "Charging")."""

from __future__ import annotations

import pytest

import tests.finance._finance_portfolio as portfolio
from graph_itsm.errors import BadInput, NotFound, RuleViolation
from graph_itsm.finance.allocation import allocate
from graph_itsm.finance.charging import (
    SplitBasis,
    charge,
    customer_facing_retained,
    line_origins,
    statement,
    statement_lines,
    unrecovered_costs,
)
from graph_itsm.finance.model import CostCategory, CostItem, CostNature, Pricing, PricingModel, Subscription
from graph_itsm.topology.projection import Topology

NORTHWIND = portfolio.load()
ALLOCATION = allocate(NORTHWIND.topology, NORTHWIND.items, period="2026-01")
RETAINED = customer_facing_retained(ALLOCATION)


def _subs(service, *specs):
    """Subscriptions to one service: each spec is (customer, share, units)."""
    return [Subscription(customer, service, share, units) for customer, share, units in specs]


def _by_customer(lines):
    return {line.customer_id: line for line in lines}


# -- the shared example ----------------------------------------------------------------------------------------


def test_customer_costs_plus_unrecovered_equal_the_retained_cost_of_customer_facing_services():
    lines = statement_lines(RETAINED, NORTHWIND.subscriptions, {})  # no pricing: cost recovery
    unrecovered = unrecovered_costs(RETAINED, NORTHWIND.subscriptions)
    assert sum(line.charge for line in lines) == pytest.approx(sum(line.cost for line in lines))
    assert sum(line.cost for line in lines) + sum(unrecovered.values()) == pytest.approx(sum(RETAINED.values()))
    assert unrecovered["loyalty-app"] == pytest.approx(6600.0)  # no subscribers
    assert unrecovered["web-shop"] == pytest.approx(0.0)


def test_customer_facing_retained_includes_every_stage_and_no_supporting_service():
    assert set(RETAINED) == {
        "web-shop", "point-of-sale", "email", "internet-access", "payroll", "loyalty-app", "fax-gateway"
    }


def test_retail_statement_prices_each_service_by_its_model():
    retail = statement("retail-bu", "2026-01", RETAINED, NORTHWIND.subscriptions, NORTHWIND.pricing)
    lines = {line.service_id: line for line in retail.lines}
    web_shop = 0.7 * 136693.3333333
    assert lines["web-shop"].cost == pytest.approx(web_shop)  # share 0.7
    assert lines["web-shop"].charge == pytest.approx(web_shop * 1.1)  # COST_PLUS 10 %
    assert lines["point-of-sale"].cost == pytest.approx(64555.0 * 120 / 160)  # units 120 of 160
    assert lines["point-of-sale"].charge == 900.0  # FIXED
    assert lines["email"].cost == pytest.approx(31200.0 * 800 / 1040)
    assert lines["email"].charge == pytest.approx(3200.0)  # PER_UNIT 4.0 x 800
    assert lines["internet-access"].charge == pytest.approx(33966.6667 * 300 / 400)  # COST_RECOVERY
    assert retail.total == pytest.approx(web_shop * 1.1 + 900.0 + 3200.0 + 33966.6667 * 0.75)


def test_not_charged_service_shows_its_cost_with_a_charge_of_zero():
    finance = statement("finance-bu", "2026-01", RETAINED, NORTHWIND.subscriptions, NORTHWIND.pricing)
    payroll = next(line for line in finance.lines if line.service_id == "payroll")
    assert payroll.cost == pytest.approx(35985.0)
    assert payroll.charge == 0.0
    assert payroll.pricing is PricingModel.NOT_CHARGED


def test_statement_line_traces_back_to_cost_items():
    retail = statement("retail-bu", "2026-01", RETAINED, NORTHWIND.subscriptions, NORTHWIND.pricing)
    web_shop = next(line for line in retail.lines if line.service_id == "web-shop")
    items = line_origins(ALLOCATION, web_shop)
    assert sum(c.amount for c in items) == pytest.approx(web_shop.cost)
    assert {c.item_id: c.amount for c in items}["payco-fees-2026-01"] == pytest.approx(0.7 * 20000.0)


# -- splitting rules ---------------------------------------------------------------------------------------------


def test_split_by_share_leaves_those_without_a_share_at_nothing_and_the_rest_unrecovered():
    subs = _subs("s", ("a", 0.5, 100), ("b", None, 900), ("c", 0.3, None))
    lines = _by_customer(statement_lines({"s": 1000.0}, subs, {}))
    assert [lines[c].cost for c in "abc"] == pytest.approx([500.0, 0.0, 300.0])
    assert lines["a"].basis is SplitBasis.SHARE
    assert unrecovered_costs({"s": 1000.0}, subs) == pytest.approx({"s": 200.0})


def test_split_by_units_in_proportion_when_no_share_is_stated():
    subs = _subs("s", ("a", None, 30), ("b", None, None), ("c", None, 10))
    lines = _by_customer(statement_lines({"s": 1000.0}, subs, {}))
    assert [lines[c].cost for c in "abc"] == pytest.approx([750.0, 0.0, 250.0])
    assert lines["a"].basis is SplitBasis.UNITS
    assert unrecovered_costs({"s": 1000.0}, subs)["s"] == pytest.approx(0.0)


def test_split_is_equal_without_shares_or_units():
    subs = _subs("s", ("a", None, None), ("b", None, None), ("c", None, None))
    lines = statement_lines({"s": 900.0}, subs, {})
    assert [line.cost for line in lines] == pytest.approx([300.0, 300.0, 300.0])
    assert lines[0].basis is SplitBasis.EQUAL


def test_service_without_subscribers_is_wholly_unrecovered():
    assert unrecovered_costs({"s": 120.0, "t": 50.0}, _subs("s", ("a", None, None))) == {"s": 0.0, "t": 50.0}


def test_retired_service_with_a_special_business_case_still_charges():
    topo = Topology.build([("fax", "CUSTOMER_FACING", "RETIRED")], [])
    item = CostItem("fax-line", "fax", CostCategory.OTHER, CostNature.OPEX, 80.0, "2026-01", [("fax", 1.0)])
    retained = customer_facing_retained(allocate(topo, [item]))
    subs = [Subscription("legal", "fax", special_business_case="court filings")]
    lines = statement_lines(retained, subs, {"fax": Pricing(PricingModel.COST_PLUS, markup=0.25)})
    assert lines[0].charge == pytest.approx(100.0)


def test_shares_of_a_service_summing_over_one_are_refused():
    with pytest.raises(RuleViolation):
        statement_lines({"s": 1.0}, _subs("s", ("a", 0.6, None), ("b", 0.6, None)), {})


def test_subscription_to_a_service_without_a_cost_is_not_found():
    with pytest.raises(NotFound):
        statement_lines({"s": 1.0}, _subs("elsewhere", ("a", None, None)), {})


# -- pricing models ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pricing", "cost", "units", "expected"),
    [
        (Pricing(PricingModel.COST_RECOVERY), 250.0, 10, 250.0),
        (None, 250.0, 10, 250.0),  # no pricing stated: cost recovery
        (Pricing(PricingModel.COST_PLUS, markup=0.2), 250.0, 10, 300.0),
        (Pricing(PricingModel.FIXED, price=99.0), 250.0, 10, 99.0),
        (Pricing(PricingModel.PER_UNIT, price=2.5), 250.0, 10, 25.0),
        (Pricing(PricingModel.PER_UNIT, price=2.5), 250.0, None, 0.0),
        (Pricing(PricingModel.NOT_CHARGED), 250.0, 10, 0.0),
    ],
)
def test_each_pricing_model_turns_cost_into_its_charge(pricing, cost, units, expected):
    assert charge(pricing, cost, units) == pytest.approx(expected)


def test_fixed_price_is_per_subscription_whatever_the_share():
    subs = _subs("s", ("a", 0.9, None), ("b", 0.1, None))
    lines = statement_lines({"s": 1000.0}, subs, {"s": Pricing(PricingModel.FIXED, price=40.0)})
    assert [line.charge for line in lines] == [40.0, 40.0]
    assert [line.cost for line in lines] == pytest.approx([900.0, 100.0])


@pytest.mark.parametrize(
    "pricing",
    [Pricing(PricingModel.COST_PLUS), Pricing(PricingModel.FIXED), Pricing(PricingModel.PER_UNIT, price=-1.0)],
)
def test_pricing_without_its_markup_or_price_is_bad_input(pricing):
    with pytest.raises(BadInput):
        charge(pricing, 10.0, 1)
