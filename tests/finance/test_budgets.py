"""Budgeting: variance and year-to-date figures against monthly budgets (spec/domain.md, "Budgeting")."""

from __future__ import annotations

from dataclasses import replace

import pytest

import tests.finance._finance_portfolio as portfolio
from graph_itsm.errors import BadInput
from graph_itsm.finance.allocation import allocate
from graph_itsm.finance.budgets import budget_report, months_to_date, variance

NORTHWIND = portfolio.load()
JANUARY = allocate(NORTHWIND.topology, NORTHWIND.items, period="2026-01").costs()


def _month(period, factor=1.0):
    """The January cost items moved to ``period`` and scaled by ``factor``."""
    items = [replace(i, id=f"{i.id}@{period}", period=period, amount=i.amount * factor) for i in NORTHWIND.items]
    return allocate(NORTHWIND.topology, items, period=period).costs()


def _line(report, service_id):
    return next(line for line in report.services if line.service_id == service_id)


def test_variance_is_budget_minus_actual_with_its_percentage_of_the_budget():
    under = variance(100.0, 80.0)
    assert (under.variance, under.percent) == pytest.approx((20.0, 20.0))
    over = variance(100.0, 125.0)
    assert (over.variance, over.percent) == pytest.approx((-25.0, -25.0))


def test_variance_percentage_is_undefined_without_a_budget():
    assert variance(0.0, 50.0).percent is None
    assert variance(0.0, 50.0).variance == -50.0


def test_northwind_january_variance_per_service_for_direct_and_total_cost():
    report = budget_report(NORTHWIND.budgets, {"2026-01": JANUARY}, "2026-01")
    web_shop = _line(report, "web-shop")
    assert (web_shop.direct.budget, web_shop.direct.actual) == (60000.0, 51600.0)
    assert web_shop.direct.variance == pytest.approx(8400.0)
    assert web_shop.direct.percent == pytest.approx(14.0)
    assert web_shop.total.variance == pytest.approx(60000.0 - 136693.33, abs=0.01)
    payroll = _line(report, "payroll")
    assert payroll.direct.variance == pytest.approx(-1000.0)
    assert payroll.direct.percent == pytest.approx(-100.0 / 11.0)
    email = _line(report, "email")
    assert email.direct.percent == pytest.approx(100.0)  # no direct cost at all
    assert email.total.actual == pytest.approx(31200.0)


def test_services_with_cost_but_no_budget_are_listed_against_zero():
    report = budget_report(NORTHWIND.budgets, {"2026-01": JANUARY}, "2026-01")
    dc_east = _line(report, "dc-east")
    assert dc_east.direct.budget == 0.0
    assert dc_east.direct.variance == pytest.approx(-57000.0)
    assert dc_east.direct.percent is None
    assert "fax-gateway" not in {line.service_id for line in report.services}  # no budget, no cost


def test_portfolio_line_counts_each_cost_once():
    report = budget_report(NORTHWIND.budgets, {"2026-01": JANUARY}, "2026-01")
    whole = report.portfolio
    assert whole.service_id is None
    assert whole.direct.budget == 76000.0
    assert whole.direct.actual == pytest.approx(309000.0)
    assert whole.total.actual == pytest.approx(309000.0)  # retained costs: conservation
    assert whole.direct.variance == pytest.approx(76000.0 - 309000.0)


def test_year_to_date_adds_january_to_the_month_and_ignores_the_year_before():
    budgets = dict(NORTHWIND.budgets)
    budgets[("web-shop", "2026-02")] = 65000.0
    budgets[("web-shop", "2025-12")] = 1_000_000.0
    actuals = {"2025-12": _month("2025-12"), "2026-01": JANUARY, "2026-02": _month("2026-02", factor=1.5)}
    report = budget_report(budgets, actuals, "2026-02")
    web_shop = _line(report, "web-shop")
    assert web_shop.direct.budget == 65000.0
    assert web_shop.direct.actual == pytest.approx(51600.0 * 1.5)
    assert web_shop.ytd_direct.budget == 125000.0
    assert web_shop.ytd_direct.actual == pytest.approx(51600.0 * 2.5)
    assert web_shop.ytd_total.actual == pytest.approx(136693.3333 * 2.5)
    assert report.portfolio.ytd_direct.budget == 76000.0 + 65000.0
    assert report.portfolio.ytd_direct.actual == pytest.approx(309000.0 * 2.5)


def test_month_without_actuals_counts_as_zero_cost():
    report = budget_report(NORTHWIND.budgets, {"2026-01": JANUARY}, "2026-03")
    web_shop = _line(report, "web-shop")
    assert web_shop.direct.actual == 0.0
    assert web_shop.ytd_direct.actual == pytest.approx(51600.0)
    assert web_shop.ytd_direct.budget == 60000.0


def test_months_to_date_run_from_january_of_the_same_year():
    assert months_to_date("2026-03") == ["2026-01", "2026-02", "2026-03"]
    assert months_to_date("2026-01") == ["2026-01"]


@pytest.mark.parametrize("period", ["2026-13", "2026-1", "26-01", "2026/01", ""])
def test_malformed_period_is_bad_input(period):
    with pytest.raises(BadInput):
        budget_report({}, {}, period)
