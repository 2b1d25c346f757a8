"""Financial management for IT services: cost allocation, charging, budgets, business cases and demand.

Pure and database-free: the store layer reads a ``Topology`` and the month's cost items, subscriptions and
budgets; these functions compute. See spec/domain.md, "Financial management" and "Demand management".

- ``allocation``: ``allocate`` (direct, total, retained cost by the reciprocal method), ``find_closed_cycle``
- ``explain``: ``trace``, ``origins``, ``by_category``, ``by_nature`` (where a cost comes from)
- ``charging``: split of retained cost among subscribers, pricing, statements, unrecovered cost
- ``budgets``: variance and year-to-date against budgets; ``business_case``: NPV, ROI, payback
- ``demand``: ``demand_report`` (demand, utilisation, capacity flags), ``find_demand_cycle``
- ``linear``: the sparse roll-up solver both allocation and demand use
- ``month_items``: a month's cost items as allocation arrays, carried through the writes of this process
"""

from graph_itsm.finance.allocation import Allocation, allocate, allocation_weights, check_shares, find_closed_cycle
from graph_itsm.finance.budgets import BudgetLine, BudgetReport, Variance, budget_report, months_to_date, variance
from graph_itsm.finance.business_case import CaseFigures, evaluate, net_per_year, npv, payback, roi
from graph_itsm.finance.charging import (
    SplitBasis,
    Statement,
    StatementLine,
    charge,
    customer_facing_retained,
    line_origins,
    split_fractions,
    statement,
    statement_lines,
    unrecovered_costs,
)
from graph_itsm.finance.demand import CapacityFlag, DemandReport, ServiceDemand, demand_report, find_demand_cycle
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
from graph_itsm.finance.explain import (
    Contribution,
    CostVectors,
    ItemContribution,
    Source,
    by_category,
    by_nature,
    origins,
    trace,
)

__all__ = [
    # model
    "BusinessCase",
    "CostCategory",
    "CostItem",
    "CostNature",
    "Pricing",
    "PricingModel",
    "ServiceCost",
    "Subscription",
    # errors
    "ClosedCycle",
    "NumericalError",
    # allocation and its explanations
    "Allocation",
    "allocate",
    "allocation_weights",
    "check_shares",
    "find_closed_cycle",
    "Contribution",
    "CostVectors",
    "ItemContribution",
    "Source",
    "trace",
    "origins",
    "by_category",
    "by_nature",
    # charging
    "SplitBasis",
    "Statement",
    "StatementLine",
    "charge",
    "customer_facing_retained",
    "line_origins",
    "split_fractions",
    "statement",
    "statement_lines",
    "unrecovered_costs",
    # budgets and business cases
    "BudgetLine",
    "BudgetReport",
    "Variance",
    "budget_report",
    "months_to_date",
    "variance",
    "CaseFigures",
    "evaluate",
    "net_per_year",
    "npv",
    "payback",
    "roi",
    # demand
    "CapacityFlag",
    "DemandReport",
    "ServiceDemand",
    "demand_report",
    "find_demand_cycle",
]
