"""Financial management for IT services: cost allocation, charging, budgets, business cases and demand.

Pure and database-free: the store layer reads a ``Topology`` and the month's cost items, subscriptions and
budgets, and these functions compute. See spec/domain.md, "Financial management" and "Demand management".
"""

from graph_itsm.finance.allocation import Allocation, allocate, find_closed_cycle
from graph_itsm.finance.errors import ClosedCycle, NumericalError
from graph_itsm.finance.model import (
    BusinessCase,
    CostCategory,
    CostItem,
    CostNature,
    Pricing,
    PricingModel,
    ServiceCost,
    Subscription,
)

__all__ = [
    "Allocation",
    "allocate",
    "find_closed_cycle",
    "ClosedCycle",
    "NumericalError",
    "BusinessCase",
    "CostCategory",
    "CostItem",
    "CostNature",
    "Pricing",
    "PricingModel",
    "ServiceCost",
    "Subscription",
]
