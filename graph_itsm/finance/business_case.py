"""Business cases: NPV, ROI and payback, exactly as spec/domain.md defines them.

For years ``y = 1..years``: ``net_y = annualBenefit - annualRunningCost``;
``NPV = -investment + sum_y net_y / (1 + discountRate)^y``; ``ROI = (sum_y net_y - investment) / investment``
(undefined, ``None``, without an investment); ``payback`` is the first point in time, in years and linearly
interpolated within a year, where the cumulative (undiscounted) net reaches the investment, or ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_itsm.errors import BadInput
from graph_itsm.finance.model import BusinessCase

__all__ = ["CaseFigures", "net_per_year", "npv", "roi", "payback", "evaluate"]


@dataclass(frozen=True)
class CaseFigures:
    npv: float
    roi: float | None
    payback: float | None  # years
    net: list[float]  # net_y for y = 1..years
    non_financial_impacts: list[str]


def net_per_year(case: BusinessCase) -> list[float]:
    """``net_y`` for ``y = 1..years``; checks the case's figures (``BadInput`` naming the field)."""
    _check(case)
    return [float(case.annual_benefit) - float(case.annual_running_cost)] * case.years


def npv(case: BusinessCase) -> float:
    rate = float(case.discount_rate)
    return -float(case.investment) + sum(net / (1.0 + rate) ** y for y, net in enumerate(net_per_year(case), 1))


def roi(case: BusinessCase) -> float | None:
    """Return on investment as a fraction (0.8 = 80 %), ``None`` when the investment is 0."""
    nets = net_per_year(case)
    if case.investment == 0:
        return None
    return (sum(nets) - float(case.investment)) / float(case.investment)


def payback(case: BusinessCase) -> float | None:
    """Years until the cumulative net reaches the investment (0 for no investment), or ``None`` if never."""
    investment = float(case.investment)
    cumulative = 0.0
    if cumulative >= investment:
        return 0.0
    for y, net in enumerate(net_per_year(case), 1):
        if net > 0 and cumulative + net >= investment:
            return (y - 1) + (investment - cumulative) / net
        cumulative += net
    return None


def evaluate(case: BusinessCase) -> CaseFigures:
    """All figures of the case, with its non-financial impacts listed beside them."""
    return CaseFigures(npv(case), roi(case), payback(case), net_per_year(case), list(case.non_financial_impacts))


MAX_YEARS = 100  # a case's horizon; more is a typo (2147483647 once made every read of the case fail)
MAX_MONEY = 1e15  # larger amounts are no portfolio's
MAX_RATE = 10.0  # 1000 % a year


def _check(case: BusinessCase) -> None:
    if not isinstance(case.years, int) or isinstance(case.years, bool) or not 0 <= case.years <= MAX_YEARS:
        raise BadInput(f"business case {case.id!r}: years must be a whole number from 0 to {MAX_YEARS}", field="years")
    for name, field in (
        ("investment", "investment"),
        ("annual_benefit", "annualBenefit"),
        ("annual_running_cost", "annualRunningCost"),
    ):
        value = float(getattr(case, name))
        if not 0.0 <= value <= MAX_MONEY:
            raise BadInput(f"business case {case.id!r}: {field} must be a number from 0 to {MAX_MONEY:.0e}", field=field)
    if not -1.0 < float(case.discount_rate) <= MAX_RATE:
        raise BadInput(f"business case {case.id!r}: discountRate must be above -1 and at most {MAX_RATE}",
                       field="discountRate")
