"""Plain value types of financial management: cost items, pricing, subscriptions, business cases.

No rules live here (see ``allocation``, ``charging``, ``budgets``, ``business_case``, ``demand``); the
store layer builds these from the graph and the API turns the results into GraphQL types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The enums of domain.md are defined once, with the portfolio document that carries them.
from graph_itsm.portfolio.document import CostCategory, CostNature, PricingModel

__all__ = [
    "CostCategory",
    "CostNature",
    "PricingModel",
    "CostItem",
    "Pricing",
    "Subscription",
    "BusinessCase",
    "ServiceCost",
]


@dataclass(frozen=True)
class CostItem:
    """One month's cost, allocated to services by ``allocations``: ``(service id, share)`` pairs.

    The shares sum to at most 1; ``amount * (1 - sum of shares)`` is the item's unallocated amount.
    """

    id: str
    name: str
    category: CostCategory
    nature: CostNature
    amount: float
    period: str  # "YYYY-MM"
    allocations: list[tuple[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class Pricing:
    """A service's pricing: ``markup`` for COST_PLUS (0.1 = +10 %), ``price`` for FIXED and PER_UNIT."""

    model: PricingModel
    markup: float | None = None
    price: float | None = None


@dataclass(frozen=True)
class Subscription:
    """A customer's subscription to a (customer-facing) service."""

    customer_id: str
    service_id: str
    share: float | None = None  # fraction of the service's retained cost the customer bears
    units: float | None = None  # expected units a month
    since: str | None = None
    special_business_case: str | None = None


@dataclass(frozen=True)
class BusinessCase:
    """The financial case for a service (see ``business_case`` for NPV, ROI and payback)."""

    id: str
    service_id: str
    investment: float
    annual_benefit: float
    annual_running_cost: float
    years: int
    discount_rate: float
    objectives: str = ""
    non_financial_impacts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ServiceCost:
    """A service's cost in one month: direct, total (fully loaded) and retained."""

    service_id: str
    period: str | None
    direct: float
    total: float
    retained: float
