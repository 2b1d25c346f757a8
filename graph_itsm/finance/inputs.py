"""Strawberry inputs of the finance mutations (converted to document-keyed dicts by ``portfolio.inputs.as_data``)."""

from __future__ import annotations

from typing import Optional

import strawberry

from graph_itsm.portfolio.types import InvestmentCategory

from graph_itsm.finance.types import CostCategory, CostNature

__all__ = ["AllocationInput", "RecordCostItemInput", "UpdateCostItemInput", "BusinessCaseInput"]

_CURRENCY = "If given, must be the portfolio's currency (RULE_VIOLATION `currency` otherwise): costs are kept in one."


@strawberry.input(description="A share (0..1) of a cost item borne by a service.")
class AllocationInput:
    service: strawberry.ID
    share: float


@strawberry.input(description="A new cost item of one month. The shares of its allocations sum to at most 1; the "
                              "rest stays unallocated.")
class RecordCostItemInput:
    id: strawberry.ID = strawberry.field(description="Unique among cost items; a slug.")
    name: str
    category: CostCategory
    nature: CostNature
    amount: float = strawberry.field(description="Non-negative, in the portfolio's currency.")
    period: str = strawberry.field(description="The month, YYYY-MM.")
    description: Optional[str] = None
    allocations: list[AllocationInput] = strawberry.field(default_factory=list)
    currency: Optional[str] = strawberry.field(default=None, description=_CURRENCY)


@strawberry.input(description="Fields to change on a cost item (left out: unchanged). `allocations`, when given, "
                              "replace the item's allocations as a whole.")
class UpdateCostItemInput:
    name: Optional[str] = strawberry.UNSET
    description: Optional[str] = strawberry.UNSET
    category: Optional[CostCategory] = strawberry.UNSET
    nature: Optional[CostNature] = strawberry.UNSET
    amount: Optional[float] = strawberry.UNSET
    period: Optional[str] = strawberry.UNSET
    allocations: Optional[list[AllocationInput]] = strawberry.UNSET
    currency: Optional[str] = strawberry.field(default=strawberry.UNSET, description=_CURRENCY)


@strawberry.input(description="A service's business case (spec: Business cases).")
class BusinessCaseInput:
    investment: float
    annual_benefit: float
    annual_running_cost: float
    years: int = strawberry.field(description="At least 1.")
    discount_rate: float
    name: Optional[str] = None
    description: Optional[str] = None
    objectives: Optional[str] = None
    non_financial_impacts: list[str] = strawberry.field(default_factory=list)
    investment_category: Optional[InvestmentCategory] = strawberry.field(
        default=None, description="RUN, GROW or TRANSFORM (the service's when left out, in the strategy view).")
