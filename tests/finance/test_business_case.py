"""Business cases: NPV, ROI and payback as spec/domain.md defines them."""

from __future__ import annotations

from dataclasses import replace

import pytest

import tests.finance._finance_portfolio as portfolio
from graph_itsm.errors import BadInput
from graph_itsm.finance.business_case import evaluate, net_per_year, npv, payback, roi
from graph_itsm.finance.model import BusinessCase

LOYALTY = BusinessCase(
    id="bc-loyalty",
    service_id="loyalty-app",
    investment=250000.0,
    annual_benefit=120000.0,
    annual_running_cost=30000.0,
    years=5,
    discount_rate=0.08,
    non_financial_impacts=["customer satisfaction"],
)


def test_npv_discounts_each_years_net_benefit():
    # net 90,000 a year; sum of 1/1.08^y for y = 1..5 is 3.99271004
    assert npv(LOYALTY) == pytest.approx(-250000.0 + 90000.0 * 3.99271004, abs=0.01)
    assert npv(LOYALTY) == pytest.approx(109343.90, abs=0.01)


def test_roi_is_undiscounted_net_over_investment():
    assert roi(LOYALTY) == pytest.approx((450000.0 - 250000.0) / 250000.0)  # 0.8


def test_payback_is_interpolated_within_the_year_it_is_reached():
    # 180,000 after two years; the remaining 70,000 take 70/90 of the third year.
    assert payback(LOYALTY) == pytest.approx(2 + 70000.0 / 90000.0)


def test_payback_at_the_very_end_of_the_last_year_counts():
    assert payback(replace(LOYALTY, investment=450000.0)) == pytest.approx(5.0)


def test_payback_is_none_when_the_investment_is_never_recovered():
    assert payback(replace(LOYALTY, investment=450000.01)) is None
    assert payback(replace(LOYALTY, annual_benefit=20000.0)) is None  # net negative


def test_no_investment_has_no_roi_and_pays_back_at_once():
    free = replace(LOYALTY, investment=0.0)
    assert roi(free) is None
    assert payback(free) == 0.0
    assert npv(free) == pytest.approx(90000.0 * 3.99271004, abs=0.01)


def test_zero_discount_rate_makes_npv_the_plain_sum():
    assert npv(replace(LOYALTY, discount_rate=0.0)) == pytest.approx(200000.0)


def test_negative_net_gives_negative_roi_and_npv():
    losing = replace(LOYALTY, annual_benefit=10000.0)
    assert roi(losing) == pytest.approx((-100000.0 - 250000.0) / 250000.0)
    assert npv(losing) < -250000.0


def test_evaluate_gathers_the_figures_and_lists_non_financial_impacts():
    figures = evaluate(LOYALTY)
    assert figures.net == [90000.0] * 5
    assert (figures.npv, figures.roi, figures.payback) == (npv(LOYALTY), roi(LOYALTY), payback(LOYALTY))
    assert figures.non_financial_impacts == ["customer satisfaction"]


def test_northwind_loyalty_case_matches_the_hand_figures():
    (case,) = portfolio.load().cases
    assert evaluate(case).npv == pytest.approx(109343.90, abs=0.01)
    assert evaluate(case).payback == pytest.approx(2.7778, abs=1e-4)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"years": -1}, "years"),
        ({"years": 2.5}, "years"),
        ({"investment": -1.0}, "investment"),
        ({"annual_benefit": float("nan")}, "annualBenefit"),
        ({"discount_rate": -1.0}, "discountRate"),
    ],
)
def test_invalid_figures_are_bad_input_naming_the_field(change, field):
    with pytest.raises(BadInput) as bad:
        net_per_year(replace(LOYALTY, **change))
    assert bad.value.extensions["field"] == field
